"""Broken files: every kind of problem is reported with its row and column, and nothing is written."""

import gzip
from pathlib import Path

import pytest

from mobilise.indicators.importing import Kind, Severity, import_path, import_upload
from mobilise.indicators.models import Indicator, Observation, Series
from mobilise.indicators.tests.factories import IndicatorFactory, ObservationFactory, SeriesFactory
from mobilise.places.tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

HEADER = "indicator,geocode,period,value"
META = "indicators:\n  x:\n    title: X\n    dimensions: [Sex]\n"


@pytest.fixture
def world():
    """Two places and one stored observation, so "nothing written" is checked against real rows."""
    camden = PlaceFactory(code="E09000007", name="Camden")
    PlaceFactory(code="E09000001", name="City of London")
    series = SeriesFactory(indicator=IndicatorFactory(code="x", title="X", dimensions=["Sex"]))
    ObservationFactory(series=series, place=camden, period="2018", value=5.0)


def snapshot():
    return (
        Indicator.objects.count(),
        Series.objects.count(),
        sorted(Observation.objects.values_list("series_id", "place_id", "period", "value")),
    )


def run(tmp_path: Path, text: str, meta: str = META, **kwargs):
    csv = tmp_path / "data.csv"
    csv.write_text(text, encoding="utf-8")
    (tmp_path / "data.yaml").write_text(meta, encoding="utf-8")
    before = snapshot()
    report = import_path(csv, **kwargs)
    assert snapshot() == before, "an import with errors must write nothing"
    assert not report.ok and not report.written
    return report


def only_error(report):
    (problem,) = report.errors
    assert problem.severity == Severity.ERROR
    return problem


@pytest.mark.parametrize(
    ("rows", "kind", "row", "column", "value"),
    [
        ("x,E09000007,2019,1\nx,E09000007,2020,abc", Kind.NON_NUMERIC, 3, "value", "abc"),
        ("x,E09000007,2019,1\nx,E09999999,2020,2", Kind.UNKNOWN_PLACE, 3, "geocode", "E09999999"),
        (
            "x,E09000007,2019,1\nx,Camden Town,2020,2",
            Kind.UNKNOWN_PLACE,
            3,
            "geocode",
            "Camden Town",
        ),
        ("x,E09000007,2021/19,1", Kind.BAD_PERIOD, 2, "period", "2021/19"),
        ("x,E09000007,next year,1", Kind.BAD_PERIOD, 2, "period", "next year"),
        ("y,E09000007,2019,1", Kind.UNKNOWN_INDICATOR, 2, "indicator", "y"),
        ("x,E09000007,2019,inf", Kind.NON_NUMERIC, 2, "value", "inf"),
    ],
)
def test_each_cell_problem_names_its_row_and_column(
    world, tmp_path, rows, kind, row, column, value
):
    report = run(tmp_path, f"{HEADER}\n{rows}\n")
    problem = only_error(report)
    assert (problem.kind, problem.row, problem.column, problem.value) == (kind, row, column, value)
    assert problem.message


def test_duplicate_key_with_different_values_is_an_error_listing_both_rows(world, tmp_path):
    report = run(
        tmp_path, f"{HEADER}\nx,E09000007,2019,1\nx,E09000001,2019,2\nx,E09000007,2019,3\n"
    )
    problem = only_error(report)
    assert (problem.kind, problem.row) == (Kind.DUPLICATE_KEY, 2)
    assert "rows 2, 4" in problem.message and "(1, 3)" in problem.message


def test_an_exact_repeat_is_a_warning_and_imported_once(world, tmp_path):
    csv = tmp_path / "data.csv"
    csv.write_text(f"{HEADER}\nx,E09000007,2019,1\nx,E09000007,2019,1\n")
    (tmp_path / "data.yaml").write_text(META)
    report = import_path(csv)
    assert report.ok and report.created == 1
    (warning,) = report.warnings
    assert warning.kind == Kind.DUPLICATE_KEY and warning.row == 2


def test_conflicting_duplicates_can_be_skipped_with_a_warning(world, tmp_path):
    csv = tmp_path / "data.csv"
    csv.write_text(f"{HEADER}\nx,E09000007,2019,1\nx,E09000007,2019,3\nx,E09000001,2019,2\n")
    (tmp_path / "data.yaml").write_text(META)
    report = import_path(csv, duplicates="skip")
    assert report.ok and report.created == 1 and report.rows_skipped == 2
    assert report.warnings[0].kind == Kind.DUPLICATE_KEY


def test_a_breakdown_the_metadata_does_not_declare_is_an_unknown_dimension(world, tmp_path):
    report = run(
        tmp_path,
        "indicator,geocode,period,value,Sex,Age\nx,E09000007,2019,1,Male,\nx,E09000007,2020,1,,16-24\n",
    )
    problem = only_error(report)
    assert (problem.kind, problem.row, problem.column, problem.value) == (
        Kind.UNKNOWN_DIMENSION,
        3,
        "Age",
        "16-24",
    )


def test_an_existing_indicator_keeps_its_breakdowns_without_metadata(world, tmp_path):
    report = run(
        tmp_path, "indicator,geocode,period,value,Gender\nx,E09000007,2019,1,Male\n", meta="{}"
    )
    assert only_error(report).kind == Kind.UNKNOWN_DIMENSION


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("indicator,geocode,period", "value"),
        ("indicator,geocode,value", "period"),
        ("indicator,period,value", "geocode"),
    ],
)
def test_missing_columns_are_reported_on_the_header_row(world, tmp_path, header, missing):
    report = run(tmp_path, f"{header}\nx,E09000007,2019\n")
    problem = only_error(report)
    assert (problem.kind, problem.row, problem.column) == (Kind.MISSING_COLUMN, 1, missing)


def test_bad_status_and_changing_unit(world, tmp_path):
    report = run(
        tmp_path,
        "indicator,geocode,period,value,status,unit\nx,E09000007,2019,1,Z,kt\nx,E09000007,2020,1,P,t\n",
    )
    kinds = [(p.kind, p.row, p.column) for p in report.errors]
    assert kinds == [(Kind.BAD_STATUS, 2, "status"), (Kind.INCONSISTENT_UNIT, 3, "unit")]


def test_every_problem_in_a_file_is_listed(world, tmp_path):
    report = run(
        tmp_path,
        f"{HEADER}\nx,E09000007,2019,abc\nx,E09999999,20x9,2\nx,E09000007,2020,1\nz,E09000001,2019,\n",
    )
    found = sorted((p.row, p.kind) for p in report.errors)
    assert found == [
        (2, Kind.NON_NUMERIC),
        (3, Kind.BAD_PERIOD),
        (3, Kind.UNKNOWN_PLACE),
    ]
    assert report.rows_blank == 1  # a blank value is counted, not a problem (even for "z")


def test_an_error_in_one_file_of_a_folder_stops_the_whole_import(world, tmp_path):
    (tmp_path / "a.csv").write_text(f"{HEADER}\nx,E09000007,2019,1\n")
    (tmp_path / "a.yaml").write_text(META)
    (tmp_path / "b.csv").write_text(f"{HEADER}\nx,E09000001,2019,oops\n")
    (tmp_path / "b.yaml").write_text(META)
    before = snapshot()
    report = import_path(tmp_path)
    assert not report.ok and snapshot() == before
    assert only_error(report).file == "b.csv"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        ("indicator,geocode,period,value\nx,E09000007,2019,£1\n".encode("latin-1"), "UTF-8"),
        # mtime=0: a timestamp in the gzip header would give each test worker a different test id.
        (
            gzip.compress(b"indicator,geocode,period,value\nx,E09000007,2019,1\n", mtime=0)[:20],
            "read",
        ),
        (b"foo,bar\n1,2\n", "format"),
    ],
    ids=["empty", "not-utf8", "truncated-gzip", "unknown-format"],
)
def test_unreadable_files_are_reported_not_raised(world, content, message):
    from io import BytesIO

    before = snapshot()
    report = import_upload(BytesIO(content), name="upload.csv", meta_text=META)
    assert not report.ok and snapshot() == before
    problem = only_error(report)
    assert problem.kind in (Kind.BAD_FILE, Kind.UNKNOWN_FORMAT)
    assert message.lower() in problem.message.lower()


def test_uncompressed_size_limit(world):
    from io import BytesIO

    big = HEADER + "\n" + "x,E09000007,2019,1\n" * 2000
    report = import_upload(
        BytesIO(gzip.compress(big.encode())), name="big.csv.gz", meta_text=META, max_bytes=10_000
    )
    assert not report.ok and "larger than" in only_error(report).message


def test_bad_metadata_is_reported(world, tmp_path):
    report = run(
        tmp_path,
        f"{HEADER}\nx,E09000007,2019,1\n",
        meta="indicators:\n  x:\n    polarity: upwards\n",
    )
    problem = only_error(report)
    assert problem.kind == Kind.BAD_META and "polarity" in problem.message


def test_open_sdg_file_without_year_column(world, tmp_path):
    csv = tmp_path / "indicator_1-1-1.csv"
    csv.write_text("Value,GeoCode\n1,E09000007\n")
    report = import_path(csv, format="opensdg")
    problem = only_error(report)
    assert (problem.kind, problem.row, problem.column) == (Kind.MISSING_COLUMN, 1, "Year")
