"""Every phase message on the budgeting pages says what the round's timetable (timetable.py) says:
a round moved to voting whose opening day is still to come has not opened, and so on."""

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from mobilise.budgeting.models import Ballot, Phase

from .conftest import project
from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _text(response):
    return unescape(response.content.decode())


def _day(value):
    return f"{value.day} {value:%B %Y}"


def test_the_edit_page_does_not_say_voting_has_opened_before_its_day(client, voting_round, lead):
    opens = timezone.localdate() + timedelta(days=5)
    voting_round.voting_opens_on = opens
    voting_round.save()
    client.force_login(lead)
    page = _text(client.get(f"/budgets/{voting_round.pk}/edit/"))
    assert "Voting has opened" not in page and "voting has opened" not in page
    assert "The round has moved to voting" in page and f"Voting opens on {_day(opens)}" in page
    assert page.count("Fixed because the round has moved to voting.") == 9
    # The round's own page agrees: voting soon, not open.
    round_page = _text(client.get(f"/budgets/{voting_round.pk}/"))
    assert f"Voting opens on {_day(opens)}. Come back then to vote." in round_page
    assert "Voting is open" not in round_page


def test_the_edit_page_says_voting_has_opened_when_it_has(client, voting_round, lead):
    client.force_login(lead)
    page = _text(client.get(f"/budgets/{voting_round.pk}/edit/"))
    assert "Voting has opened, so the place, budget, ballot" in page


def test_the_edit_page_says_voting_has_closed_once_it_has(client, voting_round, lead):
    for phase in (Phase.RESULTS, Phase.DELIVERY):
        voting_round.phase = phase
        voting_round.save()
        client.force_login(lead)
        page = _text(client.get(f"/budgets/{voting_round.pk}/edit/"))
        assert "Voting has closed, so the place, budget, ballot" in page
        assert "Voting has opened" not in page
        assert page.count("Fixed because voting has closed.") == 9
    # And in the voting phase once its closing day has passed.
    voting_round.phase = Phase.VOTING
    voting_round.voting_closes_on = timezone.localdate() - timedelta(days=1)
    voting_round.save()
    page = _text(client.get(f"/budgets/{voting_round.pk}/edit/"))
    assert "Voting has closed, so the place, budget, ballot" in page


def test_moving_to_voting_says_when_residents_can_vote(client, ideas_round, lead):
    ProjectFactory(round=ideas_round, title="Benches")
    ideas_round.phase = Phase.REVIEW
    ideas_round.save()
    client.force_login(lead)
    page = _text(client.get(f"/budgets/{ideas_round.pk}/phase/"))
    assert "Residents can vote at once." in page
    assert "waiting for review" not in page  # no "0 ideas are still waiting"


def test_moving_to_voting_after_the_published_closing_day_warns(client, ideas_round, lead):
    ProjectFactory(round=ideas_round, title="Benches")
    ideas_round.phase = Phase.REVIEW
    closed = timezone.localdate() - timedelta(days=2)
    ideas_round.voting_opens_on = closed - timedelta(days=7)
    ideas_round.voting_closes_on = closed
    ideas_round.ideas_close_on = closed - timedelta(days=14)
    ideas_round.save()
    client.force_login(lead)
    page = _text(client.get(f"/budgets/{ideas_round.pk}/phase/"))
    assert f"Voting was published to close on {_day(closed)}, which has passed" in page


def test_the_review_page_says_when_the_ballot_was_fixed(client, voting_round, lead):
    voting_round.voting_opens_on = timezone.localdate() + timedelta(days=5)
    voting_round.save()
    client.force_login(lead)
    idea = project(voting_round, "Pocket park")
    page = _text(client.get(f"/budgets/projects/{idea.pk}/review/"))
    assert "The ballot was fixed when the round moved to voting" in page
    assert "once voting opens" not in page


def test_the_thank_you_page_names_the_rounds_own_counting_rule(client, voting_round, resident):
    voting_round.rule = "greedy"
    voting_round.save()
    client.force_login(resident)
    client.post(f"/budgets/{voting_round.pk}/vote/", {"district": "NW5 1TL"})
    client.post(
        f"/budgets/{voting_round.pk}/vote/choices/",
        {"choices": [str(project(voting_round, "Pocket park").pk)]},
    )
    client.post(f"/budgets/{voting_round.pk}/vote/check/")
    assert Ballot.objects.filter(round=voting_round).exists()
    page = _text(client.get(f"/budgets/{voting_round.pk}/vote/done/"))
    assert "Ballot recorded" in page
    assert "Method of Equal Shares" not in page and "greedy counting" in page
