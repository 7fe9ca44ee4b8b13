"""Build (or rebuild) the demo set-up. Safe to run again: everything is keyed on slugs and e-mails."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import transaction

from mobilise.accounts.models import Membership, Organisation, User, UserRole
from mobilise.missions.models import Mission, Outcome, TheoryOfChangeLink, TheoryOfChangeNode
from mobilise.places.models import Place

from . import content
from .assurance import demo_assurance
from .budgeting import demo_budgeting
from .coalition import demo_coalition
from .deliberation import demo_deliberation
from .indicators import demo_indicators
from .learning import demo_learning


@dataclass
class DemoSummary:
    places: int = 0
    organisations: int = 0
    users: int = 0
    missions: list[str] = field(default_factory=list)


def _organisations() -> dict[str, Organisation]:
    places = {
        p.code: p
        for p in Place.objects.filter(code__in={o["place"] for o in content.ORGANISATIONS})
    }
    result = {}
    for spec in content.ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "sector": spec["sector"],
                "home_place": places.get(spec["place"]),
                "description": spec["description"],
                "registered_number": spec.get("registered_number", ""),
                "website": spec.get("website", ""),
            },
        )
        result[org.slug] = org
    return result


def _users(organisations: dict[str, Organisation], borough: Place) -> int:
    for email, name, roles, memberships, superuser in content.USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=content.DEMO_PASSWORD, name=name)
        user.name = name
        user.home_place = borough
        user.is_staff = user.is_superuser = superuser
        user.save()
        # allauth only lets verified addresses sign in: mark the demo ones verified.
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        for role in roles:
            UserRole.objects.get_or_create(user=user, role=role)
        for slug, role in memberships:
            Membership.objects.update_or_create(
                user=user, organisation=organisations[slug], defaults={"role": role}
            )
    return len(content.USERS)


def _mission(
    spec: dict,
    *,
    owner: Organisation,
    scope: str,
    places: list[Place],
    contributes_to: Mission | None,
) -> Mission:
    mission, _ = Mission.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "title": spec["title"],
            "statement": spec["statement"],
            "why_it_matters": spec["why"],
            "horizon_year": spec["horizon"],
            "owner": owner,
            "scope": scope,
            "status": Mission.Status.ACTIVE,
            "contributes_to": contributes_to,
        },
    )
    mission.places.set(places)
    outcomes = {}
    for order, (title, description, target) in enumerate(spec["outcomes"]):
        from django.utils.text import slugify

        outcome, _ = Outcome.objects.update_or_create(
            mission=mission,
            slug=slugify(title)[:80],
            defaults={
                "title": title,
                "description": description,
                "target_date": dt.date.fromisoformat(target),
                "order": order,
            },
        )
        outcomes[title] = outcome
    # The theory of change is rebuilt whole: it is small, and rebuilding keeps reruns exact.
    mission.toc_links.all().delete()
    mission.toc_nodes.all().delete()
    nodes = {}
    for order, (key, kind, title) in enumerate(spec["toc"]["nodes"]):
        nodes[key] = TheoryOfChangeNode.objects.create(
            mission=mission, kind=kind, title=title, order=order, outcome=outcomes.get(title)
        )
    for source, target, rationale in spec["toc"]["links"]:
        TheoryOfChangeLink.objects.create(
            mission=mission, source=nodes[source], target=nodes[target], rationale=rationale
        )
    return mission


@transaction.atomic
def demo_build(*, load_places: bool = True) -> DemoSummary:
    if load_places:
        call_command("places_load", verbosity=0)
    summary = DemoSummary(places=Place.objects.count())
    borough = Place.objects.get(code=content.BOROUGH_CODE)
    uk = Place.objects.get(code="K02000001")
    organisations = _organisations()
    summary.organisations = len(organisations)
    summary.users = _users(organisations, borough)
    national = {}
    for spec in content.NATIONAL_MISSIONS:
        national[spec["slug"]] = _mission(
            spec,
            owner=organisations["national-mission-board"],
            scope=Mission.Scope.NATIONAL,
            places=[uk],
            contributes_to=None,
        )
        summary.missions.append(spec["title"])
    for spec in content.BOROUGH_MISSIONS:
        _mission(
            spec,
            owner=organisations["camden-council"],
            scope=Mission.Scope.LOCAL,
            places=[borough],
            contributes_to=national[spec["contributes_to"]],
        )
        summary.missions.append(spec["title"])
    demo_indicators()
    demo_coalition()
    demo_deliberation()
    demo_budgeting()
    demo_learning()
    # Last: councils and stocktakes draw on everything above.
    demo_assurance()
    # The later steps add organisations, people and missions (coalition partners, other places).
    summary.organisations = Organisation.objects.count()
    summary.users = User.objects.count()
    summary.missions = list(Mission.objects.values_list("title", flat=True))
    return summary
