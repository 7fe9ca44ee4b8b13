"""Each ballot type's own question (how many projects, how many points) sits under its option on the
round forms, without JavaScript too; what is typed under an option not chosen is ignored, never an
error nobody can see; once voting opens the question stays readable, disabled."""

import re
from html import unescape

import pytest

from mobilise.budgeting.models import BudgetRound

pytestmark = pytest.mark.django_db

NEW = "/budgets/missions/clean-air/new/"


def _form(mission, **changes):
    data = {
        "title": "Kentish Town budget",
        "place": mission.places.get().pk,
        "budget": "50000",
        "ballot_type": "approval",
        "rule": "mes",
        "completion": "add1",
        "postcode_districts": "NW5",
    }
    return {**data, **changes}


def _conditional(page, option):
    """The HTML revealed under the ballot option numbered ``option`` (1, 2, 3), and its classes."""
    suffix = "" if option == 1 else f"-{option}"
    opening = re.search(rf'<div class="([^"]*)" id="conditional-id_ballot_type{suffix}">', page)
    assert opening, page
    end = page.find('<div class="govuk-radios__item">', opening.end())
    return opening.group(1), page[opening.end() : end if end != -1 else len(page)]


def test_each_question_sits_under_its_own_ballot_option(client, mission, lead):
    client.force_login(lead)
    page = unescape(client.get(NEW).content.decode())
    classes, inside = _conditional(page, 2)  # "Choose up to a number of projects"
    assert "govuk-radios__conditional--hidden" in classes  # until chosen, where JavaScript runs
    assert 'id="id_max_choices"' in inside and 'id="id_points"' not in inside
    classes, inside = _conditional(page, 3)  # "Share out points between projects"
    assert 'id="id_points"' in inside and 'id="id_max_choices"' not in inside
    assert 'conditional-id_ballot_type"' not in page  # any projects: nothing more to ask
    assert "Only for a ballot" not in page


def test_a_missing_number_of_points_shows_under_its_option(client, mission, lead):
    client.force_login(lead)
    page = unescape(client.post(NEW, _form(mission, ballot_type="cumulative")).content.decode())
    assert 'href="#id_points">Enter how many points each voter shares out</a>' in page
    classes, inside = _conditional(page, 3)
    assert classes == "govuk-radios__conditional"  # chosen, so shown
    assert "Enter how many points each voter shares out" in inside
    assert not BudgetRound.objects.exists()


def test_a_number_typed_under_another_ballot_is_ignored(client, mission, lead):
    client.force_login(lead)
    response = client.post(NEW, _form(mission, points="lots", max_choices="0"))
    assert response.status_code == 302
    saved = BudgetRound.objects.get()
    assert (saved.ballot_type, saved.max_choices, saved.points) == ("approval", None, None)


def test_once_voting_opens_the_chosen_ballots_question_shows_disabled(client, voting_round, lead):
    voting_round.ballot_type, voting_round.points = "cumulative", 10
    voting_round.save()
    client.force_login(lead)
    page = unescape(client.get(f"/budgets/{voting_round.pk}/edit/").content.decode())
    classes, inside = _conditional(page, 3)
    assert classes == "govuk-radios__conditional"
    assert re.search(r'id="id_points"[^>]*value="10"[^>]*disabled', inside.replace("\n", " "))
    assert "Fixed because voting has opened." in inside
