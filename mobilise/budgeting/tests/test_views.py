"""The pages without JavaScript: propose, review, vote (eligibility, choices, check, cast), change,
close, results, the .pb download, delivery, the mission page's section and the evidence."""

from html import unescape

import pytest

from mobilise.accounts.tests.factories import UserFactory
from mobilise.budgeting.models import Ballot, DeliveryItem, Phase, Project, VoterCode
from mobilise.core.sections import mission_evidence
from mobilise.engines.budgeting import parse_pb

from .conftest import project
from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _text(response):
    return unescape(response.content.decode())


def _vote(client, round_, *titles, district="NW5"):
    response = client.post(f"/budgets/{round_.pk}/vote/", {"district": district})
    assert response.status_code == 302, _text(response)
    ids = [str(project(round_, t).pk) for t in titles]
    return client.post(f"/budgets/{round_.pk}/vote/choices/", {"choices": ids})


def test_a_resident_proposes_an_idea_and_the_lead_rejects_it_with_a_reason(
    client, ideas_round, resident, lead
):
    client.force_login(resident)
    response = client.post(
        f"/budgets/{ideas_round.pk}/ideas/new/", {"title": "", "description": ""}
    )
    assert "There is a problem" in _text(response) and "Enter a name for your idea" in _text(
        response
    )
    response = client.post(
        f"/budgets/{ideas_round.pk}/ideas/new/",
        {"title": "A lido on Hampstead Heath", "description": "Swimming for everyone."},
    )
    assert response.status_code == 302
    idea = Project.objects.get(title="A lido on Hampstead Heath")

    client.force_login(lead)
    page = _text(client.get(f"/budgets/{ideas_round.pk}/"))
    assert "Ideas waiting for review" in page and "A lido on Hampstead Heath" in page
    response = client.post(f"/budgets/projects/{idea.pk}/review/", {"status": "rejected"})
    assert "Say why the idea is not going on the ballot" in _text(response)
    client.post(
        f"/budgets/projects/{idea.pk}/review/",
        {"status": "rejected", "reason": "A lido costs far more than the whole budget."},
    )
    client.logout()
    page = _text(client.get(f"/budgets/{ideas_round.pk}/"))
    assert "Ideas not on the ballot, and why" in page
    assert "A lido costs far more than the whole budget." in page


def test_voting_over_budget_shows_the_error_summary_then_casting_and_changing(
    client, voting_round, resident
):
    client.force_login(resident)
    response = client.post(f"/budgets/{voting_round.pk}/vote/", {"district": "M1"})
    assert "M1 is not one of its postcode districts" in _text(response)

    response = _vote(client, voting_round, "Trees on Malden Road", "Cycle hangars", "Pocket park")
    page = _text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Your choices cost £110,000; the budget is £100,000. Remove at least £10,000." in page
    assert 'href="#id_choices"' in page

    response = client.post(
        f"/budgets/{voting_round.pk}/vote/choices/",
        {
            "choices": [
                str(project(voting_round, t).pk) for t in ("Trees on Malden Road", "Pocket park")
            ]
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("/vote/check/")
    page = _text(client.get(f"/budgets/{voting_round.pk}/vote/check/"))
    assert "Check your choices" in page and "£80,000 of the £100,000 budget" in page
    response = client.post(f"/budgets/{voting_round.pk}/vote/check/")
    assert response["Location"].endswith("/vote/done/")
    assert "Ballot recorded" in _text(client.get(response["Location"]))
    assert "You have voted" in _text(client.get(f"/budgets/{voting_round.pk}/"))

    # Changing: the earlier choices come back ticked, and the same ballot is updated.
    client.post(f"/budgets/{voting_round.pk}/vote/", {"district": "NW5"})
    page = _text(client.get(f"/budgets/{voting_round.pk}/vote/choices/"))
    assert "Your earlier choices are ticked" in page
    _vote(client, voting_round, "Water fountains")
    page = _text(client.get(f"/budgets/{voting_round.pk}/vote/check/"))
    assert "This replaces the ballot you cast before" in page
    client.post(f"/budgets/{voting_round.pk}/vote/check/")
    ballot = Ballot.objects.get(round=voting_round)
    assert [c.project.title for c in ballot.choices.all()] == ["Water fountains"]


def test_the_ballot_page_asks_for_eligibility_first(client, voting_round, resident):
    client.force_login(resident)
    page = _text(client.get(f"/budgets/{voting_round.pk}/vote/choices/"))
    assert "Check you can vote" in page


def test_the_lead_closes_voting_and_everyone_sees_the_results(
    client, voting_round, resident, lead, mission, django_capture_on_commit_callbacks
):
    client.force_login(resident)
    _vote(client, voting_round, "Pocket park", "Water fountains")
    client.post(f"/budgets/{voting_round.pk}/vote/check/")

    client.force_login(lead)
    page = _text(client.get(f"/budgets/{voting_round.pk}/phase/"))
    assert "Close voting and count the ballots" in page
    with django_capture_on_commit_callbacks(execute=True):  # the count runs once voting has closed
        response = client.post(f"/budgets/{voting_round.pk}/phase/")
    assert response.status_code == 302
    voting_round.refresh_from_db()
    assert voting_round.phase == Phase.RESULTS

    client.logout()
    page = _text(client.get(f"/budgets/{voting_round.pk}/results/"))
    assert "Funded projects, in the order they were funded" in page
    assert "Pocket park" in page and "Method of Equal Shares" in page
    assert "Equal shares and greedy counting side by side" in page
    assert "Ballots counted" in page

    download = client.get(f"/budgets/{voting_round.pk}/ballots.pb")
    assert download["Content-Disposition"].startswith("attachment")
    election = parse_pb(download.content.decode())
    assert [v.voter_id for v in election.votes] == ["1"]

    # Voting pages now say it has closed.
    client.force_login(resident)
    assert "Voting has closed" in _text(client.get(f"/budgets/{voting_round.pk}/vote/"))

    # The lead records delivery; the mission page shows it.
    item = DeliveryItem.objects.get(project__title="Pocket park")
    client.force_login(lead)
    client.post(
        f"/budgets/delivery/{item.pk}/update/",
        {"status": "in_progress", "progress": "40", "note": "Planting in March."},
    )
    page = _text(client.get(mission.get_absolute_url()))
    assert "Participatory budgeting" in page and "Funded projects being delivered" in page
    assert "40% done" in page


def test_the_ballots_are_not_published_while_voting_is_open(client, voting_round):
    assert client.get(f"/budgets/{voting_round.pk}/ballots.pb").status_code == 404


def test_cumulative_ballot_points_must_add_up(client, voting_round, resident):
    voting_round.ballot_type = "cumulative"
    voting_round.points = 10
    voting_round.save()
    client.force_login(resident)
    client.post(f"/budgets/{voting_round.pk}/vote/", {"district": "NW5"})
    park = project(voting_round, "Pocket park")
    response = client.post(f"/budgets/{voting_round.pk}/vote/choices/", {f"points_{park.pk}": "4"})
    assert "Your points add up to 4; share out exactly 10 points." in _text(response)
    response = client.post(f"/budgets/{voting_round.pk}/vote/choices/", {f"points_{park.pk}": "10"})
    assert response.status_code == 302


def test_a_lead_opens_a_round(client, mission, lead):
    client.force_login(lead)
    response = client.post(
        "/budgets/missions/clean-air/new/",
        {
            "title": "Kentish Town budget",
            "place": mission.places.get().pk,
            "budget": "50000",
            "ballot_type": "k_approval",
            "rule": "mes",
            "completion": "add1",
            "postcode_districts": "NW5",
        },
    )
    assert "Enter how many projects each voter may choose" in _text(response)
    response = client.post(
        "/budgets/missions/clean-air/new/",
        {
            "title": "Kentish Town budget",
            "place": mission.places.get().pk,
            "budget": "50000",
            "ballot_type": "k_approval",
            "max_choices": "3",
            "rule": "mes",
            "completion": "add1",
            "postcode_districts": "NW5",
        },
    )
    assert response.status_code == 302
    assert "Kentish Town budget" in _text(client.get("/budgets/"))


def test_mission_evidence_reports_rounds_ballots_and_delivery(voting_round, resident, mission):
    item = DeliveryItem.objects.create(
        project=ProjectFactory(round=voting_round, title="Library garden", cost=5000),
        status="done",
        progress=100,
    )
    Ballot.objects.create(round=voting_round, voter_key="user:1")
    [evidence] = [e for e in mission_evidence.collect(mission) if e.key == "budgeting"]
    figures = dict(evidence.figures)
    assert figures["Ballots cast"] == "1"
    assert figures["Projects funded"] == "1"
    assert figures["Funded spend"] == "£5,000"
    assert evidence.highlights == [f"Delivered: {item.project.title}"]


def test_admin_lists_rounds_and_keeps_ballots_secret(client, voting_round, resident):
    from mobilise.accounts.tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    Ballot.objects.create(round=voting_round, voter_key=f"user:{resident.pk}")
    client.force_login(admin)
    for model in ("budgetround", "project", "ballot", "votercode", "result", "deliveryitem"):
        assert client.get(f"/admin/budgeting/{model}/").status_code == 200, model
    ballot = Ballot.objects.get()
    page = _text(client.get(f"/admin/budgeting/ballot/{ballot.pk}/change/"))
    assert "Trees on Malden Road" not in page and resident.email not in page


def test_amounts_and_numbers_are_taken_as_people_type_them(
    client, mission, ideas_round, lead, resident
):
    """A lead types "£8,000" for a cost, "£50,000" for a budget and "3,000" for points."""
    idea = ProjectFactory(round=ideas_round, title="Benches", status=Project.Status.PROPOSED)
    idea.cost = None
    idea.save()
    client.force_login(lead)
    response = client.post(
        f"/budgets/projects/{idea.pk}/review/", {"status": "feasible", "cost": "£8,000"}
    )
    assert response.status_code == 302, _text(response)
    idea.refresh_from_db()
    assert idea.cost == 8000
    assert "£8,000" in _text(client.get(f"/budgets/{ideas_round.pk}/"))

    response = client.post(
        f"/budgets/projects/{idea.pk}/review/", {"status": "feasible", "cost": "a lot"}
    )
    assert "There is a problem" in _text(response)
    assert "Enter the cost in pounds, like £8,000" in _text(response)
    assert 'value="a lot"' in _text(response)  # nothing typed is lost

    response = client.post(
        f"/budgets/missions/{mission.slug}/new/",
        {
            "title": "Play streets",
            "place": str(ideas_round.place_id),
            "budget": "£50,000",
            "ballot_type": "cumulative",
            "points": "3,000",
            "rule": "mes",
            "completion": "add1",
            "postcode_districts": "NW5",
            "allow_voter_codes": "on",
        },
    )
    assert response.status_code == 302, _text(response)
    created = mission.budget_rounds.get(title="Play streets")
    assert created.budget == 50_000 and created.points == 3000


@pytest.mark.parametrize("typed", ["NW5 1TL", "nw51tl", " nw5  1tl ", "NW5", "nw5"])
def test_a_full_postcode_in_any_case_and_spacing_shows_a_resident_may_vote(
    client, voting_round, resident, typed
):
    client.force_login(resident)
    response = client.post(f"/budgets/{voting_round.pk}/vote/", {"district": typed})
    assert response.status_code == 302, _text(response)
    assert response["Location"] == f"/budgets/{voting_round.pk}/vote/choices/"
    _vote(client, voting_round, "Pocket park", district=typed)
    assert client.post(f"/budgets/{voting_round.pk}/vote/check/").status_code == 302
    assert Ballot.objects.get(round=voting_round).postcode_district == "NW5"


@pytest.mark.parametrize(
    "typed, message",
    [
        ("banana", "Enter a real postcode, like NW5 1TL, or its first half, like NW5"),
        ("NW5 1", "Enter a real postcode, like NW5 1TL, or its first half, like NW5"),
        ("", "Enter your postcode, like NW5 1TL"),
        ("M1 1AE", "M1 is not one of its postcode districts"),
    ],
)
def test_a_postcode_that_is_not_one_gets_a_clear_error(
    client, voting_round, resident, typed, message
):
    client.force_login(resident)
    response = client.post(f"/budgets/{voting_round.pk}/vote/", {"district": typed})
    assert response.status_code == 200
    assert "There is a problem" in _text(response) and message in _text(response)


def test_the_results_say_what_happens_to_money_not_spent(
    client, voting_round, resident, lead, django_capture_on_commit_callbacks
):
    client.force_login(resident)
    _vote(client, voting_round, "Pocket park")
    client.post(f"/budgets/{voting_round.pk}/vote/check/")
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/budgets/{voting_round.pk}/phase/")
    page = _text(client.get(f"/budgets/{voting_round.pk}/results/"))
    assert "Money not spent" in page
    assert "The council has not yet said what happens to money not spent." in page

    # The lead says, on the round's own edit form (also once voting has closed).
    edit = _text(client.get(f"/budgets/{voting_round.pk}/edit/"))
    assert "What happens to money not spent (optional)" in edit
    from .test_round_edit_pages import _post_data

    voting_round.refresh_from_db()
    response = client.post(
        f"/budgets/{voting_round.pk}/edit/",
        _post_data(
            voting_round,
            unspent_note="Money not spent returns to the council's highways budget.",
        ),
    )
    assert response.status_code == 302, _text(response)
    client.logout()
    page = _text(client.get(f"/budgets/{voting_round.pk}/results/"))
    assert "£100,000 budget" in page
    assert "Money not spent returns to the council's highways budget." in page
    assert "has not yet said" not in page
    changes = _text(client.get(f"/budgets/{voting_round.pk}/changes/"))
    assert "What happens to money not spent" in changes


def test_wrong_voter_codes_are_throttled_like_sign_in(client, voting_round, resident, lead):
    # Issue #16, defect 10: 30 wrong codes in a row, then the right one, must not get a vote.
    from mobilise.budgeting import services

    voting_round.allow_voter_codes = True
    voting_round.save()
    (code,) = services.voter_codes_issue(round_=voting_round, user=lead, count=1)
    client.force_login(resident)
    url = f"/budgets/{voting_round.pk}/vote/"
    statuses = [client.post(url, {"code": f"WRONG{n:04d}"}).status_code for n in range(30)]
    assert statuses[0] == 200 and statuses[-1] == 429
    response = client.post(url, {"code": code})
    assert response.status_code == 429
    assert "Too many wrong voter codes" in _text(response)
    assert not VoterCode.objects.filter(used_by__isnull=False).exists()
    # Another person is not locked out by them.
    client.force_login(UserFactory(home_place=voting_round.place))
    response = client.post(url, {"code": code})
    assert response.status_code == 302, _text(response)


def test_the_page_showing_new_voter_codes_is_never_cached(client, voting_round, lead):
    # Issue #16, defect 12: the codes are shown once; no browser or proxy may keep the page.
    voting_round.allow_voter_codes = True
    voting_round.save()
    client.force_login(lead)
    response = client.post(f"/budgets/{voting_round.pk}/voter-codes/", {"count": "3"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in client.get(f"/budgets/{voting_round.pk}/voter-codes/")["Cache-Control"]
