"""The results page tells each person their own opinion group, and who is grouped and why."""

import pytest
from django.utils import timezone

from mobilise.deliberation.models import Analysis, Participant, Vote
from mobilise.deliberation.selectors import GROUP_LETTERS
from mobilise.deliberation.tasks import recompute_analysis
from mobilise.engines.opinion import MIN_VOTES

from .factories import ParticipantFactory, two_camps

pytestmark = pytest.mark.django_db


def _results(client, conversation) -> str:
    return " ".join(
        client.get(f"/conversations/{conversation.pk}/results/").content.decode().split()
    )


def _light_voters(conversation, people: int, votes_each: int) -> None:
    statements = list(conversation.statements.all()[:votes_each])
    for _ in range(people):
        participant = ParticipantFactory(conversation=conversation)
        Vote.objects.bulk_create(
            Vote(participant=participant, statement=s, value=1, updated_at=timezone.now())
            for s in statements
        )


def _vote_on_everything(client, conversation) -> Participant:
    url = conversation.get_absolute_url()
    for j, statement in enumerate(conversation.statements.all()):
        response = client.post(url, {"statement": statement.pk, "vote": 1 if j % 2 else -1})
        assert response.status_code == 303
    return Participant.objects.exclude(key__startswith="key-").get(conversation=conversation)


def test_a_participant_is_told_their_own_group(client, conversation):
    two_camps(conversation, 30)
    me = _vote_on_everything(client, conversation)
    recompute_analysis.call(conversation_id=conversation.pk)

    groups = Analysis.objects.latest().result["groups"]
    mine = next(g for g in groups if me.pk in g["members"])
    letter = GROUP_LETTERS[mine["index"]]
    others = mine["size"] - 1
    assert others > 1
    html = _results(client, conversation)
    assert f"You are in group {letter}, with {others} others." in html
    assert f'href="#group-{letter.lower()}"' in html and f'id="group-{letter.lower()}"' in html

    # Nobody else is told it: a visitor who has not voted sees no group of their own.
    client.cookies.clear()
    html = _results(client, conversation)
    assert "You are in group" not in html and "not in an opinion group" not in html


def test_the_page_says_who_is_grouped_and_why(client, conversation):
    two_camps(conversation, 30)
    _light_voters(conversation, 4, votes_each=MIN_VOTES - 5)
    recompute_analysis.call(conversation_id=conversation.pk)

    html = _results(client, conversation)
    assert "34 people have voted" in html
    assert (
        "30 of the 34 people who voted are in the opinion groups. "
        f"People are grouped once they have voted on at least {MIN_VOTES} statements." in html
    )
    assert f"Everyone who has voted on at least {MIN_VOTES} statements" in html


def test_everyone_grouped_and_someone_not_yet_grouped(client, conversation):
    two_camps(conversation, 30)
    url = conversation.get_absolute_url()
    for statement in conversation.statements.all()[:2]:
        client.post(url, {"statement": statement.pk, "vote": 1})
    # Two votes: with 30 others well past the threshold, the resident is not grouped yet.
    html = _results(client, conversation)
    assert "You are in group" not in html
    assert "You are not in an opinion group yet: you have voted on 2 statements." in html
    assert "30 of the 31 people who voted are in the opinion groups." in html

    client.cookies.clear()
    Participant.objects.exclude(key__startswith="key-").delete()
    recompute_analysis.call(conversation_id=conversation.pk)
    assert "All 30 people who voted are in the opinion groups." in _results(client, conversation)


def test_an_older_snapshot_without_members_still_shows(client, conversation):
    two_camps(conversation, 30)
    me = _vote_on_everything(client, conversation)
    recompute_analysis.call(conversation_id=conversation.pk)
    analysis = Analysis.objects.latest()
    for group in analysis.result["groups"]:
        del group["members"]
    analysis.save()
    html = _results(client, conversation)
    assert "What group A thinks" in html and "You are in group" not in html
    assert me.votes.count() == 8


def test_with_fewer_statements_than_the_threshold_the_page_quotes_the_real_one(client, mission):
    from .factories import ConversationFactory, StatementFactory

    conversation = ConversationFactory(mission=mission)
    for n in range(MIN_VOTES - 2):
        StatementFactory(conversation=conversation, text=f"Short conversation statement {n}")
    two_camps(conversation, 20)
    recompute_analysis.call(conversation_id=conversation.pk)
    html = _results(client, conversation)
    assert (
        f"People are grouped once they have voted on at least {MIN_VOTES - 2} statements." in html
    )


def test_a_hidden_participant_is_not_told_a_group(client, conversation):
    two_camps(conversation, 30)
    me = _vote_on_everything(client, conversation)
    me.hidden = True
    me.save()
    recompute_analysis.call(conversation_id=conversation.pk)
    html = _results(client, conversation)
    assert "You are in group" not in html and "not in an opinion group" not in html


def test_when_everyone_agrees_the_page_says_there_is_not_enough_disagreement(client, conversation):
    _light_voters(conversation, 30, conversation.statements.count())
    recompute_analysis.call(conversation_id=conversation.pk)
    assert Analysis.objects.latest().result["n_groups"] == 0
    html = _results(client, conversation)
    assert "There is not enough disagreement to form opinion groups" in html
    assert "What most people agree on" in html
    assert "Group A" not in html
