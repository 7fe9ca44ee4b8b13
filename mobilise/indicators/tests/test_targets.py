"""Setting targets: who may, what the form accepts, and that a bad submission saves nothing."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

from mobilise.accounts.models import Role
from mobilise.accounts.tests.factories import OrganisationFactory, UserFactory, mission_lead
from mobilise.indicators import access, services
from mobilise.indicators.models import Milestone, Target

from .pages_world import build_world

pytestmark = pytest.mark.django_db

URL = "/indicators/pm25/targets/E09000019/"  # Islington: no target yet


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    w = build_world()
    # The Camden mission also covers Islington (a joint programme).
    w.mission.places.add(w.places["E09000019"])
    return w


@pytest.fixture
def lead(world):
    return mission_lead(world.owner)


def valid(**changes):
    data = {
        "series": "",
        "baseline_period": "2016",
        "baseline_value": "9.4",
        "target_year": "2030",
        "target_value": "5",
        "milestone_1_year": "2025",
        "milestone_1_value": "7",
        "milestone_2_year": "",
        "milestone_2_value": "",
        "milestone_3_year": "",
        "milestone_3_value": "",
        "note": "From the council's air quality plan",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_lead_of_the_owning_organisation_sets_a_target(client, world, lead):
    client.force_login(lead)
    page = client.get(URL)
    assert page.status_code == 200
    assert 'name="baseline_period"' in page.content.decode()
    response = client.post(URL, valid(series=str(world.headline.pk)))
    assert response.status_code == 302
    assert response["Location"] == "/indicators/pm25/?place=E09000019"
    target = Target.objects.get(place=world.places["E09000019"], series=world.headline)
    assert (
        target.baseline_period,
        target.baseline_value,
        target.target_year,
        target.target_value,
    ) == ("2016", 9.4, 2030, 5.0)
    assert [(m.year, m.value) for m in target.milestones.all()] == [(2025, 7.0)]
    assert target.set_by == lead
    # The indicator page shows it with its status.
    html = client.get(response["Location"]).content.decode()
    assert "Progress against the target" in html and 'id="status-explanation"' in html
    assert "Change the target" in html


def test_changing_a_target_replaces_its_milestones(client, world, lead):
    client.force_login(lead)
    client.post(
        URL, valid(series=str(world.headline.pk), milestone_2_year="2022", milestone_2_value="8.5")
    )
    target = Target.objects.get(place__code="E09000019")
    assert [m.year for m in target.milestones.all()] == [2022, 2025]
    client.post(
        URL, valid(series=str(world.headline.pk), milestone_1_year="", milestone_1_value="")
    )
    assert Target.objects.filter(place__code="E09000019").count() == 1
    assert not Milestone.objects.filter(target=target).exists()


def test_a_target_for_a_breakdown(client, world, lead):
    client.force_login(lead)
    response = client.post(URL, valid(series=str(world.female.pk)))
    assert response["Location"] == "/indicators/pm25/?place=E09000019&series=Sex%3DFemale"
    assert Target.objects.get(place__code="E09000019").series == world.female


def test_blank_baseline_value_is_the_published_value(client, world, lead):
    client.force_login(lead)
    client.post(URL, valid(series=str(world.headline.pk), baseline_value=""))
    assert Target.objects.get(place__code="E09000019").baseline_value == pytest.approx(
        7.1 + 0.3 * 5
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"target_year": "2014"},
            "target_year",
            "The target year must be after the baseline period",
        ),
        (
            {"target_year": "2016"},
            "target_year",
            "The target year must be after the baseline period",
        ),
        ({"target_year": "2150"}, "target_year", "Enter a target year between 2000 and 2100"),
        (
            {"target_year": "soon"},
            "target_year",
            "Enter the target year as a whole number, like 2030",
        ),
        ({"target_value": "lots"}, "target_value", "Enter the target value as a number, like 25"),
        ({"target_value": "nan"}, "target_value", "Enter the target value as a number, like 25"),
        ({"target_value": ""}, "target_value", "Enter the target value"),
        (
            {"baseline_period": "last year"},
            "baseline_period",
            "Enter the baseline period as a year",
        ),
        (
            {"baseline_period": "1999", "baseline_value": ""},
            "baseline_value",
            "there is no published value for 1999",
        ),
        (
            {"milestone_1_year": "2031"},
            "milestone_1_year",
            "The milestone year must be before the target year",
        ),
        (
            {"milestone_1_year": "2015"},
            "milestone_1_year",
            "The milestone year must be after the baseline period",
        ),
        ({"milestone_1_value": ""}, "milestone_1_value", "Enter the value of milestone 1"),
        (
            {"milestone_2_year": "2025", "milestone_2_value": "6"},
            "milestone_2_year",
            "Milestones must be in year order with no year twice",
        ),
    ],
)
def test_invalid_input_is_explained_and_saves_nothing(client, world, lead, changes, field, message):
    client.force_login(lead)
    response = client.post(URL, valid(series=str(world.headline.pk), **changes))
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and message in html
    assert f'href="#id_{field}"' in html  # the error summary links to the field
    assert "<title>Error:" in html
    assert not Target.objects.filter(place__code="E09000019").exists()


def test_milestones_in_any_row_order_are_taken_in_year_order(client, world, lead):
    client.force_login(lead)
    client.post(
        URL,
        valid(
            series=str(world.headline.pk),
            milestone_1_year="2027",
            milestone_1_value="6",
            milestone_2_year="2020",
            milestone_2_value="8",
        ),
    )
    assert [m.year for m in Target.objects.get(place__code="E09000019").milestones.all()] == [
        2020,
        2027,
    ]


@pytest.mark.parametrize("who", ["resident", "lead_of_another_org", "member_without_lead_role"])
def test_others_get_403_and_save_nothing(client, world, who):
    if who == "resident":
        user = UserFactory(roles=[Role.RESIDENT])
    elif who == "lead_of_another_org":
        user = mission_lead(OrganisationFactory())
    else:
        from mobilise.accounts.tests.factories import MembershipFactory

        user = MembershipFactory(
            organisation=world.owner, user=UserFactory(roles=[Role.RESIDENT])
        ).user
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, valid(series=str(world.headline.pk))).status_code == 403
    assert not Target.objects.filter(place__code="E09000019").exists()
    # Nor does the indicator page offer it.
    assert "Set a target" not in client.get("/indicators/pm25/?place=E09000019").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    client.post(URL, valid(series=str(world.headline.pk)))
    assert not Target.objects.filter(place__code="E09000019").exists()


def test_a_lead_cannot_set_targets_outside_the_missions_places(client, world, lead):
    client.force_login(lead)
    assert client.get("/indicators/pm25/targets/E08000003/").status_code == 403  # Manchester
    # …but can for a place inside one of its places.
    world.mission.places.add(world.places["E12000002"])
    assert client.get("/indicators/pm25/targets/E08000003/").status_code == 200


def test_a_lead_cannot_set_targets_for_an_indicator_their_missions_do_not_use(client, world, lead):
    client.force_login(lead)
    assert client.get("/indicators/population/targets/E09000007/").status_code == 403


def test_platform_admin_may_set_any_target(client, world):
    client.force_login(UserFactory(roles=[Role.PLATFORM_ADMIN]))
    assert client.get("/indicators/population/targets/E08000003/").status_code == 200
    response = client.post(
        "/indicators/population/targets/E08000003/",
        {
            "baseline_period": "2020",
            "baseline_value": "",
            "target_year": "2030",
            "target_value": "600000",
        },
    )
    assert response.status_code == 302
    assert Target.objects.get(place__code="E08000003").baseline_value == 550_000


def test_removing_a_target(client, world, lead):
    client.force_login(lead)
    url = "/indicators/pm25/targets/E09000007/delete/"
    assert "Remove the target?" in client.get(url).content.decode()
    assert client.post(url, {"series": str(world.headline.pk)}).status_code == 302
    assert not Target.objects.filter(pk=world.target.pk).exists()
    client.force_login(UserFactory(roles=[Role.RESIDENT]))
    assert client.post(url).status_code == 403


def test_service_checks_permission_and_validates_with_the_engine(world, lead):
    camden = world.places["E09000019"]
    stranger = mission_lead(OrganisationFactory())
    with pytest.raises(PermissionDenied):
        services.target_set(
            user=stranger,
            indicator=world.indicator,
            place=camden,
            series=world.headline,
            baseline_period="2016",
            baseline_value=1,
            target_year=2030,
            target_value=0,
        )
    with pytest.raises(ValidationError) as exc:
        services.target_set(
            user=lead,
            indicator=world.indicator,
            place=camden,
            series=world.headline,
            baseline_period="2016",
            baseline_value=1,
            target_year=2030,
            target_value=0,
            milestones=[(2020, 1), (2018, 2)],
        )
    assert "milestones.1" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.target_set(
            user=lead,
            indicator=world.indicator,
            place=camden,
            series=world.population.series.get(),
            baseline_period="2016",
            baseline_value=1,
            target_year=2030,
            target_value=0,
        )
    assert "series" in exc.value.message_dict
    assert not Target.objects.filter(place=camden).exists()
    assert access.can_set_target(lead, world.indicator, camden)


def test_every_problem_is_listed_at_once(client, world, lead):
    client.force_login(lead)
    response = client.post(
        URL,
        valid(
            series=str(world.headline.pk),
            target_year="2012",
            milestone_2_year="2040",
            milestone_2_value="abc",
        ),
    )
    html = response.content.decode()
    assert "The target year must be after the baseline period" in html
    assert "Enter the value of milestone 2 as a number" in html
    assert not Target.objects.filter(place__code="E09000019").exists()
