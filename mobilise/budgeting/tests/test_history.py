"""A round's history: every edit and phase move is kept with who made it and what changed (only
what really changed), nothing is kept for an edit that changed nothing or was refused, and anyone
can read it in plain words, newest first, on "Changes to this round"."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mobilise.budgeting import advance, services
from mobilise.budgeting.models import Phase, RoundChange
from mobilise.places.models import Place

from .factories import BudgetRoundFactory

pytestmark = pytest.mark.django_db


def _text(response):
    return unescape(response.content.decode())


def _words(html):
    """What a reader sees of the page, tags left out."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def _dated(round_, **dates):
    for name, value in dates.items():
        setattr(round_, name, value)
    round_.save()
    return round_


def test_an_edit_records_exactly_the_fields_that_changed(voting_round, lead):
    _dated(voting_round, voting_opens_on=date(2027, 4, 1), voting_closes_on=date(2027, 4, 30))
    services.round_update(
        round_=voting_round,
        user=lead,
        title=voting_round.title,  # sent back unchanged, as the form does
        description=voting_round.description,
        voting_opens_on=date(2027, 4, 1),
        voting_closes_on=date(2027, 5, 14),
    )
    change = RoundChange.objects.get()
    assert change.round == voting_round and change.changed_by == lead
    assert change.kind == "edit" and not change.by_timetable
    assert change.changes == {"voting_closes_on": ["2027-04-30", "2027-05-14"]}


def test_ballot_settings_are_recorded_in_a_form_that_reads_back(ideas_round, lead, mission):
    islington = Place.objects.create(code="E09000019", name="Islington", kind=Place.Kind.UNITARY)
    mission.places.add(islington)
    services.round_update(
        round_=ideas_round,
        user=lead,
        budget=Decimal(80_000),
        place=islington,
        ballot_type="k_approval",
        max_choices=3,
        allow_voter_codes=False,
    )
    assert RoundChange.objects.get().changes == {
        "place": ["Camden", "Islington"],
        "budget": ["100000.00", "80000.00"],
        "ballot_type": ["approval", "k_approval"],
        "max_choices": [None, 3],
        "allow_voter_codes": [True, False],
    }


def test_an_edit_that_changes_nothing_records_nothing(voting_round, lead):
    services.round_update(round_=voting_round, user=lead, title=f"  {voting_round.title} ")
    services.round_update(round_=voting_round, user=lead, budget=voting_round.budget)
    assert not RoundChange.objects.exists()


def test_a_refused_edit_records_nothing(voting_round, lead):
    with pytest.raises(ValidationError, match="budget cannot change once voting has opened"):
        services.round_update(
            round_=voting_round, user=lead, title="Renamed", budget=Decimal(80_000)
        )
    with pytest.raises(ValidationError, match="Voting must close on or after the day it opens"):
        services.round_update(
            round_=voting_round,
            user=lead,
            voting_opens_on=date(2027, 4, 1),
            voting_closes_on=date(2027, 3, 1),
        )
    assert not RoundChange.objects.exists()
    voting_round.refresh_from_db()
    assert voting_round.title == "Greener streets"


def test_a_lead_moving_the_phase_is_recorded(voting_round, lead):
    services.round_move_phase(round_=voting_round, user=lead, to=Phase.RESULTS)
    change = RoundChange.objects.get()
    assert (change.kind, change.changed_by, change.by_timetable) == ("phase", lead, False)
    assert change.changes == {"phase": ["voting", "results"]}


def test_a_refused_phase_move_records_nothing(ideas_round, lead):
    stale = type(ideas_round).objects.get(pk=ideas_round.pk)
    services.round_move_phase(round_=ideas_round, user=lead, to=Phase.REVIEW)
    with pytest.raises(ValidationError, match="Someone else has just moved this round on"):
        services.round_move_phase(round_=stale, user=lead, to=Phase.REVIEW)
    with pytest.raises(ValidationError, match="No project is on the ballot yet"):
        services.round_move_phase(round_=ideas_round, user=lead, to=Phase.VOTING)
    assert RoundChange.objects.count() == 1


def test_the_timetable_moving_the_phase_is_recorded_as_the_timetable(voting_round):
    today = timezone.localdate()
    _dated(
        voting_round,
        voting_opens_on=today - timedelta(days=14),
        voting_closes_on=today - timedelta(days=1),
    )
    [move] = advance.advance(on=today)
    assert move.done
    change = RoundChange.objects.get()
    assert change.changed_by is None and change.by_timetable
    assert change.changes == {"phase": ["voting", "results"]}


def test_a_deleted_lead_is_still_the_mission_team_not_the_timetable(client, voting_round, lead):
    services.round_move_phase(round_=voting_round, user=lead, to=Phase.RESULTS)
    lead.delete()
    page = _text(client.get(f"/budgets/{voting_round.pk}/changes/"))
    assert "The mission team at London Borough of Camden" in page
    assert "published closing day" not in page


def _at(change, moment):
    RoundChange.objects.filter(pk=change.pk).update(changed_at=moment)


def test_the_changes_page_is_public_in_plain_words_and_newest_first(
    client, voting_round, lead, resident
):
    _dated(voting_round, voting_opens_on=date(2027, 4, 1), voting_closes_on=date(2027, 4, 30))
    services.round_update(round_=voting_round, user=lead, voting_closes_on=date(2027, 5, 14))
    _at(
        RoundChange.objects.get(),
        datetime(2027, 4, 20, 14, 15, tzinfo=timezone.get_current_timezone()),
    )
    services.round_update(
        round_=voting_round, user=lead, description="Now for greener and safer streets."
    )
    _at(
        RoundChange.objects.latest("pk"),
        datetime(2027, 4, 22, 9, 0, tzinfo=timezone.get_current_timezone()),
    )
    advance.advance(on=date(2027, 5, 15))
    _at(
        RoundChange.objects.latest("pk"),
        datetime(2027, 5, 15, 0, 5, tzinfo=timezone.get_current_timezone()),
    )

    response = client.get(f"/budgets/{voting_round.pk}/changes/")  # nobody signed in
    assert response.status_code == 200
    page = _text(response)
    assert '<h1 class="govuk-heading-xl">Changes to this round</h1>' in page
    closing = "Phase: Voting → Results (the published closing day had passed)"
    description = "Description: changed"
    dates = "Voting closes: 30 April 2027 → 14 May 2027"
    assert page.index(closing) < page.index(description) < page.index(dates)
    assert page.index(dates) < page.index("The round was opened")
    assert "The published timetable" in page
    assert page.count("The mission team at London Borough of Camden") == 3  # 2 edits, the opening
    assert "20 April 2027 at 2:15pm" in page
    assert "Now for greener and safer streets." in page  # the new text, under "Show…"
    assert lead.name not in page  # roles, not people's names

    client.force_login(resident)
    round_page = _text(client.get(f"/budgets/{voting_round.pk}/"))
    assert "Last changed on 15 May 2027 — see all changes to this round" in _words(round_page)
    assert f'href="/budgets/{voting_round.pk}/changes/"' in round_page


def test_money_and_choices_read_as_the_round_page_shows_them(client, ideas_round, lead):
    services.round_update(
        round_=ideas_round,
        user=lead,
        budget=Decimal(80_000),
        rule="greedy",
        allow_voter_codes=False,
    )
    page = _text(client.get(f"/budgets/{ideas_round.pk}/changes/"))
    assert "Budget: £100,000 → £80,000" in page
    assert "Counting rule: Method of Equal Shares → Greedy (most votes first)" in page
    assert "Voter codes: accepted → not accepted" in page


def test_a_round_never_changed_says_so(client, ideas_round):
    round_page = _text(client.get(f"/budgets/{ideas_round.pk}/"))
    assert "not changed since — see all changes to this round" in _words(round_page)
    page = _text(client.get(f"/budgets/{ideas_round.pk}/changes/"))
    assert "0 changes" in page and "The round was opened" in page


def test_a_draft_missions_round_history_is_hidden(client, mission, camden):
    mission.status = "draft"
    mission.save()
    round_ = BudgetRoundFactory(mission=mission, place=camden)
    assert client.get(f"/budgets/{round_.pk}/changes/").status_code == 404


# --- the lead's "Move the round on" page ---------------------------------------------------------


@pytest.fixture
def reviewed_round(ideas_round):
    from .factories import ProjectFactory

    ProjectFactory(round=ideas_round, title="Benches")
    ideas_round.phase = Phase.REVIEW
    ideas_round.save()
    return ideas_round


def test_opening_voting_before_its_published_day_warns(client, reviewed_round, lead):
    opens = timezone.localdate() + timedelta(days=3)
    _dated(reviewed_round, voting_opens_on=opens)
    client.force_login(lead)
    page = _text(client.get(f"/budgets/{reviewed_round.pk}/phase/"))
    day = f"{opens.day} {opens:%B %Y}"
    assert (
        f"Voting is published to open on {day}. Residents will not be able to vote until then."
        in page
    )
    assert "The ballot is fixed when the round moves to voting" in page  # the rules still say so


def test_opening_voting_on_its_day_does_not_warn(client, reviewed_round, lead):
    _dated(reviewed_round, voting_opens_on=timezone.localdate())
    client.force_login(lead)
    assert "Voting is published to open" not in _text(
        client.get(f"/budgets/{reviewed_round.pk}/phase/")
    )


def test_closing_voting_before_its_published_day_warns(client, voting_round, lead):
    closes = timezone.localdate()  # the closing day is inclusive: closing now is still early
    _dated(voting_round, voting_opens_on=closes - timedelta(days=7), voting_closes_on=closes)
    client.force_login(lead)
    page = _text(client.get(f"/budgets/{voting_round.pk}/phase/"))
    day = f"{closes.day} {closes:%B %Y}"
    assert f"Voting is published to close on {day}; closing it now ends it early." in page
    assert "Voting closes at once and cannot be reopened." in page


def test_closing_voting_after_its_published_day_does_not_warn(client, voting_round, lead):
    closed = timezone.localdate() - timedelta(days=1)
    _dated(voting_round, voting_opens_on=closed - timedelta(days=7), voting_closes_on=closed)
    client.force_login(lead)
    assert "ends it early" not in _text(client.get(f"/budgets/{voting_round.pk}/phase/"))


def test_the_rounds_admin_shows_its_changes_read_only(client, voting_round, lead):
    from mobilise.accounts.tests.factories import UserFactory

    services.round_update(round_=voting_round, user=lead, title="Greener streets for all")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = _text(client.get(f"/admin/budgeting/budgetround/{voting_round.pk}/change/"))
    assert "Changes to this round (newest first)" in page
    assert "Title: Greener streets → Greener streets for all" in page  # words, not the JSON
    assert '"title": [' not in page
    assert 'name="changes-0-changes"' not in page  # shown, not an input


@pytest.mark.parametrize("phase", [Phase.REVIEW, Phase.VOTING])
def test_the_edit_page_sent_back_with_one_date_moved_records_only_that_date(
    client, voting_round, lead, phase
):
    from .test_round_edit_pages import _post_data

    voting_round.phase = phase
    _dated(voting_round, voting_opens_on=date(2027, 4, 1), voting_closes_on=date(2027, 4, 30))
    client.force_login(lead)
    unchanged = client.post(f"/budgets/{voting_round.pk}/edit/", _post_data(voting_round))
    assert unchanged.status_code == 302 and not RoundChange.objects.exists()
    moved = _post_data(
        voting_round, **{"voting_closes_on-day": "14", "voting_closes_on-month": "5"}
    )
    assert client.post(f"/budgets/{voting_round.pk}/edit/", moved).status_code == 302
    assert RoundChange.objects.get().changes == {"voting_closes_on": ["2027-04-30", "2027-05-14"]}
