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
