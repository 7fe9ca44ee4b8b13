import pytest
from django.urls import reverse

from mobilise.indicators.tests.factories import ObservationFactory, SeriesFactory
from mobilise.learning import selectors
from mobilise.learning.models import Design, Pilot
from mobilise.places.models import Place

from .factories import PilotFactory

pytestmark = pytest.mark.django_db


def _borough(code, name):
    return Place.objects.create(code=code, name=name, kind=Place.Kind.UNITARY)


def _data(series, place, values, first=2010):
    for i, value in enumerate(values):
        ObservationFactory(series=series, place=place, period=str(first + i), value=value)


@pytest.fixture
def world(mission, camden, indicator):
    series = SeriesFactory(indicator=indicator)
    islington = _borough("E09000019", "Islington")
    hackney = _borough("E09000012", "Hackney")
    bromley = _borough("E09000006", "Bromley")
    county = Place.objects.create(code="E10000002", name="Buckinghamshire", kind=Place.Kind.COUNTY)
    _data(series, camden, [50, 48, 46, 44, 42, 40, 30, 25])
    _data(series, islington, [100, 96, 92, 88, 84, 80, 78, 76])  # same shape, twice the size
    _data(series, hackney, [40, 41, 40, 41, 40, 41, 40, 41])  # flat: a poor match
    _data(series, bromley, [60, 58, 56, 54, 52, 50, 48, 46])  # same shape
    _data(series, county, [50, 48, 46, 44, 42, 40, 38, 36])  # another kind of place
    pilot = PilotFactory(mission=mission, places=[camden], indicators=[indicator])
    pilot.start_date = pilot.start_date.replace(year=2016, month=1, day=1)
    pilot.save()
    return {"pilot": pilot, "islington": islington, "hackney": hackney, "bromley": bromley}


def test_places_with_the_closest_pre_period_trend_come_first(world):
    found = selectors.suggest_comparison(world["pilot"])
    names = [c.place.name for c in found.suggested]
    assert names[-1] == "Hackney"
    assert set(names[:2]) == {"Islington", "Bromley"}
    assert "Buckinghamshire" not in names


def test_places_running_a_pilot_on_the_same_measure_are_left_out(world, mission, indicator):
    PilotFactory(
        mission=mission,
        places=[world["bromley"]],
        indicators=[indicator],
        design=Design.DID,
        status=Pilot.Status.RUNNING,
        title="Bromley low-traffic streets",
    )
    found = selectors.suggest_comparison(world["pilot"])
    assert "Bromley" not in [c.place.name for c in found.suggested]
    assert "Bromley low-traffic streets" in found.excluded[0].reason


def test_the_lead_changes_the_pool_with_a_reason_and_the_page_shows_it(client, lead, world):
    pilot = world["pilot"]
    url = reverse("learning:pilot_comparison", args=[pilot.pk])
    page = client.get(url).content.decode()
    assert "Islington" in page and "followed Camden" in page
    assert "Change comparison places" not in page  # the public reads only

    client.force_login(lead)
    page = client.post(url, {"places": "Islington, Bromley", "action": "added"}).content.decode()
    assert "Say why you are changing the comparison places" in page
    response = client.post(
        url,
        {"places": "Islington, Bromley", "action": "added", "reason": "Closest pre-trends"},
    )
    assert response.status_code == 302
    assert sorted(p.name for p in pilot.comparison_places.all()) == ["Bromley", "Islington"]
    page = client.get(url).content.decode()
    assert "Closest pre-trends" in page
    assert not pilot.deviations.exists()  # not started yet: no deviation


def test_once_running_a_pool_change_is_a_deviation(client, lead, world):
    pilot = world["pilot"]
    pilot.status = Pilot.Status.RUNNING
    pilot.save()
    client.force_login(lead)
    client.post(
        reverse("learning:pilot_comparison", args=[pilot.pk]),
        {"places": "Hackney", "action": "added", "reason": "Asked by the evaluator"},
    )
    deviation = pilot.deviations.get()
    assert deviation.field == "comparison_places" and deviation.new == "Hackney"
    assert "Asked by the evaluator" in client.get(pilot.get_absolute_url()).content.decode()


def test_others_cannot_change_the_pool(client, world):
    from mobilise.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    url = reverse("learning:pilot_comparison", args=[world["pilot"].pk])
    assert (
        client.post(url, {"places": "Hackney", "action": "added", "reason": "x"}).status_code == 403
    )
