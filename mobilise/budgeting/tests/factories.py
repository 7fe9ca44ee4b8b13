import factory

from mobilise.budgeting.models import BudgetRound, Project


class BudgetRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetRound

    title = factory.Sequence(lambda n: f"Neighbourhood budget {n}")
    description = "Spend £100,000 on the neighbourhood."
    budget = 100_000
    postcode_districts = "NW1, NW3, NW5"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    round = factory.SubFactory(BudgetRoundFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    description = "Something good for the area."
    status = Project.Status.FEASIBLE
    cost = 10_000
    position = factory.Sequence(lambda n: n)
