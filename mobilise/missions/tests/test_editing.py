"""Mission leads create and change missions, outcomes and the theory of change; nobody else can."""

import pytest
from django.urls import reverse

from mobilise.accounts.models import Role
from mobilise.accounts.tests.factories import OrganisationFactory, UserFactory, mission_lead
from mobilise.missions.models import Mission, Outcome, TheoryOfChangeLink, TheoryOfChangeNode

from .conftest import page_title
from .factories import LinkFactory, MissionFactory, NodeFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


def _assert_form_error(response, *messages):
    """A GOV.UK error page: the summary at the top, the title prefixed, each message shown."""
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert page_title(html).startswith("Error: ")
    for message in messages:
        assert message in html, message


def _mission_data(owner, **overrides):
    data = {
        "title": "Clean air Lambeth",
        "statement": "Halve transport emissions by 2035.",
        "why_it_matters": "",
        "horizon_year": "2035",
        "owner": str(owner.pk),
        "scope": "local",
        "places": "E09000022",
        "contributes_to": "",
    }
    data.update(overrides)
    return data


# ---- creating a mission -----------------------------------------------------------------------

CREATE = "/missions/new/"


def test_lead_creates_a_draft_mission(client, lead, owner, places):
    national = MissionFactory(title="Clean energy", scope=Mission.Scope.NATIONAL)
    client.force_login(lead)
    assert client.get(CREATE).status_code == 200
    response = client.post(
        CREATE, _mission_data(owner, places="e09000022, E12000007", contributes_to=str(national.pk))
    )
    mission = Mission.objects.get(title="Clean air Lambeth")
    assert response.status_code == 302 and response["Location"] == mission.get_absolute_url()
    assert mission.slug == "clean-air-lambeth"
    assert mission.status == Mission.Status.DRAFT
    assert mission.owner == owner and mission.contributes_to == national
    assert set(mission.places.values_list("code", flat=True)) == {"E09000022", "E12000007"}
    page = client.get(mission.get_absolute_url()).content.decode()
    assert "Mission created as a draft" in page  # the success notification


def test_slugs_are_unique_and_never_clash_with_new(client, lead, owner, places):
    client.force_login(lead)
    client.post(CREATE, _mission_data(owner))
    client.post(CREATE, _mission_data(owner))
    client.post(CREATE, _mission_data(owner, title="New"))
    assert set(Mission.objects.values_list("slug", flat=True)) == {
        "clean-air-lambeth",
        "clean-air-lambeth-2",
        "new-2",
    }


@pytest.mark.parametrize(
    "overrides, messages",
    [
        ({"title": ""}, ["Enter a title"]),
        ({"horizon_year": "1800"}, ["Enter a horizon year between 2000 and 2100"]),
        ({"horizon_year": "soon"}, ["Horizon year must be a year"]),
        ({"statement": ""}, ["Enter a mission statement"]),
        ({"places": "E09000022, Narnia"}, ["There is no place called ‘Narnia’"]),
        ({"places": "E09999999"}, ["There is no place called ‘E09999999’"]),
        ({"places": ""}, ["Enter at least one place for a local mission"]),
        ({"scope": ""}, ["Select national or local"]),
    ],
)
def test_invalid_mission_shows_errors_and_saves_nothing(
    client, lead, owner, places, overrides, messages
):
    client.force_login(lead)
    response = client.post(CREATE, _mission_data(owner, **overrides))
    _assert_form_error(response, *messages)
    assert not Mission.objects.exists()


def test_national_mission_cannot_contribute_to_another(client, lead, owner, places):
    national = MissionFactory(scope=Mission.Scope.NATIONAL)
    client.force_login(lead)
    response = client.post(
        CREATE, _mission_data(owner, scope="national", places="", contributes_to=str(national.pk))
    )
    _assert_form_error(response, "A national mission cannot contribute to another national mission")
    assert Mission.objects.count() == 1


def test_contributes_to_offers_only_published_national_missions(client, lead, owner, places):
    national = MissionFactory(title="Clean energy", scope=Mission.Scope.NATIONAL)
    local = MissionFactory(title="Some local mission")
    MissionFactory(
        title="Draft national", scope=Mission.Scope.NATIONAL, status=Mission.Status.DRAFT
    )
    client.force_login(lead)
    html = client.get(CREATE).content.decode()
    assert "Clean energy" in html
    assert "Some local mission" not in html and "Draft national" not in html
    response = client.post(CREATE, _mission_data(owner, contributes_to=str(local.pk)))
    _assert_form_error(response, "Select a national mission from the list")
    assert Mission.objects.count() == 3
    assert national  # used


def test_owner_must_be_an_organisation_the_lead_belongs_to(client, lead, owner, places):
    elsewhere = OrganisationFactory()
    client.force_login(lead)
    html = client.get(CREATE).content.decode()
    assert elsewhere.name not in html
    response = client.post(CREATE, _mission_data(elsewhere))
    _assert_form_error(response, "Select an organisation you belong to")
    assert not Mission.objects.exists()


def test_only_mission_leads_may_create(client, owner):
    assert client.get(CREATE)["Location"].startswith(reverse("account_login"))
    resident = UserFactory(roles=[Role.RESIDENT])
    client.force_login(resident)
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _mission_data(owner)).status_code == 403
    assert not Mission.objects.exists()


def test_lead_without_an_organisation_is_told_why_they_cannot_create(client):
    client.force_login(UserFactory(roles=[Role.MISSION_LEAD]))
    html = client.get(CREATE).content.decode()
    assert "You need to belong to an organisation" in html
    assert 'name="title"' not in html


# ---- editing a mission ------------------------------------------------------------------------


def test_lead_edits_and_publishes_a_mission(client, lead, owner, places):
    mission = MissionFactory(owner=owner, status=Mission.Status.DRAFT, slug="clean-air")
    mission.places.set([places["lambeth"]])
    client.force_login(lead)
    html = client.get(f"/missions/{mission.slug}/edit/").content.decode()
    assert "Lambeth (E09000022)" in html  # current places shown by name and code
    response = client.post(
        f"/missions/{mission.slug}/edit/",
        {**_mission_data(owner, title="Cleaner air", places="E09000028"), "status": "active"},
    )
    assert response.status_code == 302
    mission.refresh_from_db()
    assert (mission.title, mission.status, mission.slug) == ("Cleaner air", "active", "clean-air")
    assert list(mission.places.values_list("code", flat=True)) == ["E09000028"]
    assert "Mission updated" in client.get(mission.get_absolute_url()).content.decode()


def test_published_mission_cannot_go_back_to_draft(client, lead, owner, places):
    mission = MissionFactory(owner=owner, title="Clean air", status=Mission.Status.ACTIVE)
    mission.places.set([places["lambeth"]])
    client.force_login(lead)
    html = client.get(f"/missions/{mission.slug}/edit/").content.decode()
    assert 'value="draft"' not in html and 'value="paused"' in html
    response = client.post(
        f"/missions/{mission.slug}/edit/",
        {**_mission_data(owner, title="Changed"), "status": "draft"},
    )
    _assert_form_error(response, "Select a status from the list")
    mission.refresh_from_db()
    assert (mission.title, mission.status) == ("Clean air", "active")


def test_national_mission_with_contributions_stays_national(client, lead, owner, places):
    national = MissionFactory(owner=owner, scope=Mission.Scope.NATIONAL, title="Clean energy")
    MissionFactory(contributes_to=national)
    client.force_login(lead)
    response = client.post(
        f"/missions/{national.slug}/edit/",
        {**_mission_data(owner, title="Clean energy", scope="local"), "status": "active"},
    )
    _assert_form_error(response, "Local missions contribute to this mission")
    national.refresh_from_db()
    assert national.scope == Mission.Scope.NATIONAL


def test_invalid_edit_keeps_the_heading_and_saves_nothing(client, lead, owner, places):
    mission = MissionFactory(owner=owner, title="Clean air")
    mission.places.set([places["lambeth"]])
    client.force_login(lead)
    response = client.post(
        f"/missions/{mission.slug}/edit/",
        {**_mission_data(owner, title="", horizon_year="1800"), "status": "active"},
    )
    _assert_form_error(response, "Enter a title", "Enter a horizon year between 2000 and 2100")
    assert "Clean air" in response.content.decode()
    mission.refresh_from_db()
    assert mission.title == "Clean air" and mission.horizon_year == 2035


# ---- outcomes ---------------------------------------------------------------------------------


def test_outcomes_are_added_edited_and_deleted(client, lead, mission):
    client.force_login(lead)
    url = f"/missions/{mission.slug}/outcomes/new/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Halve emissions",
            "description": "Tonnes of CO2.",
            "target_date-day": "31",
            "target_date-month": "12",
            "target_date-year": "2035",
        },
    )
    outcome = Outcome.objects.get()
    assert response["Location"] == outcome.get_absolute_url()
    assert (outcome.slug, str(outcome.target_date)) == ("halve-emissions", "2035-12-31")
    assert "Outcome added" in client.get(outcome.get_absolute_url()).content.decode()

    edit = f"/missions/{mission.slug}/outcomes/{outcome.slug}/edit/"
    assert 'value="2035"' in client.get(edit).content.decode()
    client.post(edit, {"title": "Halve transport emissions", "description": ""})
    outcome.refresh_from_db()
    assert outcome.title == "Halve transport emissions" and outcome.target_date is None
    assert outcome.slug == "halve-emissions"  # addresses stay stable

    delete = f"/missions/{mission.slug}/outcomes/{outcome.slug}/delete/"
    assert "You cannot undo this" in client.get(delete).content.decode()
    assert Outcome.objects.exists()  # a GET only asks
    response = client.post(delete)
    assert response["Location"] == mission.get_absolute_url()
    assert not Outcome.objects.exists()


@pytest.mark.parametrize(
    "date, message",
    [
        (("31", "2", "2030"), "Enter a real date"),
        (("1", "1", "1800"), "The target date must be between 2000 and 2100"),
        (("", "3", "2030"), "Enter a real date"),
    ],
)
def test_bad_target_date_saves_nothing(client, lead, mission, date, message):
    client.force_login(lead)
    day, month, year = date
    response = client.post(
        f"/missions/{mission.slug}/outcomes/new/",
        {
            "title": "Halve emissions",
            "target_date-day": day,
            "target_date-month": month,
            "target_date-year": year,
        },
    )
    _assert_form_error(response, message)
    assert 'href="#id_target_date-day"' in response.content.decode()
    assert not Outcome.objects.exists()


def test_outcome_needs_a_name(client, lead, mission):
    client.force_login(lead)
    _assert_form_error(
        client.post(f"/missions/{mission.slug}/outcomes/new/", {"title": ""}), "Enter a name"
    )
    assert not Outcome.objects.exists()


def test_outcome_slug_never_clashes_with_new(client, lead, mission):
    client.force_login(lead)
    client.post(f"/missions/{mission.slug}/outcomes/new/", {"title": "New"})
    assert Outcome.objects.get().slug == "new-2"


# ---- theory of change ---------------------------------------------------------------------------


def _toc(mission):
    return f"/missions/{mission.slug}/theory-of-change/"


def test_steps_are_added_edited_and_deleted(client, lead, mission):
    outcome = OutcomeFactory(mission=mission, title="Halve emissions")
    client.force_login(lead)
    assert client.get(_toc(mission) + "steps/new/").status_code == 200
    response = client.post(
        _toc(mission) + "steps/new/",
        {
            "kind": "outcome",
            "title": "Fewer car trips",
            "description": "",
            "outcome": str(outcome.pk),
        },
    )
    assert response["Location"] == _toc(mission)
    node = TheoryOfChangeNode.objects.get()
    assert (node.kind, node.outcome, node.mission) == ("outcome", outcome, mission)
    page = client.get(_toc(mission)).content.decode()
    assert "Step ‘Fewer car trips’ added" in page
    assert f"steps/{node.pk}/edit/" in page and f"steps/{node.pk}/delete/" in page

    client.post(
        _toc(mission) + f"steps/{node.pk}/edit/",
        {
            "kind": "outcome",
            "title": "Fewer car journeys",
            "description": "Counted at cordons.",
            "outcome": "",
        },
    )
    node.refresh_from_db()
    assert (node.title, node.description, node.outcome) == (
        "Fewer car journeys",
        "Counted at cordons.",
        None,
    )

    other = NodeFactory(mission=mission, kind="activity")
    LinkFactory(mission=mission, source=other, target=node)
    confirm = client.get(_toc(mission) + f"steps/{node.pk}/delete/").content.decode()
    assert "link(s) to other steps will be deleted too" in confirm
    client.post(_toc(mission) + f"steps/{node.pk}/delete/")
    assert list(TheoryOfChangeNode.objects.all()) == [other]
    assert not TheoryOfChangeLink.objects.exists()


def test_step_errors(client, lead, mission):
    outcome = OutcomeFactory(mission=mission)
    client.force_login(lead)
    url = _toc(mission) + "steps/new/"
    _assert_form_error(
        client.post(url, {"kind": "", "title": ""}), "Select the kind of step", "Enter a title"
    )
    _assert_form_error(
        client.post(
            url, {"kind": "activity", "title": "School streets", "outcome": str(outcome.pk)}
        ),
        "Only an outcome step can stand for a mission outcome",
    )
    foreign = OutcomeFactory()
    _assert_form_error(
        client.post(url, {"kind": "outcome", "title": "Fewer trips", "outcome": str(foreign.pk)}),
        "Select an outcome of this mission",
    )
    assert not TheoryOfChangeNode.objects.exists()


def test_a_step_others_lead_to_cannot_become_an_assumption(client, lead, mission):
    link = LinkFactory(mission=mission)
    client.force_login(lead)
    response = client.post(
        _toc(mission) + f"steps/{link.target_id}/edit/",
        {"kind": "assumption", "title": "Now an assumption"},
    )
    _assert_form_error(response, "Other steps lead to this one")
    link.target.refresh_from_db()
    assert link.target.kind == "output"


def test_links_are_added_edited_and_deleted(client, lead, mission):
    budget = NodeFactory(mission=mission, kind="input", title="Budget")
    streets = NodeFactory(mission=mission, kind="activity", title="School streets")
    closures = NodeFactory(mission=mission, kind="output", title="Closures")
    client.force_login(lead)
    form = client.get(_toc(mission) + f"links/new/?source={budget.pk}").content.decode()
    assert f'<option value="{budget.pk}" selected' in form
    response = client.post(
        _toc(mission) + "links/new/",
        {"source": str(budget.pk), "target": str(streets.pk), "rationale": "it pays for them"},
    )
    assert response["Location"] == _toc(mission)
    link = TheoryOfChangeLink.objects.get()
    assert (link.mission, link.source, link.target) == (mission, budget, streets)
    page = client.get(_toc(mission)).content.decode()
    assert (
        "Link added" in page
        and f"links/{link.pk}/edit/" in page
        and f"links/{link.pk}/delete/" in page
    )

    client.post(
        _toc(mission) + f"links/{link.pk}/edit/",
        {"source": str(budget.pk), "target": str(closures.pk), "rationale": "changed"},
    )
    link.refresh_from_db()
    assert (link.target, link.rationale) == (closures, "changed")
    # Saving a link unchanged is not a duplicate of itself.
    response = client.post(
        _toc(mission) + f"links/{link.pk}/edit/",
        {"source": str(budget.pk), "target": str(closures.pk), "rationale": "changed again"},
    )
    assert response.status_code == 302

    assert (
        "You cannot undo this"
        in client.get(_toc(mission) + f"links/{link.pk}/delete/").content.decode()
    )
    client.post(_toc(mission) + f"links/{link.pk}/delete/")
    assert not TheoryOfChangeLink.objects.exists()


def test_link_errors_self_duplicate_foreign_and_to_an_assumption(client, lead, mission):
    a = NodeFactory(mission=mission, kind="activity", title="School streets")
    b = NodeFactory(mission=mission, kind="output", title="Closures")
    assumption = NodeFactory(mission=mission, kind="assumption", title="Parents agree")
    foreign = NodeFactory(kind="output")
    existing = LinkFactory(mission=mission, source=a, target=b)
    client.force_login(lead)
    url = _toc(mission) + "links/new/"

    _assert_form_error(
        client.post(url, {"source": a.pk, "target": a.pk}), "A step cannot lead to itself"
    )
    _assert_form_error(
        client.post(url, {"source": a.pk, "target": b.pk}),
        "‘School streets’ already leads to ‘Closures’",
    )
    _assert_form_error(
        client.post(url, {"source": a.pk, "target": foreign.pk}), "Select a step of this mission"
    )
    _assert_form_error(
        client.post(url, {"source": a.pk, "target": assumption.pk}), "Select a step of this mission"
    )
    _assert_form_error(
        client.post(url, {"source": "", "target": ""}), "Select the step the link starts from"
    )
    # Editing another link into a duplicate is refused too.
    other = LinkFactory(mission=mission, source=assumption, target=b)
    _assert_form_error(
        client.post(_toc(mission) + f"links/{other.pk}/edit/", {"source": a.pk, "target": b.pk}),
        "already leads to",
    )
    assert list(TheoryOfChangeLink.objects.order_by("id")) == [existing, other]
    other.refresh_from_db()
    assert other.source == assumption


def test_manage_page_lists_steps_and_links(client, lead, mission):
    link = LinkFactory(mission=mission, rationale="Because it works")
    client.force_login(lead)
    html = client.get(_toc(mission)).content.decode()
    assert link.source.title in html and link.target.title in html
    assert "it works" in html
    assert "<svg" in html  # the preview


# ---- nobody else can edit ---------------------------------------------------------------------


def _edit_urls(mission, outcome, node, link):
    base = f"/missions/{mission.slug}"
    return [
        f"{base}/edit/",
        f"{base}/outcomes/new/",
        f"{base}/outcomes/{outcome.slug}/edit/",
        f"{base}/outcomes/{outcome.slug}/delete/",
        f"{base}/theory-of-change/",
        f"{base}/theory-of-change/steps/new/",
        f"{base}/theory-of-change/steps/{node.pk}/edit/",
        f"{base}/theory-of-change/steps/{node.pk}/delete/",
        f"{base}/theory-of-change/links/new/",
        f"{base}/theory-of-change/links/{link.pk}/edit/",
        f"{base}/theory-of-change/links/{link.pk}/delete/",
    ]


def _snapshot():
    return (
        list(Mission.objects.order_by("id").values()),
        list(Outcome.objects.order_by("id").values()),
        list(TheoryOfChangeNode.objects.order_by("id").values()),
        list(TheoryOfChangeLink.objects.order_by("id").values()),
    )


@pytest.mark.parametrize(
    "intruder", ["lead_of_another_org", "resident", "member_without_lead_role"]
)
@pytest.mark.parametrize("status", [Mission.Status.ACTIVE, Mission.Status.DRAFT])
def test_no_edit_url_works_for_someone_without_rights(client, owner, places, intruder, status):
    from .conftest import make_person

    mission = MissionFactory(owner=owner, status=status)
    mission.places.set([places["lambeth"]])
    outcome = OutcomeFactory(mission=mission)
    node = NodeFactory(mission=mission, kind="outcome", outcome=outcome)
    link = LinkFactory(mission=mission)
    before = _snapshot()
    client.force_login(make_person(intruder, owner))
    payloads = {
        "edit": {**_mission_data(owner, title="Hijacked"), "status": "closed"},
        "outcomes": {"title": "Hijacked"},
        "steps": {"kind": "impact", "title": "Hijacked"},
        "links": {"source": node.pk, "target": link.source_id, "rationale": "Hijacked"},
    }
    for url in _edit_urls(mission, outcome, node, link):
        assert client.get(url).status_code == 403, url
        data = next((v for k, v in payloads.items() if f"/{k}/" in url), {})
        assert client.post(url, data).status_code == 403, url
    assert _snapshot() == before


def test_anonymous_people_are_sent_to_sign_in_from_every_edit_url(client, mission):
    outcome = OutcomeFactory(mission=mission)
    node = NodeFactory(mission=mission)
    link = LinkFactory(mission=mission)
    before = _snapshot()
    for url in [CREATE, *_edit_urls(mission, outcome, node, link)]:
        for response in (client.get(url), client.post(url, {"title": "x"})):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("account_login")), url
    assert _snapshot() == before


def test_platform_admin_may_edit_any_mission(client, mission, places):
    mission.places.set([places["lambeth"]])
    admin = UserFactory(roles=[Role.PLATFORM_ADMIN])
    client.force_login(admin)
    assert client.get(f"/missions/{mission.slug}/edit/").status_code == 200
    response = client.post(
        f"/missions/{mission.slug}/edit/",
        {**_mission_data(mission.owner, title="Renamed"), "status": "paused"},
    )
    assert response.status_code == 302
    mission.refresh_from_db()
    assert (mission.title, mission.status) == ("Renamed", "paused")


def test_lead_of_two_organisations_can_hand_a_mission_to_the_other(client, owner, places):
    second = OrganisationFactory(name="Clean Air Partnership")
    lead = mission_lead(owner)
    from mobilise.accounts.tests.factories import MembershipFactory

    MembershipFactory(user=lead, organisation=second)
    mission = MissionFactory(owner=owner)
    mission.places.set([places["lambeth"]])
    client.force_login(lead)
    response = client.post(
        f"/missions/{mission.slug}/edit/", {**_mission_data(second), "status": "active"}
    )
    assert response.status_code == 302
    mission.refresh_from_db()
    assert mission.owner == second


def test_a_lead_types_places_by_name(client, lead, owner, places):
    """Places were ONS codes only: "Lambeth" was refused."""
    client.force_login(lead)
    response = client.post(CREATE, _mission_data(owner, places="lambeth, Southwark Council"))
    assert response.status_code == 302
    mission = Mission.objects.get()
    assert set(mission.places.values_list("name", flat=True)) == {"Lambeth", "Southwark"}
    html = client.get(f"/missions/{mission.slug}/edit/").content.decode()
    assert "Lambeth (E09000022)" in html
