"""The pages anyone can read: the index with its filters, a mission, an outcome."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mobilise.accounts.tests.factories import OrganisationFactory
from mobilise.missions.models import Mission

from .conftest import page_title
from .factories import LinkFactory, MissionFactory, NodeFactory, OutcomeFactory

pytestmark = pytest.mark.django_db

INDEX = "/missions/"


def _titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(
        r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="[^"]+">([^<]+)</a>', html
    )


@pytest.fixture
def landscape(places):
    """National missions, local ones at several levels of the place tree, and a draft."""
    national = MissionFactory(title="Clean energy", scope=Mission.Scope.NATIONAL)
    MissionFactory(
        title="Safer streets", scope=Mission.Scope.NATIONAL, status=Mission.Status.PAUSED
    )
    lambeth = MissionFactory(title="Clean air Lambeth", contributes_to=national)
    lambeth.places.set([places["lambeth"]])
    london = MissionFactory(title="London growth")
    london.places.set([places["london"]])
    southwark = MissionFactory(title="Warm homes Southwark", status=Mission.Status.ACHIEVED)
    southwark.places.set([places["southwark"]])
    manchester = MissionFactory(title="Manchester jobs")
    manchester.places.set([places["manchester"]])
    draft = MissionFactory(title="Secret draft", status=Mission.Status.DRAFT)
    draft.places.set([places["lambeth"]])
    return national


def test_index_lists_public_missions_national_first(client, landscape):
    response = client.get(INDEX)
    assert response.status_code == 200
    assert _titles(response) == [
        "Clean energy",
        "Safer streets",
        "Clean air Lambeth",
        "London growth",
        "Manchester jobs",
        "Warm homes Southwark",
    ]
    assert "Secret draft" not in response.content.decode()


def test_place_filter_includes_ancestors_and_national_missions(client, landscape):
    response = client.get(INDEX, {"place": "E09000022"})
    assert _titles(response) == [
        "Clean energy",
        "Safer streets",
        "Clean air Lambeth",
        "London growth",
    ]
    html = response.content.decode()
    assert "Missions for Lambeth" in page_title(html)
    assert "London, England, United Kingdom" in html  # the areas it is part of, named


def test_place_filter_accepts_lower_case_codes_and_excludes_places_below(client, landscape):
    # London's missions include its own and national ones, not those of the boroughs inside it.
    response = client.get(INDEX, {"place": "e12000007"})
    assert _titles(response) == ["Clean energy", "Safer streets", "London growth"]


def test_place_filter_offers_current_places_and_accepts_a_former_code(client, landscape, places):
    from mobilise.places.models import Place

    Place.objects.create(
        code="E07000048", name="Christchurch", kind=Place.Kind.DISTRICT, valid_to=2019
    )
    html = client.get(INDEX).content.decode()
    assert 'value="E09000022"' in html and 'value="E07000048"' not in html
    response = client.get(INDEX, {"place": "E07000048"})
    html = response.content.decode()
    assert "govuk-error-summary" not in html
    assert "Christchurch (until 2019)" in html
    assert _titles(response) == ["Clean energy", "Safer streets"]


def test_unknown_place_shows_an_error_and_everything(client, landscape):
    response = client.get(INDEX, {"place": "E99999999"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "Select a place from the list" in html
    assert page_title(html).startswith("Error: ")
    assert len(_titles(response)) == 6


def test_status_scope_and_search_filters(client, landscape):
    assert _titles(client.get(INDEX, {"status": "paused"})) == ["Safer streets"]
    assert _titles(client.get(INDEX, {"scope": "national"})) == ["Clean energy", "Safer streets"]
    assert _titles(client.get(INDEX, {"scope": "local", "status": "achieved"})) == [
        "Warm homes Southwark"
    ]
    assert _titles(client.get(INDEX, {"q": "clean"})) == ["Clean energy", "Clean air Lambeth"]
    assert _titles(client.get(INDEX, {"q": "clean lambeth"})) == ["Clean air Lambeth"]
    # Drafts cannot be asked for.
    response = client.get(INDEX, {"status": "draft"})
    assert (
        "Select a valid choice" in response.content.decode()
        or "govuk-error-summary" in response.content.decode()
    )
    assert "Secret draft" not in response.content.decode()


def test_filters_combine_with_the_place(client, landscape):
    assert _titles(client.get(INDEX, {"place": "E09000022", "scope": "local"})) == [
        "Clean air Lambeth",
        "London growth",
    ]


def test_index_paginates_and_keeps_the_filters(client):
    for i in range(25):
        MissionFactory(title=f"Mission {i:02d}")
    first = client.get(INDEX, {"scope": "local"})
    assert len(_titles(first)) == 20
    assert "?scope=local&amp;page=2" in first.content.decode()
    second = client.get(INDEX, {"scope": "local", "page": 2})
    assert len(_titles(second)) == 5


def test_leads_see_their_drafts_and_a_create_button(client, lead, owner):
    MissionFactory(owner=owner, title="Our draft", status=Mission.Status.DRAFT)
    MissionFactory(title="Their draft", status=Mission.Status.DRAFT)
    client.force_login(lead)
    html = client.get(INDEX).content.decode()
    assert "Your draft missions" in html and "Our draft" in html
    assert "Their draft" not in html
    assert reverse("missions:create") in html


def test_index_query_count_does_not_grow_with_missions(client, places):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(INDEX, {"place": "E09000022"}).status_code == 200
        return len(ctx.captured_queries)

    national = MissionFactory(scope=Mission.Scope.NATIONAL)
    for _ in range(2):
        m = MissionFactory(contributes_to=national)
        m.places.set([places["lambeth"], places["london"]])
    few = count()
    for _ in range(10):
        m = MissionFactory(contributes_to=national, owner=OrganisationFactory())
        m.places.set([places["lambeth"], places["southwark"]])
    assert count() == few


def test_index_query_count_is_bounded(client, places, lead, django_assert_max_num_queries):
    for _ in range(15):
        m = MissionFactory(owner=OrganisationFactory())
        m.places.set([places["lambeth"], places["london"]])
    with django_assert_max_num_queries(8):
        client.get(INDEX, {"place": "E09000022", "q": "mission"})
    # A lead also gets their drafts and the create button: a few more queries, still fixed.
    client.force_login(lead)
    with django_assert_max_num_queries(14):
        client.get(INDEX, {"place": "E09000022", "q": "mission"})


# ---- mission page ----------------------------------------------------------------------------


@pytest.fixture
def rich_mission(places, owner):
    national = MissionFactory(title="Clean energy", scope=Mission.Scope.NATIONAL)
    mission = MissionFactory(
        owner=owner,
        title="Clean air Lambeth",
        statement="Halve transport emissions by 2035.",
        why_it_matters="Road transport is the biggest source.\n\nChildren breathe the worst air.",
        horizon_year=2035,
        contributes_to=national,
    )
    mission.places.set([places["lambeth"]])
    o1 = OutcomeFactory(mission=mission, title="Halve emissions", order=1)
    OutcomeFactory(mission=mission, title="More walking", order=2, target_date="2030-07-31")
    budget = NodeFactory(mission=mission, kind="input", title="Budget")
    streets = NodeFactory(mission=mission, kind="activity", title="School streets")
    closures = NodeFactory(mission=mission, kind="output", title="20 closures")
    fewer = NodeFactory(mission=mission, kind="outcome", title="Fewer car trips", outcome=o1)
    air = NodeFactory(mission=mission, kind="impact", title="Cleaner air")
    parents = NodeFactory(mission=mission, kind="assumption", title="Parents agree")
    LinkFactory(
        mission=mission, source=budget, target=streets, rationale="Because it pays for them"
    )
    LinkFactory(mission=mission, source=streets, target=closures, rationale="")
    LinkFactory(
        mission=mission, source=closures, target=fewer, rationale="calm streets invite walking"
    )
    LinkFactory(mission=mission, source=fewer, target=air, rationale="less exhaust")
    LinkFactory(mission=mission, source=parents, target=closures, rationale="closures need consent")
    return mission


def test_mission_page_shows_everything(client, rich_mission, owner):
    response = client.get(rich_mission.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Clean air Lambeth" in html
    assert "Halve transport emissions by 2035." in html
    assert '<p class="govuk-body">Road transport is the biggest source.</p>' in html
    assert "2035" in html
    assert f'href="{owner.get_absolute_url()}"' in html
    assert 'href="/places/E09000022/"' in html
    assert "Active" in html
    assert "Clean energy" in html  # the national mission it contributes to
    assert f'href="/missions/{rich_mission.slug}/outcomes/' in html
    assert "31 July 2030" in html
    assert 'role="img"' in html and "<svg" in html
    assert "Leads to" in html and "because it pays for them" in html
    assert "because Because" not in html  # a rationale starting "Because" is not doubled
    assert "because calm streets invite walking" in html
    assert "Must hold for" in html
    assert "Indicators will appear here" not in html
    assert "Edit mission" not in html  # not for visitors


def test_nested_list_follows_the_stages_in_order(client, rich_mission):
    html = client.get(rich_mission.get_absolute_url()).content.decode()
    listing = html[html.index("step by step") :]
    order = [
        listing.index(f">{label}</h4>")
        for label in ("Inputs", "Activities", "Outputs", "Outcomes", "Impact", "Assumptions")
    ]
    assert order == sorted(order)
    assert listing.index("<strong>Budget</strong>") < listing.index(
        "<strong>School streets</strong>"
    )
    assert "A1: Parents agree" in listing


def test_national_mission_lists_its_published_local_contributions(client, places):
    national = MissionFactory(title="Clean energy", scope=Mission.Scope.NATIONAL)
    for title, place, status in [
        ("Clean air Lambeth", "lambeth", Mission.Status.ACTIVE),
        ("Warm Southwark", "southwark", Mission.Status.ACHIEVED),
        ("Hidden draft", "southwark", Mission.Status.DRAFT),
    ]:
        m = MissionFactory(title=title, contributes_to=national, status=status)
        m.places.set([places[place]])
    html = client.get(national.get_absolute_url()).content.decode()
    table = html[html.index("Local missions contributing") :]
    assert "Clean air Lambeth" in table and "Lambeth</a>" in table
    assert "Warm Southwark" in table and "Southwark</a>" in table
    assert "Hidden draft" not in html


def test_mission_page_query_count_is_bounded(
    client, rich_mission, lead, django_assert_max_num_queries
):
    for i in range(10):
        node = NodeFactory(mission=rich_mission, kind="activity", title=f"Extra {i}")
        LinkFactory(
            mission=rich_mission,
            source=node,
            target=NodeFactory(mission=rich_mission, kind="output"),
        )
        OutcomeFactory(mission=rich_mission)
    # Each higher app's section (coalition, indicators, conversations, budgets, pilots and
    # learnings, confidence) costs a query or two; what matters is that none grows with the
    # mission's size.
    with django_assert_max_num_queries(17):
        client.get(rich_mission.get_absolute_url())
    client.force_login(lead)
    with django_assert_max_num_queries(35):
        response = client.get(rich_mission.get_absolute_url())
    assert "Edit mission" in response.content.decode()


def test_national_mission_page_query_count_does_not_grow_with_contributions(client, places):
    national = MissionFactory(scope=Mission.Scope.NATIONAL)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(national.get_absolute_url())
        return len(ctx.captured_queries)

    MissionFactory(contributes_to=national).places.set([places["lambeth"]])
    few = count()
    for _ in range(8):
        MissionFactory(contributes_to=national, owner=OrganisationFactory()).places.set(
            [places["southwark"]]
        )
    assert count() == few


def test_draft_is_404_for_the_public_and_shown_to_its_leads(client, owner, lead, other_lead):
    draft = MissionFactory(owner=owner, status=Mission.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(other_lead)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(lead)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "This mission is a draft" in response.content.decode()


def test_contributes_to_a_draft_national_mission_is_not_shown_to_the_public(client):
    national = MissionFactory(
        title="Unpublished national", scope=Mission.Scope.NATIONAL, status=Mission.Status.DRAFT
    )
    local = MissionFactory(contributes_to=national)
    assert "Unpublished national" not in client.get(local.get_absolute_url()).content.decode()
    assert "Unpublished national" not in client.get(INDEX).content.decode()


def test_mission_without_theory_of_change_says_so(client, mission):
    html = client.get(mission.get_absolute_url()).content.decode()
    assert "No theory of change has been set out yet" in html
    assert "<svg" not in html.split("theory-of-change")[1]


def test_user_text_is_escaped_on_the_mission_page(client, mission):
    NodeFactory(mission=mission, kind="activity", title="<script>alert(1)</script>")
    mission.why_it_matters = "<b>bold</b>"
    mission.save()
    html = client.get(mission.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<b>bold</b>" not in html


# ---- outcome page ----------------------------------------------------------------------------


def test_outcome_page(client, rich_mission):
    outcome = rich_mission.outcomes.get(title="Halve emissions")
    outcome.description = "Measured as tonnes of CO2."
    outcome.target_date = "2035-12-31"
    outcome.save()
    response = client.get(outcome.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Halve emissions" in page_title(html)
    assert "Measured as tonnes of CO2." in html
    assert "31 December 2035" in html
    assert "Fewer car trips" in html  # the theory of change step that stands for it
    assert "Follows from ‘20 closures’ because calm streets invite walking" in html
    assert "Leads to ‘Cleaner air’ because less exhaust" in html
    assert "Indicators will appear" not in html


def test_outcome_of_a_draft_is_hidden_and_unknown_outcome_is_404(client, owner):
    draft = MissionFactory(owner=owner, status=Mission.Status.DRAFT)
    outcome = OutcomeFactory(mission=draft)
    assert client.get(outcome.get_absolute_url()).status_code == 404
    live = MissionFactory()
    assert client.get(f"/missions/{live.slug}/outcomes/nope/").status_code == 404
