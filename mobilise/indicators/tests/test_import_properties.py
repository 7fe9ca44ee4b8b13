"""Property-based tests of the indicator file readers (see docs/security.md, "Property-based
tests of every file reader").

An upload never raises: a valid CSV is written and reads back; a damaged one is either written or
reported with nothing written. Metadata parsing raises nothing but ``MetaError``.
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobilise.indicators.importing import import_upload
from mobilise.indicators.importing.meta import MetaError, parse_front_matter, tidy_meta
from mobilise.indicators.models import Indicator, Observation, Series
from mobilise.indicators.tests.factories import IndicatorFactory, SeriesFactory
from mobilise.places.tests.factories import PlaceFactory
from tests.mutations import NASTY_CELLS, mutated_bytes

DB_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SETTINGS = settings(max_examples=100, deadline=None, database=None)

META = "indicators:\n  co2-total:\n    title: CO2\n    unit: tonnes\n"
PLACES = {"E09000007": "Camden", "E09000014": "Haringey"}


@pytest.fixture
def world():
    for code, name in PLACES.items():
        PlaceFactory(code=code, name=name)
    SeriesFactory(indicator=IndicatorFactory(code="co2-total", title="CO2"))


def snapshot():
    return (
        Indicator.objects.count(),
        Series.objects.count(),
        sorted(Observation.objects.values_list("series_id", "place_id", "period", "value")),
    )


@st.composite
def uploads(draw: st.DrawFn) -> tuple[bytes, dict[tuple[str, str], float]]:
    """A small valid tidy CSV (a place or two, a few years) and the values it holds."""
    years = draw(st.lists(st.integers(1990, 2030), min_size=1, max_size=4, unique=True))
    places = draw(st.lists(st.sampled_from(sorted(PLACES)), min_size=1, max_size=2, unique=True))
    values = {
        (place, str(year)): draw(st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 3)))
        for place in places
        for year in years
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["indicator", "geocode", "period", "value"])
    for (place, period), value in values.items():
        writer.writerow(["co2-total", place, period, repr(value)])
    return buffer.getvalue().encode("utf-8"), values


@pytest.mark.django_db
@DB_SETTINGS
@given(upload=uploads())
def test_a_valid_upload_is_written_and_reads_back(world, upload) -> None:
    data, values = upload
    report = import_upload(io.BytesIO(data), name="co2.csv", meta_text=META)
    assert report.ok and report.written, report.lines()
    stored = {
        (code, period): value
        for code, period, value in Observation.objects.filter(
            series__indicator__code="co2-total"
        ).values_list("place__code", "period", "value")
    }
    for key, value in values.items():
        assert stored[key] == pytest.approx(value)


@pytest.mark.django_db
@DB_SETTINGS
@given(data=st.data(), upload=uploads())
def test_a_damaged_upload_never_raises_and_writes_nothing_when_it_reports_an_error(
    world, data: st.DataObject, upload
) -> None:
    damaged = data.draw(mutated_bytes(upload[0]))
    before = snapshot()
    report = import_upload(io.BytesIO(damaged), name="co2.csv", meta_text=META)
    if not report.ok:
        assert report.errors
        assert not report.written
        assert snapshot() == before


@pytest.mark.django_db
@DB_SETTINGS
@given(data=st.data(), upload=uploads())
def test_damaged_metadata_never_raises_and_writes_nothing_when_it_reports_an_error(
    world, data: st.DataObject, upload
) -> None:
    meta = data.draw(mutated_bytes(META.encode())).decode("utf-8", "replace")
    before = snapshot()
    report = import_upload(io.BytesIO(upload[0]), name="co2.csv", meta_text=meta)
    if not report.ok:
        assert not report.written
        assert snapshot() == before


# --- Metadata parsing: no database -------------------------------------------------------------

YAML_SCALARS = st.one_of(
    NASTY_CELLS,
    st.sampled_from(["~", "[]", "{}", "[1, 2]", "{a: 1}", "yes", "1e999", "!!binary aGk=", "*x"]),
)


@st.composite
def metadata_texts(draw: st.DrawFn) -> str:
    """Tidy metadata with random values in every slot a person might fill in."""
    key = draw(st.sampled_from(["title", "unit", "polarity", "periodicity", "additive"]))
    value = draw(YAML_SCALARS)
    shape = draw(st.integers(0, 4))
    if shape == 0:
        return f"indicators:\n  co2-total:\n    {key}: {value}\n"
    if shape == 1:
        return f"indicators:\n  co2-total: {value}\n"
    if shape == 2:
        return f"indicators:\n  - code: {value}\n    {key}: {value}\n"
    if shape == 3:
        return f"code: {value}\n{key}: {value}\n"
    return f"indicators: {value}\n"


@SETTINGS
@given(text=st.one_of(metadata_texts(), st.text(max_size=200)))
def test_metadata_is_read_or_refused_with_a_meta_error(text: str) -> None:
    try:
        tidy_meta(parse_front_matter(text))
    except MetaError:
        pass


@SETTINGS
@given(data=st.data())
def test_damaged_metadata_is_read_or_refused_with_a_meta_error(data: st.DataObject) -> None:
    text = data.draw(mutated_bytes(META.encode())).decode("utf-8", "replace")
    try:
        tidy_meta(parse_front_matter(text))
    except MetaError:
        pass


# --- Crashes the properties found, kept as plain regression tests --------------------------------


@pytest.mark.parametrize(
    "text, words",
    [
        ("indicators:\n  co2-total: NaN\n", "co2-total: the details should be indented"),
        ("indicators:\n  co2-total:\n    polarity: []\n", "polarity must be higher"),
        ("indicators:\n  co2-total:\n    periodicity: {a: 1}\n", "periodicity must be one of"),
    ],
)
def test_metadata_of_the_wrong_shape_is_a_meta_error_naming_the_indicator(text, words) -> None:
    # These raised TypeError ("'str' object is not a mapping", "unhashable type: 'list'").
    with pytest.raises(MetaError, match=words):
        tidy_meta(parse_front_matter(text))


@pytest.mark.django_db
def test_an_upload_whose_metadata_has_the_wrong_shape_reports_it_and_writes_nothing(world) -> None:
    data = b"indicator,geocode,period,value\nco2-total,E09000007,2019,10\n"
    before = snapshot()
    report = import_upload(
        io.BytesIO(data), name="co2.csv", meta_text="indicators:\n  co2-total: NaN\n"
    )
    assert not report.ok and not report.written
    assert any("co2-total: the details should be indented" in p.message for p in report.errors)
    assert snapshot() == before
