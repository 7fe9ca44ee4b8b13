"""Replace mode, the page caches' version key after an import, and the bulk write's foreign keys."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mobilise.indicators import selectors
from mobilise.indicators.importing import import_observations, writer
from mobilise.indicators.models import Indicator, Observation
from mobilise.places.tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

INDICATORS = {"co2": {"title": "CO2", "unit": "kt"}, "pm": {"title": "PM2.5", "unit": "µg/m3"}}
COLUMNS = ("indicator", "geocode", "period", "value", "Sex")
FIRST = [
    ("co2", "E09000007", "2019", "10", ""),
    ("co2", "E09000007", "2020", "9", ""),
    ("co2", "E09000001", "2020", "2", ""),
    ("co2", "E09000007", "2020", "4", "Female"),
    ("pm", "E09000007", "2020", "12", ""),
]
# The corrected co2 file: Camden 2019 and the whole Female series are gone, 2020 is corrected.
CORRECTED = [
    ("co2", "E09000007", "2020", "8.5", ""),
    ("co2", "E09000001", "2020", "2", ""),
]


@pytest.fixture
def places():
    return [PlaceFactory(code="E09000007"), PlaceFactory(code="E09000001")]


def load(rows, **kwargs):
    return import_observations(rows, indicators=INDICATORS, columns=COLUMNS, **kwargs)


def stored(code: str) -> dict[tuple[str, str, str], float]:
    return {
        (o.series.key, o.place.code, o.period): o.value
        for o in Observation.objects.filter(series__indicator__code=code).select_related(
            "series", "place"
        )
    }


def test_replace_removes_what_the_corrected_file_no_longer_has(places):
    assert load(FIRST).written

    report = load(CORRECTED, replace=True)

    assert report.written
    assert (report.created, report.updated, report.unchanged, report.removed) == (0, 1, 1, 2)
    assert report.indicators["co2"].observations_removed == 2
    assert stored("co2") == {("", "E09000007", "2020"): 8.5, ("", "E09000001", "2020"): 2.0}
    # Another indicator, not in the file, is left alone.
    assert stored("pm") == {("", "E09000007", "2020"): 12.0}
    assert any("2 removed" in line for line in report.lines())


def test_without_replace_a_corrected_file_removes_nothing(places):
    load(FIRST)

    report = load(CORRECTED)

    assert (report.updated, report.removed) == (1, 0)
    assert len(stored("co2")) == 4


def test_replace_on_a_dry_run_counts_but_removes_nothing(places):
    load(FIRST)

    report = load(CORRECTED, replace=True, dry_run=True)

    assert report.ok and not report.written and report.removed == 2
    assert len(stored("co2")) == 4


def test_replace_with_an_error_in_the_file_removes_nothing(places):
    load(FIRST)

    report = load([*CORRECTED, ("co2", "E09000007", "2021", "ten", "")], replace=True)

    assert not report.ok and not report.written
    assert stored("co2")[("", "E09000007", "2019")] == 10.0
    assert len(stored("co2")) == 4


def test_replace_with_the_same_file_changes_nothing(places):
    load(FIRST)

    report = load(FIRST, replace=True)

    assert (report.created, report.updated, report.removed, report.unchanged) == (0, 0, 0, 5)


def test_the_command_replaces_and_says_how_many_were_removed(places, tmp_path):
    load(FIRST)
    path = tmp_path / "co2.csv"
    path.write_text(
        "indicator,geocode,period,value\nco2,E09000007,2020,8.5\nco2,E09000001,2020,2\n"
    )
    out = io.StringIO()

    call_command("indicators_import", str(path), "--replace", stdout=out, stderr=io.StringIO())

    assert "Replace: 2 stored value(s) no longer in the file removed." in out.getvalue()
    assert len(stored("co2")) == 2


def test_a_correction_changes_the_page_caches_version_at_once(places):
    load(FIRST)
    before = selectors.data_version()
    stamp = Indicator.objects.get(code="pm").updated_at

    load(FIRST)  # the same data again: nothing changed, so the cached pages stay valid
    assert selectors.data_version() == before

    load([("co2", "E09000007", "2020", "8.5", "")])  # a value corrected in place
    after = selectors.data_version()
    assert after != before
    # Only the indicator whose values changed is touched.
    assert Indicator.objects.get(code="pm").updated_at == stamp

    load(CORRECTED, replace=True)  # values removed
    assert selectors.data_version() != after


def _foreign_keys() -> list[tuple[str, bool]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid), convalidated FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY 1",
            [Observation._meta.db_table],
        )
        return cursor.fetchall()


def test_a_bulk_import_keeps_the_foreign_keys(places, monkeypatch):
    """Above the bulk threshold, PostgreSQL drops the two foreign keys for the write and
    validates them again; the data and the constraints must come out as a row-by-row write's."""
    postgres = connection.vendor == "postgresql"
    keys_before = _foreign_keys() if postgres else None
    monkeypatch.setattr(writer, "BULK_FK_ROWS", 2)

    with CaptureQueriesContext(connection) as queries:
        report = load(FIRST)
        corrected = load([*CORRECTED, ("co2", "E09000007", "2022", "7", "")])

    assert report.written and report.created == 5
    assert (corrected.created, corrected.updated) == (1, 1)
    assert stored("co2")[("", "E09000007", "2022")] == 7.0
    if postgres:
        validated = [q["sql"] for q in queries.captured_queries if "VALIDATE" in q["sql"]]
        assert len(validated) == 4  # two keys, two imports: the bulk path did run
        assert _foreign_keys() == keys_before
        assert len(keys_before) == 2 and all(valid for _d, valid in keys_before)


def test_the_map_page_shows_a_corrected_value_at_once(client):
    from mobilise.places.models import Place
    from mobilise.places.tests.factories import square_bbox, square_boundary

    for i, code in enumerate(("E09000007", "E09000001")):
        PlaceFactory(
            code=code,
            kind=Place.Kind.UNITARY,
            boundary=square_boundary(-0.2 + i * 0.1, 51.5),
            bbox=square_bbox(-0.2 + i * 0.1, 51.5),
        )
    load(FIRST)
    url = "/indicators/co2/map/?level=la"
    assert ">9<" in client.get(url).content.decode().replace(" ", "")  # and now it is cached

    load([("co2", "E09000007", "2020", "8.5", "")])

    html = client.get(url).content.decode().replace(" ", "")
    assert ">8.5<" in html and ">9<" not in html


def test_a_correction_tells_listeners_which_indicators_changed(places):
    from mobilise.indicators.signals import observations_changed

    load(FIRST)
    heard = []

    def listener(sender, *, indicator_ids, **kwargs):
        heard.append(
            sorted(Indicator.objects.filter(pk__in=indicator_ids).values_list("code", flat=True))
        )

    observations_changed.connect(listener)
    try:
        load(FIRST)  # nothing changed: nobody is told
        load([("co2", "E09000007", "2020", "8.5", "")])
    finally:
        observations_changed.disconnect(listener)
    assert heard == [["co2"]]
