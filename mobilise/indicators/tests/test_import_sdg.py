"""The ONS UK SDG files Mobilise ships, imported against the shipped places.

3-9-1 has local authorities on three generations of codes, 4-c-1 names its authorities while
GeoCode holds their region, and 8-10-1 has authorities named but not coded, "Bristol, City of",
and Fife on a retired code.
"""

import csv
import gzip
import shutil
from pathlib import Path

import pytest
from django.db import transaction

from mobilise.indicators.importing import SHIPPED_DIR, Kind, import_path
from mobilise.indicators.models import Indicator, Observation, Series
from mobilise.places import services as places_services
from mobilise.places.sources import SHIPPED_GEO_DIR

SDG = SHIPPED_DIR / "sdg"


@pytest.fixture(scope="module")
def shipped_places(django_db_setup, django_db_blocker):
    """The shipped places, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        places_services.places_load(path=SHIPPED_GEO_DIR)
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped_places")]


def sdg_copy(folder: Path, code: str, *, edit=None) -> Path:
    """An Open SDG folder (data/ + meta/) holding one shipped indicator, optionally edited."""
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "meta").mkdir(exist_ok=True)
    shutil.copy(SDG / "meta" / f"{code}.md", folder / "meta" / f"{code}.md")
    text = gzip.decompress((SDG / "data" / f"indicator_{code}.csv.gz").read_bytes()).decode()
    if edit:
        text = edit(text)
    target = folder / "data" / f"indicator_{code}.csv"
    target.write_text(text, encoding="utf-8")
    return target


def data_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def camden(code: str, **filters) -> list[tuple[str, float]]:
    return list(
        Observation.objects.filter(
            series__indicator__code=code, series__key="", place__code="E09000007", **filters
        )
        .order_by("time")
        .values_list("period", "value")
    )


def test_shipped_files_import_with_their_quirks(tmp_path):
    files = [sdg_copy(tmp_path, code) for code in ("3-9-1", "4-c-1", "8-10-1")]
    report = import_path(tmp_path)

    assert report.ok, report.lines()
    rows = {f.name: data_rows(f) for f in files}
    assert report.rows_read == sum(len(r) for r in rows.values())
    assert report.rows_blank == sum(1 for r in rows.values() for row in r if not row["Value"])
    stored = Observation.objects.filter(series__indicator__code__in=["3-9-1", "4-c-1", "8-10-1"])
    assert report.created == stored.count() > 10_000
    assert report.created == report.rows_read - report.rows_blank - report.rows_skipped

    # Metadata: title, unit, source and licence from the .md; direction from Mobilise's table.
    pm25 = Indicator.objects.get(code="3-9-1")
    assert pm25.title.startswith("Fraction of all-cause adult mortality")
    assert (pm25.unit, pm25.polarity, pm25.licence) == (
        "Percentage (%)",
        "lower",
        "Open Government Licence v3.0",
    )
    assert "Open Government Licence v3.0" in pm25.attribution
    # The headline is the series Open SDG shows first; Series, on every row, is not a breakdown.
    headline = Series.objects.get(indicator=pm25, key="")
    assert headline.dimensions == {
        "Series": "Fraction of mortality attributable to particulate air pollution (new method)"
    }
    assert ("2019", 8.98) in camden("3-9-1")
    # Post-2019 codes (Buckinghamshire unitary) as published.
    assert Observation.objects.filter(series=headline, place__code="E06000060").exists()

    # 4-c-1: GeoCode holds the region; the local authority's name wins.
    teachers = camden("4-c-1")
    assert teachers[0][0] == "2010/11" and len(teachers) == 13
    assert Indicator.objects.get(code="4-c-1").periodicity == Indicator.Periodicity.ACADEMIC_YEAR
    north_east = Observation.objects.filter(
        series__indicator__code="4-c-1", place__code="E12000001"
    )
    assert north_east.exists()  # the regions' own rows (no authority named) stay on the region
    warnings = {(p.kind, p.value) for p in report.warnings}
    assert (Kind.NOT_HELD, "E13000001") in warnings  # Inner London: not a place we hold

    # 8-10-1: names without codes, and Fife on its pre-2018 code, which is a retired place.
    banks = Observation.objects.filter(series__indicator__code="8-10-1")
    assert banks.filter(place__code="S12000015").exists()
    bristol = [
        r for r in rows["indicator_8-10-1.csv"] if r["Local Authority"] == "Bristol, City of"
    ]
    assert bristol and not bristol[0]["GeoCode"]
    assert banks.filter(place__code="E06000023", period=bristol[0]["Year"]).exists()


def test_reimport_changes_nothing_and_a_corrected_value_updates_in_place(tmp_path):
    sdg_copy(tmp_path, "3-9-1")
    first = import_path(tmp_path)
    ids = set(Observation.objects.values_list("pk", flat=True))

    again = import_path(tmp_path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)

    old, new = (
        "Camden,,Normal value,Percentage (%),E09000007,8.98",
        "Camden,,Normal value,Percentage (%),E09000007,8.5",
    )
    sdg_copy(tmp_path, "3-9-1", edit=lambda text: text.replace(old, new))
    corrected = import_path(tmp_path)
    assert (corrected.created, corrected.updated) == (0, 1)
    assert ("2019", 8.5) in camden("3-9-1")
    assert set(Observation.objects.values_list("pk", flat=True)) == ids


def test_an_unresolved_name_stops_the_import_or_is_skipped_on_request(tmp_path):
    path = sdg_copy(tmp_path, "4-c-1", edit=lambda t: t.replace(",Camden,", ",Camdn,"))
    report = import_path(tmp_path)
    assert not report.ok and not Observation.objects.exists()
    problem = report.errors[0]
    line = next(
        i for i, row in enumerate(data_rows(path), start=2) if row["Local authority"] == "Camdn"
    )
    assert (problem.kind, problem.row, problem.column, problem.value) == (
        Kind.UNKNOWN_PLACE,
        line,
        "Local authority",
        "Camdn",
    )
    assert report.error_count == sum(
        1 for r in data_rows(path) if r["Local authority"] == "Camdn" and r["Value"]
    )

    lenient = import_path(tmp_path, unresolved_names="warning")
    assert lenient.ok and lenient.created > 2000
    assert any(p.kind == Kind.UNKNOWN_PLACE and p.value == "Camdn" for p in lenient.warnings)
