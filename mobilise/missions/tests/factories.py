import factory

from mobilise.accounts.tests.factories import OrganisationFactory
from mobilise.missions.models import Mission, Outcome, TheoryOfChangeLink, TheoryOfChangeNode


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission

    title = factory.Sequence(lambda n: f"Mission {n}")
    slug = factory.Sequence(lambda n: f"mission-{n}")
    statement = "Halve transport emissions in the borough by 2035."
    horizon_year = 2035
    owner = factory.SubFactory(OrganisationFactory)
    scope = Mission.Scope.LOCAL
    status = Mission.Status.ACTIVE


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    mission = factory.SubFactory(MissionFactory)
    title = factory.Sequence(lambda n: f"Outcome {n}")
    slug = factory.Sequence(lambda n: f"outcome-{n}")


class NodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TheoryOfChangeNode

    mission = factory.SubFactory(MissionFactory)
    kind = TheoryOfChangeNode.Kind.ACTIVITY
    title = factory.Sequence(lambda n: f"Step {n}")


class LinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TheoryOfChangeLink

    mission = factory.SubFactory(MissionFactory)
    source = factory.SubFactory(NodeFactory, mission=factory.SelfAttribute("..mission"))
    target = factory.SubFactory(
        NodeFactory, mission=factory.SelfAttribute("..mission"), kind="output"
    )
    rationale = "Because it does."
