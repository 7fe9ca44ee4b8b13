"""Reading panels: numbers as people type them, and errors that say where."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from mobilise.engines.evaluation import PanelError, read_panel_csv
from mobilise.engines.evaluation.panel import parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,234.5", 1234.5), (" £8,000 ", 8000.0), ("7%", 7.0), ("-3", -3.0)],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "NA", ".", " "])
def test_blank_is_missing(text: str) -> None:
    assert math.isnan(parse_number(text))


def test_reads_long_csv_with_labels_and_gaps(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        '\ufeffarea,year,y,region\nB,2021,"1,200",north\nA,2020,5,south\nA,2021,6,south\nB,2020,,north\n',
        encoding="utf-8",
    )
    panel = read_panel_csv(path, unit="area", time="year", labels=["region"])
    assert panel.units == ("A", "B")
    assert list(panel.times) == [2020.0, 2021.0]
    assert panel.values["y"][1, 1] == 1200 and np.isnan(panel.values["y"][1, 0])
    assert panel.labels["region"][0, 0] == "south"
    assert set(panel.values) == {"y"}


def test_duplicate_rows_are_named(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("u,t,y\na,1,1\na,1,2\n", encoding="utf-8")
    with pytest.raises(PanelError, match="unit 'a' has more than one row for period 1"):
        read_panel_csv(path, unit="u", time="t")


def test_blank_period_is_named(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("u,t,y\na,1,1\na,,2\n", encoding="utf-8")
    with pytest.raises(PanelError, match=r"row 3, column 't': the value is blank"):
        read_panel_csv(path, unit="u", time="t")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PanelError, match="cannot open the file"):
        read_panel_csv(tmp_path / "nope.csv", unit="u", time="t")


def test_a_file_that_is_not_utf8_is_a_panel_error_naming_the_line(tmp_path: Path) -> None:
    # Found by the property tests: a stray byte raised UnicodeDecodeError.
    path = tmp_path / "panel.csv"
    path.write_bytes(b"unit,year,outcome\nCamden,2019,1\nH\xe9ringey,2019,2\n")
    with pytest.raises(PanelError, match=r"panel\.csv, line 3: the file is not UTF-8 text"):
        read_panel_csv(path, unit="unit", time="year")
