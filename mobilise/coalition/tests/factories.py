import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from mobilise.accounts.tests.factories import OrganisationFactory, UserFactory
from mobilise.coalition.models import (
    Ask,
    CoalitionMember,
    Match,
    Offer,
    Opportunity,
    Pledge,
    Session,
    SignUp,
)
from mobilise.missions.tests.factories import MissionFactory
from mobilise.places.tests.factories import PlaceFactory


class CoalitionMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoalitionMember

    mission = factory.SubFactory(MissionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    statement = "Volunteers and a meeting room."
    status = CoalitionMember.Status.ACCEPTED
    decided_at = factory.LazyFunction(timezone.now)


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    mission = factory.SubFactory(MissionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Pledge {n}")
    quantity = Decimal(200)
    unit = "volunteer hours"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=180))


class AskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ask

    mission = factory.SubFactory(MissionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    category = "premises"
    title = factory.Sequence(lambda n: f"Ask {n}")
    quantity = Decimal(10)
    unit = "sessions"
    place = factory.SubFactory(PlaceFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=90))


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    mission = factory.SubFactory(MissionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    category = "premises"
    title = factory.Sequence(lambda n: f"Offer {n}")
    quantity = Decimal(20)
    unit = "sessions"
    place = factory.SubFactory(PlaceFactory)
    available_from = factory.LazyFunction(timezone.localdate)


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    mission = factory.SubFactory(MissionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = factory.Sequence(lambda n: f"Volunteer role {n}")
    description = "Help keep the streets clean."
    accessibility = "Step-free access."
    place = factory.SubFactory(PlaceFactory)
    location = "Talacre Community Centre, NW5"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    opportunity = factory.SubFactory(OpportunityFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    capacity = 5


class SignUpFactory(factory.django.DjangoModelFactory):
    """A sign-up row written directly: only for setting the scene; real sign-ups go through
    services.signup_create, which keeps the session's count."""

    class Meta:
        model = SignUp

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(UserFactory)
    status = SignUp.Status.CONFIRMED


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    ask = factory.SubFactory(AskFactory)
    offer = factory.SubFactory(OfferFactory, mission=factory.SelfAttribute("..ask.mission"))
    score = 0.8
