import factory

from mobilise.deliberation.models import Conversation, Participant, Statement
from mobilise.missions.tests.factories import MissionFactory


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    mission = factory.SubFactory(MissionFactory)
    question = factory.Sequence(lambda n: f"How should we cut traffic fumes? ({n})")
    moderation = Conversation.Moderation.PRE


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    conversation = factory.SubFactory(ConversationFactory)
    text = factory.Sequence(lambda n: f"Statement number {n} about traffic")
    status = Statement.Status.ACCEPTED
    is_seed = True


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    conversation = factory.SubFactory(ConversationFactory)
    key = factory.Sequence(lambda n: f"key-{n}")


def two_camps(conversation, people: int = 30, *, seed: int = 7) -> list[Participant]:
    """Anonymous voters in two camps who vote on every accepted statement, each camp agreeing
    with alternate statements (with a little noise), so the analysis finds two groups. The last
    statement is one both camps agree with: common ground."""
    import random

    from django.utils import timezone

    from mobilise.deliberation.models import Vote

    rng = random.Random(seed)
    statements = list(conversation.statements.filter(status=Statement.Status.ACCEPTED))
    now = timezone.now()
    participants, votes = [], []
    for n in range(people):
        camp = 1 if n % 2 else -1
        participant = ParticipantFactory(conversation=conversation)
        participants.append(participant)
        for j, statement in enumerate(statements):
            if j == len(statements) - 1:
                value = 1
            else:
                value = camp * (1 if j % 2 else -1)
                if rng.random() < 0.1:
                    value = 0
            votes.append(
                Vote(participant=participant, statement=statement, value=value, updated_at=now)
            )
    Vote.objects.bulk_create(votes)
    return participants
