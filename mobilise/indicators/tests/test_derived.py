"""Derived values: an ITL area or combined authority shows the sum of its local authorities'
figures for an indicator that can be added up, marked as derived, and never for a rate."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

from mobilise.indicators import selectors
from mobilise.indicators.importing import import_observations
from mobilise.indicators.importing.meta import opensdg_meta, tidy_meta
from mobilise.indicators.models import Indicator
from mobilise.indicators.tests.factories import IndicatorFactory, SeriesFactory, observations_for
from mobilise.indicators.units import additive_unit
from mobilise.places.models import Place, PlaceMember
from mobilise.places.tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

DERIVED_3 = "Derived: the sum of 3 local authorities’ figures"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    area = PlaceFactory(
        code="TLC11-25", ons_code="TLC11", vintage=2025, name="Tyneside", kind=Place.Kind.ITL3
    )
    las = [
        PlaceFactory(code=f"E0800002{n}", name=name, kind=Place.Kind.UNITARY)
        for n, name in enumerate(["Gateshead", "Newcastle upon Tyne", "North Tyneside"], start=1)
    ]
    for la in las:
        PlaceMember.objects.create(area=area, member=la, whole=True)
    co2 = SeriesFactory(
        indicator=IndicatorFactory(
            code="co2-total", title="CO2 emissions", unit="kt CO2", additive=True
        )
    )
    rate = SeriesFactory(
        indicator=IndicatorFactory(
            code="co2-per-person", title="CO2 per person", unit="t per person", additive=False
        )
    )
    # 2019: all three; 2020: Gateshead has none.
    for la, (a, b) in zip(las, [(100.0, None), (200.0, 210.0), (50.5, 60.0)], strict=True):
        observations_for(co2, la, {"2019": a, **({"2020": b} if b is not None else {})})
        observations_for(rate, la, {"2019": 5.0, "2020": 4.0})
    return {"area": area, "las": las, "co2": co2, "rate": rate}


def test_area_gets_the_sum_of_its_members_marked_derived(world):
    history = selectors.history_with_derived(world["co2"], world["area"])
    assert [(v.period, v.value, v.derived, v.members) for v in history] == [
        ("2019", 350.5, True, 3)
    ]


def test_a_period_with_a_member_missing_shows_nothing(world):
    periods = [v.period for v in selectors.derived_history(world["co2"], world["area"])]
    assert "2020" not in periods


def test_a_rate_is_never_summed(world):
    assert selectors.history_with_derived(world["rate"], world["area"]) == []
    # Not even when someone marked the indicator additive but its series' unit is a rate.
    Indicator.objects.filter(pk=world["rate"].indicator_id).update(additive=True)
    world["rate"].indicator.refresh_from_db()
    assert selectors.derived_history(world["rate"], world["area"]) == []


def test_published_area_values_win(world):
    observations_for(world["co2"], world["area"], {"2019": 999.0})
    history = selectors.history_with_derived(world["co2"], world["area"])
    assert [(v.period, v.value, v.derived) for v in history] == [("2019", 999.0, False)]


def test_an_area_with_a_split_member_gets_nothing(world):
    PlaceMember.objects.filter(member=world["las"][0]).update(whole=False)
    assert selectors.summable_members(world["area"]) is None
    assert selectors.derived_history(world["co2"], world["area"]) == []


def test_a_local_authority_gets_no_derived_values(world):
    assert selectors.derived_history(world["co2"], world["las"][0]) == []


def test_indicator_page_for_the_area_shows_the_derived_sum(client, world):
    response = client.get("/indicators/co2-total/", {"place": "TLC11-25"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "350.5" in html
    assert DERIVED_3 in html
    assert "Tyneside does not publish the figures marked derived" in html


def test_indicator_page_for_a_rate_in_the_area_shows_no_figures(client, world):
    html = client.get("/indicators/co2-per-person/", {"place": "TLC11-25"}).content.decode()
    assert "There are no figures for Tyneside" in html
    assert "Derived:" not in html


def test_place_page_lists_the_derived_value_and_not_the_rate(client, world):
    html = client.get(world["area"].get_absolute_url()).content.decode()
    assert 'data-indicator="co2-total"' in html
    assert "350.5" in html and DERIVED_3 in html
    assert 'data-indicator="co2-per-person"' not in html


def test_place_page_shows_the_published_value_without_the_note(client, world):
    observations_for(world["co2"], world["area"], {"2019": 999.0})
    html = client.get(world["area"].get_absolute_url()).content.decode()
    assert "999" in html and "Derived:" not in html


# --- Which indicators can be added up -------------------------------------------------------------


@pytest.mark.parametrize(
    "unit",
    ["Number", "Count", "Tonnes", "kt CO2", "£ million", "people", "Number of deaths", "GBP"],
)
def test_counts_and_totals_are_additive(unit):
    assert additive_unit(unit) is True


@pytest.mark.parametrize(
    "unit",
    [
        "Percentage (%)",
        "%",
        "Rate per 100,000 population",
        "tonnes CO2 per person",
        "Number per 1,000 live births",
        "Ratio",
        "Index (2015=100)",
        "score",
        "Mean",
        "Average hours",
        "Median £",
        "£ per hour",
    ],
)
def test_rates_shares_and_averages_are_not(unit):
    assert additive_unit(unit) is False


@pytest.mark.parametrize("unit", ["", None, "Years", "MW"])
def test_an_unclear_unit_is_left_to_a_person(unit):
    assert additive_unit(unit) is None


def test_metadata_sets_additive_from_the_unit_or_says_so():
    assert opensdg_meta({"computation_units": "Number"}, "1-1-1").additive is True
    assert opensdg_meta({"computation_units": "Percentage (%)"}, "1-1-1").additive is False
    metas = tidy_meta(
        {
            "indicators": {
                "a": {"unit": "kt CO2"},
                "b": {"unit": "tonnes per person"},
                "c": {"unit": "MW", "additive": True},
            }
        }
    )
    assert [metas[c].additive for c in "abc"] == [True, False, True]


def test_shipped_co2_totals_are_additive_and_per_person_is_not():
    from mobilise.indicators.importing.meta import read_tidy_meta
    from mobilise.indicators.importing.places import SHIPPED_DIR

    metas = read_tidy_meta(SHIPPED_DIR / "emissions" / "la-co2-emissions.yaml")
    assert metas["co2-total"].additive is True
    assert metas["co2-transport"].additive is True
    assert metas["co2-per-person"].additive is False


def test_import_sets_additive_and_a_person_can_say_otherwise(world):
    rows = [("co2-new", "E08000021", "2019", "1")]
    import_observations(rows, indicators={"co2-new": {"title": "New", "unit": "kt CO2"}})
    assert Indicator.objects.get(code="co2-new").additive is True
    rows = [("counted", "E08000021", "2019", "1")]
    import_observations(rows, indicators={"counted": {"title": "Counted", "unit": "MW"}})
    assert Indicator.objects.get(code="counted").additive is False


def test_import_command_additive_flag(world, tmp_path):
    data = tmp_path / "mw.csv"
    data.write_text("indicator,geocode,period,value\nmw,E08000021,2019,1\n")
    meta = tmp_path / "mw.yaml"
    meta.write_text("indicators:\n  mw:\n    title: Capacity\n    unit: MW\n")
    call_command(
        "indicators_import", str(data), "--meta", str(meta), "--additive", stdout=io.StringIO()
    )
    assert Indicator.objects.get(code="mw").additive is True
    call_command(
        "indicators_import", str(data), "--meta", str(meta), "--not-additive", stdout=io.StringIO()
    )
    assert Indicator.objects.get(code="mw").additive is False
