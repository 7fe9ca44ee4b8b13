"""Tidy CSV and Python rows: what is created, re-imports, corrections, names and codes."""

import gzip
from pathlib import Path

import pytest

from mobilise.indicators.importing import Kind, Severity, import_observations, import_path
from mobilise.indicators.models import Indicator, Observation, Series
from mobilise.places.models import Place
from mobilise.places.tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

META = """
source_name: Test source
licence: Open Government Licence v3.0
indicators:
  co2:
    title: Carbon dioxide emissions
    unit: kt CO2
    polarity: lower
"""

TIDY = """indicator,geocode,period,value,Sex
co2,E09000007,2019,10.5,
co2,E09000007,2020,9.5,
co2,E09000007,2020,4.0,Female
co2,E09000001,2020,1.25,
co2,E09000001,2021,,
"""


@pytest.fixture
def places():
    Kind = Place.Kind
    specs = [
        ("K02000001", "United Kingdom", Kind.UK, None, None),
        ("E12000007", "London", Kind.REGION, None, None),
        ("E09000007", "Camden", Kind.UNITARY, None, None),
        ("E09000001", "City of London", Kind.UNITARY, None, None),
        ("E06000023", "Bristol, City of", Kind.UNITARY, None, None),
        ("E07000240", "St Albans", Kind.DISTRICT, None, None),
        ("E10000002", "Buckinghamshire", Kind.COUNTY, None, 2019),
        ("E06000060", "Buckinghamshire", Kind.UNITARY, 2020, None),
        ("E07000004", "Aylesbury Vale", Kind.DISTRICT, None, 2019),
    ]
    return {
        code: PlaceFactory(code=code, name=name, kind=kind, valid_from=start, valid_to=end)
        for code, name, kind, start, end in specs
    }


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_tidy_csv_creates_indicator_series_and_observations(places, tmp_path):
    csv = write(tmp_path, "co2.csv", TIDY)
    meta = write(tmp_path, "meta.yaml", META)

    report = import_path(csv, meta=meta)

    assert report.ok and report.written
    assert (report.rows_read, report.rows_blank, report.created) == (5, 1, 4)
    indicator = Indicator.objects.get(code="co2")
    assert (indicator.title, indicator.unit, indicator.polarity) == (
        "Carbon dioxide emissions",
        "kt CO2",
        "lower",
    )
    assert indicator.periodicity == Indicator.Periodicity.ANNUAL
    assert indicator.dimensions == ["Sex"]
    assert indicator.source_name == "Test source"
    keys = dict(Series.objects.filter(indicator=indicator).values_list("key", "dimensions"))
    assert keys == {"": {}, "Sex=Female": {"Sex": "Female"}}
    camden = Observation.objects.get(series__key="", place__code="E09000007", period="2019")
    assert (camden.value, camden.time, camden.status) == (10.5, 2019.0, "F")
    assert report.indicators["co2"].observations_created == 4


def test_reimport_changes_nothing_and_a_correction_updates_in_place(places, tmp_path):
    csv = write(tmp_path, "co2.csv", TIDY)
    meta = write(tmp_path, "meta.yaml", META)
    import_path(csv, meta=meta)
    before = dict(Observation.objects.values_list("pk", "value"))

    again = import_path(csv, meta=meta)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert dict(Observation.objects.values_list("pk", "value")) == before

    write(tmp_path, "co2.csv", TIDY.replace("2019,10.5", "2019,11.0"))
    corrected = import_path(csv, meta=meta)
    assert (corrected.created, corrected.updated, corrected.unchanged) == (0, 1, 3)
    after = dict(Observation.objects.values_list("pk", "value"))
    assert set(after) == set(before)  # same rows, updated where they are
    changed = {pk for pk in after if after[pk] != before[pk]}
    assert [after[pk] for pk in changed] == [11.0]


def test_sidecar_metadata_and_gzip_are_found(places, tmp_path):
    (tmp_path / "co2.csv.gz").write_bytes(gzip.compress(TIDY.encode()))
    write(tmp_path, "co2.yaml", META)
    report = import_path(tmp_path)  # the folder: tidy CSVs with a .yaml next to them
    assert report.ok and report.created == 4
    assert Indicator.objects.get(code="co2").title == "Carbon dioxide emissions"


def test_period_spellings_are_one_key(places, tmp_path):
    meta = write(tmp_path, "m.yaml", "indicators:\n  q:\n    title: Quarterly\n")
    first = write(tmp_path, "a.csv", "indicator,geocode,period,value\nq,E09000007,2021 Q2,1\n")
    second = write(tmp_path, "b.csv", "indicator,geocode,period,value\nq,E09000007,2021-Q2,1\n")
    assert import_path(first, meta=meta).created == 1
    again = import_path(second, meta=meta)
    assert (again.created, again.unchanged) == (0, 1)
    assert Observation.objects.get().period == "2021-Q2"
    assert Indicator.objects.get(code="q").periodicity == Indicator.Periodicity.QUARTERLY


def test_import_observations_api_takes_tuples_and_mappings(places):
    rows = [("api", "E09000007", "2019", 1.5), ("api", "E09000001", 2019, "2.5")]
    report = import_observations(rows, indicators={"api": {"title": "API", "unit": "%"}})
    assert report.ok and report.created == 2
    assert Indicator.objects.get(code="api").unit == "%"

    mapped = [
        {"indicator": "api", "geocode": "E09000007", "period": "2019", "value": 1.5, "Age": ""},
        {"indicator": "api", "geocode": "E09000007", "period": "2019", "value": 3.0, "Age": "0-15"},
    ]
    report = import_observations(mapped)
    assert (report.created, report.unchanged) == (1, 1)
    assert Series.objects.filter(indicator__code="api", key="Age=0-15").exists()


def test_unknown_indicator_without_metadata_is_an_error_unless_asked_to_create(places):
    rows = [("new-one", "E09000007", "2019", 1.0)]
    report = import_observations(rows)
    assert not report.ok
    (problem,) = report.errors
    assert (problem.kind, problem.row, problem.column) == (Kind.UNKNOWN_INDICATOR, 1, "indicator")
    assert not Indicator.objects.exists()

    report = import_observations(rows, create_indicators=True)
    assert report.ok and Indicator.objects.get(code="new-one").title == "new-one"


def test_place_names_retired_codes_and_areas_we_do_not_hold(places, tmp_path):
    text = """indicator,geocode,area name,period,value
x,,City of Bristol,2020,1
x,,Bristol UA,2021,2
x,,"Bristol, City of",2022,3
x,,Buckinghamshire,2018,4
x,,Buckinghamshire,2021,5
x,E07000004,,2018,6
x,E07000100,,2018,7
x,K03000001,,2018,8
x,,London,2018,9
"""
    csv = write(tmp_path, "x.csv", text)
    meta = write(tmp_path, "x.yaml", "indicators:\n  x:\n    title: X\n")
    report = import_path(csv, meta=meta)

    assert report.ok, report.lines()
    where = dict(Observation.objects.values_list("value", "place__code"))
    assert where == {
        1: "E06000023",
        2: "E06000023",
        3: "E06000023",
        4: "E10000002",  # the county, in 2018
        5: "E06000060",  # the unitary that replaced it, in 2021
        6: "E07000004",  # a retired code stays on its (retired) place
        7: "E07000240",  # St Albans' pre-2020 code, which the lookup knows
        9: "E12000007",
    }
    warnings = {p.kind: p for p in report.warnings}
    assert (
        warnings[Kind.PLACE_RECODED].row == 8
        and "E07000240" in warnings[Kind.PLACE_RECODED].message
    )
    assert warnings[Kind.NOT_HELD].row == 9 and warnings[Kind.NOT_HELD].value == "K03000001"
    assert report.rows_skipped == 1


def test_an_unresolved_name_is_reported_with_its_row_and_column(places, tmp_path):
    csv = write(
        tmp_path,
        "x.csv",
        "indicator,geocode,area name,period,value\nx,,Camden,2020,1\nx,,Atlantis,2020,2\n",
    )
    meta = write(tmp_path, "x.yaml", "indicators:\n  x:\n    title: X\n")
    report = import_path(csv, meta=meta)
    assert not report.ok and not Observation.objects.exists()
    (problem,) = report.errors
    assert (problem.kind, problem.severity) == (Kind.UNKNOWN_PLACE, Severity.ERROR)
    assert (problem.row, problem.column, problem.value) == (3, "area name", "Atlantis")


def test_not_available_markers_are_skipped_like_blanks(places):
    rows = [
        ("m", "E09000007", "2019", ".."),
        ("m", "E09000007", "2020", "[x]"),
        ("m", "E09000007", "2021", "1,234.5"),
    ]
    report = import_observations(rows, indicators={"m": {"title": "M"}})
    assert report.ok and (report.rows_blank, report.created) == (2, 1)
    assert Observation.objects.get().value == 1234.5


def test_dry_run_reports_counts_and_writes_nothing(places, tmp_path):
    csv = write(tmp_path, "co2.csv", TIDY)
    meta = write(tmp_path, "meta.yaml", META)
    report = import_path(csv, meta=meta, dry_run=True)
    assert report.ok and not report.written and report.created == 4
    assert not Indicator.objects.exists() and not Observation.objects.exists()
