import datetime as dt

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from mobilise.assurance.models import (
    Action,
    Assessment,
    Council,
    CouncilMember,
    Meeting,
    Pack,
    Paper,
)
from mobilise.missions.tests.factories import MissionFactory


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    mission = factory.SubFactory(MissionFactory)
    name = factory.Sequence(lambda n: f"Mission council {n}")


class CouncilMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMember

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Member {n}")
    role = CouncilMember.Role.MEMBER
    sector = CouncilMember.Sector.CHARITY
    term_start = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    council = factory.SubFactory(CouncilFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    location = "Town hall"


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper

    meeting = factory.SubFactory(MeetingFactory)
    title = "Progress report"
    file = factory.LazyFunction(lambda: ContentFile(b"Progress so far.", name="report.txt"))


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    council = factory.SubFactory(CouncilFactory)
    text = factory.Sequence(lambda n: f"Action {n}")
    owner_name = "Mission team"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    mission = factory.SubFactory(MissionFactory)
    rating = "amber"
    rationale = "Feasible, with significant issues."
    assessed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))


def ready_pack(mission) -> Pack:  # type: ignore[no-untyped-def]
    """A pack as the worker leaves it, without printing one (the sweeps only need a file)."""
    today = timezone.localdate()
    pack = Pack.objects.create(
        mission=mission,
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        status=Pack.Status.READY,
        generated_at=timezone.now(),
        facts={"mission": {"title": mission.title}},
        html="<p class='govuk-body'>Snapshot</p>",
    )
    pack.pdf.save("pack.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return pack
