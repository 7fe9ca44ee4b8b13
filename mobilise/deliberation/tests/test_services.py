"""Votes, statements and moderation through the services, as the pages use them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mobilise.deliberation import services
from mobilise.deliberation.analysis import vote_matrix
from mobilise.deliberation.models import Analysis, Conversation, Statement, Vote, normalise

from .factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _vote(conversation, participant, statement, value):
    services.vote_cast(
        conversation=conversation, participant=participant, statement_id=statement.pk, value=value
    )


def test_the_latest_vote_wins_and_there_is_only_ever_one_row(conversation):
    participant = ParticipantFactory(conversation=conversation)
    statement = conversation.statements.first()

    for value in (1, -1, 0, -1):
        _vote(conversation, participant, statement, value)

    votes = Vote.objects.filter(participant=participant, statement=statement)
    assert votes.count() == 1
    assert votes.get().value == -1


def test_the_database_refuses_a_second_row_for_the_same_pair(conversation):
    participant = ParticipantFactory(conversation=conversation)
    statement = conversation.statements.first()
    Vote.objects.create(
        participant=participant, statement=statement, value=1, updated_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            participant=participant, statement=statement, value=-1, updated_at=timezone.now()
        )


def test_votes_must_be_agree_disagree_or_pass_on_an_accepted_statement(conversation):
    participant = ParticipantFactory(conversation=conversation)
    statement = conversation.statements.first()
    with pytest.raises(ValidationError, match="agree, disagree or pass"):
        _vote(conversation, participant, statement, 2)
    pending = services.statement_add(conversation=conversation, text="Ban idling engines")
    assert pending.status == Statement.Status.PENDING
    with pytest.raises(ValidationError, match="not open for voting"):
        _vote(conversation, participant, pending, 1)
    services.conversation_set_status(conversation=conversation, status=Conversation.Status.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        _vote(conversation, participant, statement, 1)
    assert not Vote.objects.exists()


def test_a_vote_queues_one_recompute_and_the_analysis_counts_it(conversation):
    participant = ParticipantFactory(conversation=conversation)
    _vote(conversation, participant, conversation.statements.first(), 1)

    # The immediate task backend ran the recompute; it cleared the flag and kept a snapshot.
    conversation.refresh_from_db()
    assert not conversation.recompute_pending
    assert Analysis.objects.get(conversation=conversation).votes_counted == 1


def test_only_the_vote_that_flips_the_flag_queues_a_recompute(conversation):
    Conversation.objects.filter(pk=conversation.pk).update(recompute_pending=True)
    assert services.analysis_request(conversation.pk) is False
    Conversation.objects.filter(pk=conversation.pk).update(recompute_pending=False)
    assert services.analysis_request(conversation.pk) is True


def test_duplicate_statements_are_refused_whatever_the_case_and_punctuation(conversation):
    with pytest.raises(ValidationError, match="already added this statement"):
        services.statement_add(
            conversation=conversation, text="camden NEEDS more protected cycle-lanes!"
        )
    assert normalise("Café  crème!") == "cafe creme"


def test_statements_have_a_length_limit(conversation):
    with pytest.raises(ValidationError, match="140 characters or fewer"):
        services.statement_add(conversation=conversation, text="x " * 71)
    with pytest.raises(ValidationError, match="Enter a statement"):
        services.statement_add(conversation=conversation, text="   ")


def test_pre_moderation_waits_post_moderation_shows_at_once_moderators_skip_the_queue(conversation):
    waiting = services.statement_add(conversation=conversation, text="Plant more street trees")
    assert waiting.status == Statement.Status.PENDING
    from_lead = services.statement_add(
        conversation=conversation, text="Extend the low emission zone", moderator=True
    )
    assert from_lead.status == Statement.Status.ACCEPTED

    conversation.moderation = Conversation.Moderation.POST
    conversation.save()
    shown = services.statement_add(
        conversation=conversation, text="Car-free Sundays on the high street"
    )
    assert shown.status == Statement.Status.ACCEPTED

    services.statement_moderate(statement=waiting, status=Statement.Status.ACCEPTED)
    services.statement_moderate(statement=shown, status=Statement.Status.REJECTED)
    assert set(
        Statement.objects.filter(pk__in=[waiting.pk, shown.pk]).values_list("text", "status")
    ) == {
        ("Plant more street trees", "accepted"),
        ("Car-free Sundays on the high street", "rejected"),
    }


def test_a_hidden_participants_votes_leave_the_analysis(conversation):
    troll = ParticipantFactory(conversation=conversation)
    resident = ParticipantFactory(conversation=conversation)
    pending = services.statement_add(
        conversation=conversation, text="Spam spam spam", participant=troll
    )
    for statement in conversation.statements.filter(status="accepted"):
        _vote(conversation, troll, statement, -1)
        _vote(conversation, resident, statement, 1)
    matrix, counted = vote_matrix(conversation)
    assert counted == 16 and matrix.shape[0] == 2

    services.participant_hide(participant=troll)

    matrix, counted = vote_matrix(conversation)
    assert counted == 8 and matrix.participant_ids.tolist() == [resident.pk]
    pending.refresh_from_db()
    assert pending.status == Statement.Status.REJECTED
    assert Analysis.objects.filter(conversation=conversation).latest().votes_counted == 8


def test_rejected_statements_are_moderated_out_of_the_analysis(conversation):
    statement = conversation.statements.first()
    services.statement_moderate(statement=statement, status=Statement.Status.REJECTED)
    matrix, _ = vote_matrix(conversation)
    assert matrix.moderated_out.tolist()[matrix.statement_ids.tolist().index(statement.pk)]


def test_one_participant_per_person_and_per_browser(conversation, lead):
    first = services.participant_get_or_create(conversation=conversation, user=lead)
    assert services.participant_get_or_create(conversation=conversation, user=lead) == first
    anon = services.participant_get_or_create(conversation=conversation, key="abc")
    assert services.participant_get_or_create(conversation=conversation, key="abc") == anon
    assert anon != first


def test_opening_a_conversation_with_starter_statements(mission, lead):
    conversation = services.conversation_create(
        mission=mission,
        created_by=lead,
        question="What would help you be more active?",
        seed_statements=["Free classes in parks", "Cheaper leisure centres"],
    )
    assert list(conversation.statements.values_list("text", "status", "is_seed")) == [
        ("Free classes in parks", "accepted", True),
        ("Cheaper leisure centres", "accepted", True),
    ]
    with pytest.raises(ValidationError, match="must be different"):
        services.conversation_create(
            mission=mission, created_by=lead, question="Again?", seed_statements=["A b", "a, B"]
        )


def test_a_vote_records_when_it_was_cast(conversation):
    participant = ParticipantFactory(conversation=conversation)
    before = timezone.now()
    _vote(conversation, participant, conversation.statements.first(), 1)
    assert before <= Vote.objects.get().updated_at <= timezone.now()


@pytest.mark.parametrize("text", ["Ban idling\u202e engines", "Ban\u200b idling engines"])
def test_a_statement_with_invisible_characters_is_refused(conversation, text):
    # Issue #16, defect 9: two statements that look alike must not differ invisibly.
    with pytest.raises(ValidationError, match="invisible characters"):
        services.statement_add(conversation=conversation, text=text)
    assert not conversation.statements.filter(text__startswith="Ban").exists()
