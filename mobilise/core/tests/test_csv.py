"""Formula injection (issue #16, defect 2): cells a spreadsheet would run are neutralised, genuine
numbers are not."""

import csv
import io
from decimal import Decimal

import pytest

from mobilise.core.csv import safe_cell, safe_writer, unescape_cell

FORMULAS = [
    '=HYPERLINK("http://evil.example","Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    "-",
    "=",
]
NUMBERS = ["-3.5", "+44", "-1e-05", "12", "0.0435", ".5", "-7."]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_gets_a_quote_in_front(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [*NUMBERS, -3.5, -2, Decimal("-1.25"), 0, None, True])
def test_numbers_stay_as_they_are(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("text", ["Camden", "", "'", "'quoted", "a=b", "'=x", "''=x", " =x"])
def test_ordinary_text_is_untouched_or_round_trips(text):
    if not text.startswith("'"):
        assert safe_cell(text) == text
    assert unescape_cell(safe_cell(text)) == text


@pytest.mark.parametrize("text", FORMULAS + NUMBERS)
def test_unescape_is_the_inverse(text):
    assert unescape_cell(safe_cell(text)) == text


def test_the_writer_neutralises_every_cell():
    out = io.StringIO()
    writer = safe_writer(out, lineterminator="\n")
    writer.writerow(["=1+1", -3.5, "-3.5", "@x", "ok"])
    writer.writerows([["+cmd"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["'=1+1", "-3.5", "-3.5", "'@x", "ok"],
        ["'+cmd"],
    ]
