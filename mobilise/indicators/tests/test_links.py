"""Linking an indicator to a mission outcome on the site (it was admin-only): a lead of the owning
organisation searches by name or code, picks places by name, links and unlinks."""

import pytest
from django.core.cache import cache

from mobilise.accounts.tests.factories import OrganisationFactory, UserFactory, mission_lead
from mobilise.indicators.models import IndicatorLink
from mobilise.indicators.tests.factories import IndicatorFactory, SeriesFactory, observations_for

from .pages_world import build_world

pytestmark = pytest.mark.django_db

OUTCOME = "/missions/clean-air-camden/outcomes/cleaner-air/"
LINK = "/indicators/outcomes/clean-air-camden/cleaner-air/link/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    w = build_world()
    w.mission.places.add(w.places["E09000019"])  # Camden and Islington
    co2 = IndicatorFactory(
        code="co2-transport", title="CO2 emissions from transport", unit="kt CO2"
    )
    observations_for(SeriesFactory(indicator=co2), w.places["E09000007"], {"2019": 300.0})
    w.extra["co2"] = co2
    return w


@pytest.fixture
def lead(world):
    return mission_lead(world.owner)


def test_a_lead_searches_links_by_place_name_and_sees_it_on_the_outcome(client, world, lead):
    client.force_login(lead)
    outcome_page = client.get(OUTCOME).content.decode()
    assert "Link an indicator" in outcome_page
    # Search by words of the name, then by code.
    found = client.get(LINK, {"q": "transport"}).content.decode()
    assert "1 indicator matches ‘transport’" in found
    assert "CO2 emissions from transport (co2-transport)" in found
    assert "co2-transport" in client.get(LINK, {"q": "CO2-TRANS"}).content.decode()
    # Words in any order, as people type them.
    assert "1 indicator matches" in client.get(LINK, {"q": "transport co2"}).content.decode()
    response = client.post(
        LINK, {"q": "transport", "indicator": "co2-transport", "places": "camden"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(OUTCOME)
    link = IndicatorLink.objects.get()
    assert (link.indicator.code, link.place.name, link.outcome) == (
        "co2-transport",
        "Camden",
        world.outcome,
    )
    assert world.outcome in world.extra["co2"].outcomes.all()
    page = client.get(OUTCOME).content.decode()
    assert "now measures this outcome in Camden" in page
    assert "CO2 emissions from transport" in page
    assert 'data-indicator="co2-transport" data-place="E09000007"' in page


def test_a_place_outside_the_mission_or_unknown_is_refused_and_nothing_is_saved(
    client, world, lead
):
    client.force_login(lead)
    data = {"q": "transport", "indicator": "co2-transport"}
    page = client.post(LINK, {**data, "places": "Manchester"}).content.decode()
    assert "Manchester is not one of the mission’s places" in page
    page = client.post(LINK, {**data, "places": "Narnia"}).content.decode()
    assert "There is no place called ‘Narnia’" in page
    assert "govuk-error-summary" in page
    assert 'value="co2-transport" checked' in page or "co2-transport" in page
    page = client.post(LINK, {**data, "indicator": ""} | {"places": "Camden"}).content.decode()
    assert "Select the indicator to link" in page
    assert not IndicatorLink.objects.exists()


def test_a_lead_unlinks_one_place(client, world, lead):
    client.force_login(lead)
    client.post(
        LINK,
        {"q": "transport", "indicator": "co2-transport", "places": "Camden, Islington"},
    )
    camden = IndicatorLink.objects.get(place__name="Camden")
    url = f"{LINK}{camden.pk}/remove/"
    assert "Unlink" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert list(IndicatorLink.objects.values_list("place__name", flat=True)) == ["Islington"]
    assert world.outcome in world.extra["co2"].outcomes.all()
    islington = IndicatorLink.objects.get()
    client.post(f"{LINK}{islington.pk}/remove/")
    assert world.outcome not in world.extra["co2"].outcomes.all()


@pytest.mark.parametrize("who", ["anonymous", "resident", "lead_elsewhere"])
def test_only_the_owning_organisations_leads_may_link(client, world, who):
    if who == "resident":
        client.force_login(UserFactory())
    elif who == "lead_elsewhere":
        client.force_login(mission_lead(OrganisationFactory()))
    response = client.get(LINK, {"q": "transport"})
    assert response.status_code in (302, 403)
    response = client.post(LINK, {"indicator": "co2-transport", "places": "Camden"})
    assert response.status_code in (302, 403)
    assert not IndicatorLink.objects.exists()
    assert "Link an indicator" not in client.get(OUTCOME).content.decode()


def test_an_indicator_linked_without_places_is_listed_and_can_be_unlinked(client, world, lead):
    """The page world links pm25 to the outcome the old way (no places): leads see it too."""
    client.force_login(lead)
    page = client.get(OUTCOME).content.decode()
    assert 'data-indicator="pm25" data-place=""' in page
    assert "The mission’s places, and any with a target" in page
    url = "/indicators/outcomes/clean-air-camden/cleaner-air/unlink/pm25/"
    assert "Unlink ‘Deaths attributable to particulate air pollution’?" in (
        client.get(url).content.decode()
    )
    assert client.post(url).status_code == 302
    assert world.outcome not in world.indicator.outcomes.all()
    assert 'data-indicator="pm25"' not in client.get(OUTCOME).content.decode()
