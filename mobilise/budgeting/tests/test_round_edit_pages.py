"""The "Edit round details" page, without JavaScript: a lead changes a round; ballot settings are
shown disabled once voting has opened; nobody else may use it."""

from html import unescape

import pytest

from mobilise.budgeting.models import BudgetRound

pytestmark = pytest.mark.django_db


def _text(response):
    return unescape(response.content.decode())


def _tag(page, marker):
    """The attributes of the element carrying ``marker``, up to its aria-describedby or end."""
    start = page.index(marker)
    end = min(i for i in (page.find(" aria-", start), page.find(">", start)) if i != -1)
    return page[start:end]


def _post_data(round_, **changes):
    """Everything the page posts, as the browser would send it for ``round_``."""
    data = {
        "title": round_.title,
        "description": round_.description,
        "place": str(round_.place_id),
        "budget": str(round_.budget),
        "ballot_type": round_.ballot_type,
        "max_choices": round_.max_choices or "",
        "points": round_.points or "",
        "rule": round_.rule,
        "completion": round_.completion,
        "postcode_districts": round_.postcode_districts,
        "allow_voter_codes": "on" if round_.allow_voter_codes else "",
    }
    for name in ("ideas_close_on", "voting_opens_on", "voting_closes_on"):
        day = getattr(round_, name)
        data.update(
            {
                f"{name}-day": day.day if day else "",
                f"{name}-month": day.month if day else "",
                f"{name}-year": day.year if day else "",
            }
        )
    data.update(changes)
    return data


def test_a_lead_finds_the_page_from_the_round_and_sees_the_round_filled_in(
    client, voting_round, lead
):
    client.force_login(lead)
    page = _text(client.get(f"/budgets/{voting_round.pk}/"))
    assert f'href="/budgets/{voting_round.pk}/edit/">Edit round details</a>' in page
    response = client.get(f"/budgets/{voting_round.pk}/edit/")
    page = _text(response)
    assert response.status_code == 200
    assert "<h1" in page and "Edit round details" in page
    assert 'value="Greener streets"' in page
    assert "Voting has opened, so the place, budget, ballot" in page
    # Ballot settings are shown disabled, with the reason beside them.
    assert page.count("Fixed because voting has opened.") == 9
    assert _tag(page, 'id="id_budget"').endswith("disabled")
    assert _tag(page, 'id="id_ballot_type"').endswith("checked disabled")
    assert _tag(page, 'id="id_place"').endswith("disabled")
    assert "disabled" not in _tag(page, 'id="id_title"')
    assert "disabled" not in _tag(page, 'id="id_voting_closes_on-day"')


def test_a_lead_moves_the_closing_date_and_the_round_page_shows_it(client, voting_round, lead):
    client.force_login(lead)
    response = client.post(
        f"/budgets/{voting_round.pk}/edit/",
        _post_data(
            voting_round,
            **{
                "voting_opens_on-day": "1",
                "voting_opens_on-month": "4",
                "voting_opens_on-year": "2027",
                "voting_closes_on-day": "14",
                "voting_closes_on-month": "5",
                "voting_closes_on-year": "2027",
            },
        ),
        follow=True,
    )
    page = _text(response)
    assert response.redirect_chain == [(f"/budgets/{voting_round.pk}/", 302)]
    assert "Round updated" in page
    assert "1 April 2027 – 14 May 2027" in page


def test_once_voting_opens_a_posted_ballot_setting_is_ignored(client, voting_round, lead):
    """A disabled field is not sent by a browser; a crafted post changing it changes nothing."""
    client.force_login(lead)
    response = client.post(
        f"/budgets/{voting_round.pk}/edit/",
        _post_data(
            voting_round, title="Greener streets 2027", budget="1", ballot_type="cumulative"
        ),
    )
    assert response.status_code == 302
    saved = BudgetRound.objects.get(pk=voting_round.pk)
    assert (saved.title, saved.budget, saved.ballot_type) == (
        "Greener streets 2027",
        100_000,
        "approval",
    )


def test_before_voting_a_lead_changes_the_ballot(client, ideas_round, lead):
    client.force_login(lead)
    page = _text(client.get(f"/budgets/{ideas_round.pk}/edit/"))
    assert "Everything can change until voting opens" in page
    assert "Fixed because voting has opened." not in page
    response = client.post(
        f"/budgets/{ideas_round.pk}/edit/",
        _post_data(ideas_round, budget="75000", ballot_type="k_approval", max_choices="3"),
    )
    assert response.status_code == 302
    saved = BudgetRound.objects.get(pk=ideas_round.pk)
    assert (saved.budget, saved.ballot_type, saved.max_choices) == (75_000, "k_approval", 3)


# Voting closing (1 March 2027) before it opens (1 April 2027).
BACKWARDS_VOTING_DATES = {
    "voting_opens_on-day": "1",
    "voting_opens_on-month": "4",
    "voting_opens_on-year": "2027",
    "voting_closes_on-day": "1",
    "voting_closes_on-month": "3",
    "voting_closes_on-year": "2027",
}


def test_mistakes_are_shown_on_their_fields_and_nothing_is_saved(client, ideas_round, lead):
    client.force_login(lead)
    response = client.post(
        f"/budgets/{ideas_round.pk}/edit/",
        _post_data(
            ideas_round,
            title="",
            ballot_type="k_approval",
            **BACKWARDS_VOTING_DATES,
        ),
    )
    page = _text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a title for the round" in page
    response = client.post(
        f"/budgets/{ideas_round.pk}/edit/",
        _post_data(
            ideas_round,
            ballot_type="k_approval",
            **BACKWARDS_VOTING_DATES,
        ),
    )
    page = _text(response)
    assert "Enter how many projects each voter may choose" in page
    assert "Voting must close on or after the day it opens (1 April 2027)" in page
    assert 'href="#id_voting_closes_on-day"' in page
    saved = BudgetRound.objects.get(pk=ideas_round.pk)
    assert (saved.ballot_type, saved.voting_opens_on) == ("approval", None)


def test_a_resident_may_not_edit_a_round(client, voting_round, resident):
    client.force_login(resident)
    assert "Edit round details" not in _text(client.get(f"/budgets/{voting_round.pk}/"))
    assert client.get(f"/budgets/{voting_round.pk}/edit/").status_code == 403
    response = client.post(
        f"/budgets/{voting_round.pk}/edit/", _post_data(voting_round, title="Mine now")
    )
    assert response.status_code == 403
    assert BudgetRound.objects.get(pk=voting_round.pk).title == "Greener streets"


def test_signing_in_comes_first(client, voting_round):
    response = client.get(f"/budgets/{voting_round.pk}/edit/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert "Edit round details" not in _text(client.get(f"/budgets/{voting_round.pk}/"))


def test_a_round_in_another_currency_is_not_shown_in_pounds(client, voting_round, lead):
    voting_round.currency = "PLN"
    voting_round.save()
    client.force_login(lead)
    page = _text(client.get(f"/budgets/{voting_round.pk}/edit/"))
    assert "Budget in PLN" in page and "Budget in pounds" not in page
    assert "govuk-input__prefix" not in page
    assert 'value="100000"' in page
