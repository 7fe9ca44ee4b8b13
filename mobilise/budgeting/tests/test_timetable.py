"""The published dates bind: no idea after ideas close, no ballot before voting opens or after it
closes, in the services and on the pages. Each date counts to the end of its day (local time)."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mobilise.budgeting import services, timetable
from mobilise.budgeting.models import Ballot, BudgetRound, Project

from .conftest import project

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def _text(response):
    return unescape(response.content.decode())


def _dated(round_, **dates):
    BudgetRound.objects.filter(pk=round_.pk).update(**dates)
    round_.refresh_from_db()
    return round_


def _cast(round_, user):
    return services.ballot_cast(
        round_=round_,
        voter=services.Voter(key=f"user:{user.pk}", district="NW5"),
        user=user,
        choices={project(round_, "Cycle hangars").pk: 1},
    )


# --- services ------------------------------------------------------------------------------------


def test_ideas_are_refused_after_the_closing_day_and_taken_on_it(ideas_round, resident):
    today = timezone.localdate()
    _dated(ideas_round, ideas_close_on=today)
    services.project_propose(round_=ideas_round, user=resident, title="Benches", description="")

    _dated(ideas_round, ideas_close_on=today - DAY)
    with pytest.raises(ValidationError) as exc:
        services.project_propose(round_=ideas_round, user=resident, title="Late", description="")
    assert exc.value.messages == [f"Ideas closed on {timetable.day(today - DAY)}."]
    assert not Project.objects.filter(title="Late").exists()


def test_a_ballot_before_voting_opens_is_refused_naming_the_day(voting_round, resident):
    opens = timezone.localdate() + DAY
    _dated(voting_round, voting_opens_on=opens)
    with pytest.raises(ValidationError) as exc:
        _cast(voting_round, resident)
    assert exc.value.messages == [
        f"Voting opens on {timetable.day(opens)}. Come back then to vote."
    ]
    assert not Ballot.objects.exists()


def test_a_ballot_after_voting_closes_is_refused_and_on_the_closing_day_accepted(
    voting_round, resident
):
    today = timezone.localdate()
    _dated(voting_round, voting_opens_on=today - 7 * DAY, voting_closes_on=today)
    _cast(voting_round, resident)
    assert Ballot.objects.filter(round=voting_round).count() == 1

    _dated(voting_round, voting_closes_on=today - DAY)
    with pytest.raises(ValidationError) as exc:
        _cast(voting_round, resident)
    assert exc.value.messages == [
        f"Voting closed on {timetable.day(today - DAY)}, so ballots can no longer be cast or changed."
    ]


def test_the_dates_are_read_again_under_the_lock_not_taken_from_the_callers_copy(
    voting_round, resident
):
    # The voter loaded the round while it was open; a lead has since set a closing day in the past.
    stale = BudgetRound.objects.get(pk=voting_round.pk)
    _dated(voting_round, voting_closes_on=timezone.localdate() - DAY)
    with pytest.raises(ValidationError, match="Voting closed on"):
        _cast(stale, resident)
    assert not Ballot.objects.exists()


def test_eligibility_is_refused_outside_the_voting_dates(voting_round, resident):
    _dated(voting_round, voting_closes_on=timezone.localdate() - DAY)
    with pytest.raises(ValidationError, match="Voting closed on"):
        services.check_eligibility(round_=voting_round, user=resident, district="NW5")


# --- pages ---------------------------------------------------------------------------------------


def test_a_closed_rounds_page_says_so_and_offers_no_vote(client, voting_round, resident):
    closes = timezone.localdate() - DAY
    _dated(voting_round, voting_closes_on=closes)
    client.force_login(resident)
    page = _text(client.get(f"/budgets/{voting_round.pk}/"))
    assert (
        f"Voting closed on {timetable.day(closes)} — results will be published once the count runs."
        in page
    )
    assert f'href="/budgets/{voting_round.pk}/vote/"' not in page


def test_a_round_not_yet_open_says_when_voting_opens(client, voting_round, resident):
    opens = timezone.localdate() + 3 * DAY
    _dated(voting_round, voting_opens_on=opens)
    client.force_login(resident)
    page = _text(client.get(f"/budgets/{voting_round.pk}/"))
    assert f"Voting opens on {timetable.day(opens)}. Come back then to vote." in page
    assert f'href="/budgets/{voting_round.pk}/vote/"' not in page
    for step in ("vote/", "vote/choices/", "vote/check/"):
        page = _text(client.get(f"/budgets/{voting_round.pk}/{step}"))
        assert "Voting is not open" in page and f"Voting opens on {timetable.day(opens)}" in page


def test_an_open_round_shows_its_closing_day_and_the_vote_button(client, voting_round, resident):
    closes = timezone.localdate()
    _dated(voting_round, voting_closes_on=closes)
    client.force_login(resident)
    page = _text(client.get(f"/budgets/{voting_round.pk}/"))
    assert f"It closes at the end of {timetable.day(closes)}." in page
    assert f'href="/budgets/{voting_round.pk}/vote/"' in page


def test_a_voter_caught_by_the_closing_day_mid_ballot_is_told_and_nothing_is_cast(
    client, voting_round, resident
):
    client.force_login(resident)
    client.post(f"/budgets/{voting_round.pk}/vote/", {"district": "NW5"})
    pocket_park = project(voting_round, "Pocket park")
    client.post(f"/budgets/{voting_round.pk}/vote/choices/", {"choices": [str(pocket_park.pk)]})
    _dated(voting_round, voting_closes_on=timezone.localdate() - DAY)
    page = _text(client.post(f"/budgets/{voting_round.pk}/vote/check/"))
    assert "Voting closed on" in page and "results will be published once the count runs" in page
    assert not Ballot.objects.exists()


def test_the_ideas_form_is_gone_once_ideas_close(client, ideas_round, resident):
    closes = timezone.localdate() - DAY
    _dated(ideas_round, ideas_close_on=closes)
    client.force_login(resident)
    page = _text(client.get(f"/budgets/{ideas_round.pk}/"))
    assert f"Ideas closed on {timetable.day(closes)}." in page
    assert "Propose an idea" not in page
    page = _text(client.get(f"/budgets/{ideas_round.pk}/ideas/new/"))
    assert f"Ideas closed on {timetable.day(closes)}." in page and "Send your idea" not in page
    response = client.post(
        f"/budgets/{ideas_round.pk}/ideas/new/", {"title": "Late idea", "description": ""}
    )
    assert response.status_code == 200
    assert not Project.objects.filter(title="Late idea").exists()


def test_lists_say_voting_closed_once_the_closing_day_has_passed(client, voting_round):
    def tag(page: str) -> str:
        # The round's row in the list of budget rounds: its phase tag's words.
        row = page.split(f'href="/budgets/{voting_round.pk}/"')[1].split("</tr>")[0]
        return re.search(r'class="govuk-tag[^"]*">\s*([^<]*?)\s*</strong>', row).group(1)

    _dated(voting_round, voting_closes_on=timezone.localdate())
    assert tag(_text(client.get("/budgets/"))) == "Voting"
    _dated(voting_round, voting_closes_on=timezone.localdate() - DAY)
    assert tag(_text(client.get("/budgets/"))) == "Voting closed"
    _dated(voting_round, voting_opens_on=timezone.localdate() + DAY, voting_closes_on=None)
    assert tag(_text(client.get("/budgets/"))) == "Voting soon"
