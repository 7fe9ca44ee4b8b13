"""Strict reading: a row cut short, a quote never closed, a column named twice and cells beyond
the header are each an error naming the file and row (or column), on the command line (exit 2)
and through the upload service, and nothing is written."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mobilise.indicators.importing import Kind, import_upload
from mobilise.indicators.models import Indicator, Observation, Series
from mobilise.indicators.tests.factories import IndicatorFactory, ObservationFactory, SeriesFactory
from mobilise.places.tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

META = "indicators:\n  co2-total:\n    title: CO2\n"
HEADER = "indicator,geocode,period,value\n"
GOOD = "co2-total,E09000007,2019,10\n"

# (file text, row, column, words the message must hold)
CASES = {
    "last row cut short": (
        HEADER + GOOD + "co2-total,E09000007,20",
        3,
        "value",
        "cut short",
    ),
    "quote never closed": (
        HEADER + GOOD + 'co2-total,E09000007,2020,"12',
        3,
        "",
        "never closed",
    ),
    "column named twice": (
        "indicator,geocode,period,value,value\n" + "co2-total,E09000007,2019,10,11\n",
        1,
        "value",
        "appears 2 times",
    ),
    "cells beyond the header": (
        HEADER + GOOD + "co2-total,E09000007,2020,12,13\n",
        3,
        "after “value”",
        "beyond the last column",
    ),
}


@pytest.fixture
def world():
    camden = PlaceFactory(code="E09000007", name="Camden")
    series = SeriesFactory(indicator=IndicatorFactory(code="co2-total", title="CO2"))
    ObservationFactory(series=series, place=camden, period="2018", value=5.0)


def snapshot():
    return (
        Indicator.objects.count(),
        Series.objects.count(),
        sorted(Observation.objects.values_list("series_id", "place_id", "period", "value")),
    )


@pytest.mark.parametrize("case", CASES)
def test_the_upload_service_refuses_it_naming_the_row_and_writes_nothing(world, case):
    text, row, column, words = CASES[case]
    before = snapshot()
    report = import_upload(io.BytesIO(text.encode()), name="co2.csv", meta_text=META)
    assert snapshot() == before
    assert not report.ok and not report.written
    (problem,) = report.errors
    assert problem.kind in (Kind.BAD_ROW, Kind.BAD_HEADER)
    assert (problem.file, problem.row, problem.column) == ("co2.csv", row, column)
    assert words in problem.message


@pytest.mark.parametrize("case", CASES)
def test_the_command_exits_2_naming_the_file_and_row(world, tmp_path, case):
    text, row, column, words = CASES[case]
    (tmp_path / "co2.csv").write_text(text)
    (tmp_path / "co2.yaml").write_text(META)
    before = snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 1 error") as raised:
        call_command("indicators_import", str(tmp_path / "co2.csv"), stderr=err)
    assert raised.value.returncode == 2
    assert f"co2.csv, row {row}" in err.getvalue()
    assert words in err.getvalue()
    assert snapshot() == before


def test_an_empty_line_and_blank_cells_beyond_the_header_are_not_problems(world):
    text = HEADER + GOOD + "\n" + "co2-total,E09000007,2020,12,,\n"
    report = import_upload(io.BytesIO(text.encode()), name="co2.csv", meta_text=META)
    assert report.ok, report.lines()
    assert report.created == 2


def test_unnamed_columns_at_the_end_of_the_header_may_be_missing_from_a_row(world):
    """A spreadsheet's stray commas after the last heading: rows without those cells are whole."""
    text = "indicator,geocode,period,value,,\n" + GOOD + "co2-total,E09000007,2020,12,,\n"
    report = import_upload(io.BytesIO(text.encode()), name="co2.csv", meta_text=META)
    assert report.ok, report.lines()
    assert report.created == 2


# --- Problems as a person reads them -----------------------------------------------------------

UNKNOWN = [f"Nowhere {i:02d}" for i in range(30)]


def many_unknown_names() -> str:
    """580 rows of 30 area names we do not know, each name on rows spread through the file (a
    real ONS file's shape); the last one, "Camdon", is close to a name we know."""
    names = [*UNKNOWN[:-1], "Camdon"]
    rows = [f"co2-total,{name},{year}, 1" for year in range(2001, 2021) for name in names]
    return "\n".join(["indicator,area name,period,value", *rows[:580]]) + "\n"


def test_580_rows_of_30_unknown_names_read_as_one_line_per_name(world, tmp_path):
    (tmp_path / "co2.csv").write_text(many_unknown_names())
    (tmp_path / "co2.yaml").write_text(META)
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 580 error"):
        call_command("indicators_import", str(tmp_path / "co2.csv"), stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) < 40, lines  # not one line per row
    heading = next(line for line in lines if "areas not recognised" in line)
    assert heading.startswith("Error: co2.csv, column “area name”: 30 areas not recognised")
    assert "(580 rows)" in heading and "“Nowhere 00” (rows 2, 32, 62" in heading
    assert sum("Nowhere 05" in line for line in lines) == 1
    (camdon,) = [line for line in lines if "Camdon" in line]
    assert "Did you mean “Camden”?" in camdon
    assert not Observation.objects.filter(period="2001").exists()


def test_rows_in_runs_are_shown_as_ranges_with_a_suggestion(world):
    lines = ["indicator,area name,period,value"]
    lines += [f"co2-total,Camdon,{year},1" for year in range(2001, 2009)]  # rows 2–9
    lines += ["co2-total,Camden,2001,1"]  # row 10
    lines += [f"co2-total,Camdon,{year},1" for year in range(2009, 2012)]  # rows 11–13
    report = import_upload(io.BytesIO("\n".join(lines).encode()), name="co2.csv", meta_text=META)
    (problem,) = report.errors
    assert problem.count == 11
    assert problem.rows_text() == "rows 2–9, 11–13"
    assert problem.hint == "Did you mean “Camden”?"
    text = "\n".join(report.lines())
    assert "co2.csv, rows 2–9, 11–13, column “area name”" in text
    assert "Did you mean “Camden”?" in text
