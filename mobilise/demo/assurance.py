"""Demo assurance: Camden's clean air mission council with members from every sector, three
meetings (two held, one next week) with agendas, minutes, decisions (each under an agenda item,
with its proposer and outcome) and actions (two overdue, one
of them owned by a member without an account, who is reminded by e-mail);
a delivery-confidence history for every mission; two more places (Manchester and Cardiff) whose
local missions contribute to the clean energy mission, so its national roll-up has something to
show; and the stocktake pack for the last meeting, produced as it would be by the background
worker.

Safe to run again: what hangs off a date is rebuilt whole (the dates are relative to today, so an
overdue action stays overdue whenever the demo is built).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from mobilise.accounts.models import Organisation, User
from mobilise.assurance import services as assurance
from mobilise.assurance.models import (
    Action,
    AgendaItem,
    Assessment,
    Council,
    CouncilMember,
    Decision,
    Meeting,
    Pack,
)
from mobilise.coalition.models import Pledge
from mobilise.indicators.models import Indicator, Milestone, Observation, Series, Target
from mobilise.indicators.services import link_places, targets_to_links
from mobilise.missions.models import Mission, Outcome
from mobilise.places.models import Place

from . import content

COUNCIL_MISSION = "camden-clean-air"

# (place code, organisation slug, organisation name, mission slug, title, statement, national
#  mission, outcome title, indicator measuring it, target as a share of the 2019 figure)
OTHER_PLACES = [
    (
        "E08000003",
        "manchester-city-council",
        "Manchester City Council",
        "manchester-zero-carbon",
        "Zero carbon Manchester",
        "Make Manchester a zero carbon city by 2038, with clean air and warm homes for all.",
        "clean-energy",
        "Cut Manchester's carbon emissions",
        "co2-total",
        0.3,
    ),
    (
        "W06000015",
        "cardiff-council",
        "Cardiff Council",
        "cardiff-one-planet",
        "One Planet Cardiff",
        "Make Cardiff carbon neutral by 2030 through clean transport, homes and energy.",
        "clean-energy",
        "Cut Cardiff's transport emissions",
        "co2-transport",
        0.5,
    ),
]

# (mission slug) → ratings oldest first, a month or so apart; the last is the current one.
HISTORIES = {
    "camden-clean-air": ["amber", "amber_red", "amber"],
    "camden-healthy-lives": ["amber_green", "amber_green"],
    "camden-good-work": ["amber", "amber_green", "green"],
    "manchester-zero-carbon": ["amber", "amber_red"],
    "cardiff-one-planet": ["amber_green", "green"],
    "waltham-forest-healthy-streets": ["amber_green"],
    "growth": ["amber"],
    "clean-energy": ["amber", "amber"],
    "safer-streets": ["amber_red"],
    "health": ["amber"],
    "opportunity": ["amber_green"],
}
RATIONALES = {
    "green": "Trajectories are met, partners are delivering their pledges and the council has no open concerns.",
    "amber_green": "Most indicators are on track and the coalition is delivering; a few pledges are late but recoverable.",
    "amber": "Delivery is feasible but there are significant issues: some indicators are behind their trajectories and key actions are late.",
    "amber_red": "Delivery is in doubt: indicators are off track and the plan to recover them is not yet agreed.",
    "red": "Successful delivery appears unachievable without a change of scope or funding.",
}


@dataclass
class DemoAssuranceSummary:
    members: int = 0
    meetings: int = 0
    actions: int = 0
    assessments: int = 0
    packs: int = 0


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _other_places() -> list[Mission]:
    """Manchester and Cardiff, each with a local mission, an outcome, an indicator and a target."""
    made = []
    national = {m.slug: m for m in Mission.objects.filter(scope=Mission.Scope.NATIONAL)}
    for (
        code,
        org_slug,
        org_name,
        slug,
        title,
        statement,
        parent,
        outcome_title,
        code_ind,
        ratio,
    ) in OTHER_PLACES:
        place = Place.objects.defer("boundary").filter(code=code).first()
        if place is None or parent not in national:
            continue
        owner, _ = Organisation.objects.update_or_create(
            slug=org_slug,
            defaults={"name": org_name, "sector": "public_body", "home_place": place},
        )
        mission, _ = Mission.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "statement": statement,
                "horizon_year": 2038 if code.startswith("E") else 2030,
                "owner": owner,
                "scope": Mission.Scope.LOCAL,
                "status": Mission.Status.ACTIVE,
                "contributes_to": national[parent],
            },
        )
        mission.places.set([place])
        outcome, _ = Outcome.objects.update_or_create(
            mission=mission,
            slug="emissions",
            defaults={"title": outcome_title, "target_date": dt.date(2035, 12, 31), "order": 0},
        )
        indicator = Indicator.objects.filter(code=code_ind).first()
        if indicator is not None:
            link_places(outcome=outcome, indicator=indicator, places=[place])
            _target(indicator, place, ratio)
        made.append(mission)
    return made


def _target(indicator: Indicator, place: Place, ratio: float) -> None:
    series = Series.objects.filter(indicator=indicator, key="").first()
    if series is None:
        return
    baseline = (
        Observation.objects.filter(series=series, place=place, period="2019")
        .values_list("value", flat=True)
        .first()
    )
    if baseline is None:
        return
    target_value = round(baseline * ratio, 2)
    target, _ = Target.objects.update_or_create(
        series=series,
        place=place,
        link=None,
        defaults={
            "indicator": indicator,
            "baseline_period": "2019",
            "baseline_value": baseline,
            "target_year": 2035,
            "target_value": target_value,
            "note": "Illustrative target for the demo roll-up.",
        },
    )
    share = (2030 - 2019) / (2035 - 2019)
    Milestone.objects.update_or_create(
        target=target,
        year=2030,
        defaults={"value": round(baseline + (target_value - baseline) * share, 2)},
    )
    targets_to_links(indicator=indicator, place=place)


def _council(mission: Mission, today: dt.date) -> tuple[Council, int, int, int]:
    council, _ = Council.objects.update_or_create(
        mission=mission,
        defaults={
            "name": "Camden Clean Air Mission Council",
            "remit": "The council holds the clean air mission to account on behalf of the "
            "borough: it meets every two months, reviews progress against the trajectories, "
            "challenges the mission team and its partners, and agrees actions.\n\n"
            "Its members come from the council, business, charities, unions, anchor "
            "institutions and residents.",
        },
    )
    lead = _user("lead@camden.example")
    member = _user("council@camden.example")
    partner = _user("partner@traders.example")
    term = today - dt.timedelta(days=400)
    seats = [
        ("Dr Amara Okonkwo", None, "Camden Health Partners", "chair", "anchor", True),
        (
            "Margaret Hughes",
            member,
            "Camden Public Service Workers' Union Branch",
            "member",
            "union",
            True,
        ),
        ("Sam Green", partner, "Kentish Town Traders' Association", "member", "business", False),
        ("Leila Haddad", None, "Camden Community Energy", "member", "charity", False),
        ("Daniel Price", None, "Resident of Somers Town", "member", "resident", False),
        ("Priya Shah", lead, "London Borough of Camden", "secretariat", "public", False),
    ]
    council.members.all().delete()
    members: dict[str, CouncilMember] = {}
    for name, user, affiliation, role, sector, assessor in seats:
        members[name] = CouncilMember.objects.create(
            council=council,
            user=user,
            name=name,
            email="" if user else f"{name.split()[-1].lower()}@council.example",
            affiliation=affiliation,
            role=role,
            sector=sector,
            is_assessor=assessor,
            term_start=term,
            term_end=term + dt.timedelta(days=3 * 365),
        )
    council.meetings.all().delete()
    council.actions.all().delete()
    tz = timezone.get_current_timezone()

    def at(days: int) -> dt.datetime:
        return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(18, 0), tzinfo=tz)

    outcomes = {o.slug: o for o in mission.outcomes.all()}
    air = next((o for s, o in outcomes.items() if "air" in s), None)
    shift = next((o for s, o in outcomes.items() if "journeys" in s), None)
    pledge = Pledge.objects.filter(mission=mission).order_by("id").first()
    meetings = [
        (
            -75,
            "Committee Room 1, 5 Pancras Square",
            [
                "Welcome and declarations",
                "Trajectories: transport emissions and PM2.5",
                "School streets programme",
                "Coalition pledges",
                "Any other business",
            ],
            "Present: Dr Amara Okonkwo (chair), Margaret Hughes, Sam Green, Leila Haddad, "
            "Daniel Price; Priya Shah (secretariat).\n\n"
            "The council reviewed the transport emissions trajectory. Emissions fell in 2022 but "
            "not as fast as the plan; members asked for the 2023 figures as soon as published.\n\n"
            "School streets: 12 of 20 planned are in place. Residents asked for more say in the "
            "next phase.",
            [
                (
                    "Publish a quarterly school streets progress note",
                    "School streets programme",
                    "Daniel Price",
                    "agreed",
                )
            ],
            [
                (
                    "Bring the 2023 emissions figures and a recovery plan",
                    "Priya Shah",
                    lead,
                    -20,
                    "open",
                    shift,
                ),
                (
                    "Meet the traders about deliveries on Kentish Town Road",
                    "Sam Green",
                    partner,
                    -40,
                    "done",
                    None,
                ),
            ],
        ),
        (
            -14,
            "Kentish Town Community Centre",
            [
                "Minutes and actions",
                "Delivery confidence",
                "Stocktake pack",
                "Pledges behind schedule",
            ],
            "Present: all members.\n\n"
            "The council agreed an Amber delivery confidence rating: PM2.5 near schools is on "
            "track but transport emissions are behind. The recovery plan is overdue.\n\n"
            "Camden Community Energy reported progress on its solar pledge.",
            [
                (
                    "Rate delivery confidence Amber and review it at the next meeting",
                    "Delivery confidence",
                    "Dr Amara Okonkwo",
                    "agreed",
                ),
                (
                    "Ask the pledge partners behind schedule for a recovery date",
                    "Pledges behind schedule",
                    "Leila Haddad",
                    "agreed",
                ),
                (
                    "Publish the residents' panel's notes alongside the minutes",
                    "Minutes and actions",
                    "Daniel Price",
                    "deferred",
                ),
            ],
            [
                (
                    "Co-design the next eight school streets with residents",
                    "Daniel Price",
                    None,
                    45,
                    "in_progress",
                    air,
                ),
                (
                    "Chase the solar pledge's next installation date",
                    "Leila Haddad",
                    None,
                    -4,
                    "open",
                    None,
                ),
            ],
        ),
        (
            5,
            "Committee Room 1, 5 Pancras Square",
            [
                "Minutes and actions",
                "Recovery plan for transport emissions",
                "Stocktake pack",
                "Residents' panel feedback",
            ],
            "",
            [],
            [],
        ),
    ]
    actions = 0
    for days, location, agenda, minutes, decisions, action_specs in meetings:
        meeting = Meeting.objects.create(
            council=council,
            starts_at=at(days),
            location=location,
            minutes=minutes,
            minutes_updated_by=lead if minutes else None,
            minutes_updated_at=at(days + 2) if minutes else None,
        )
        items = {
            title: AgendaItem.objects.create(meeting=meeting, title=title, order=order)
            for order, title in enumerate(agenda)
        }
        for text, item, proposer, outcome in decisions:
            Decision.objects.create(
                meeting=meeting,
                agenda_item=items[item],
                proposed_by=members[proposer],
                proposer_name=proposer,
                outcome=outcome,
                text=text,
                decided_on=today + dt.timedelta(days=days),
            )
        for n, (text, owner_name, owner, due, status, outcome) in enumerate(action_specs):
            Action.objects.create(
                council=council,
                meeting=meeting,
                text=text,
                owner=owner,
                # Every owner sits on the council, so reminders reach them, account or not.
                owner_member=members.get(owner_name),
                owner_name=owner_name,
                due_date=today + dt.timedelta(days=due),
                status=status,
                outcome=outcome,
                # The solar pledge action concerns a pledge, when the coalition has one.
                pledge=pledge if (outcome is None and n == 1 and days == -14) else None,
            )
            actions += 1
    return council, len(seats), len(meetings), actions


def _histories(missions: dict[str, Mission], today: dt.date) -> int:
    board = _user("board@missions.example")
    lead = _user("lead@camden.example")
    count = 0
    Assessment.objects.filter(mission__in=missions.values()).delete()
    for slug, ratings in HISTORIES.items():
        mission = missions.get(slug)
        if mission is None:
            continue
        assessor = board if mission.scope == Mission.Scope.NATIONAL else lead
        for n, rating in enumerate(ratings):
            Assessment.objects.create(
                mission=mission,
                rating=rating,
                rationale=RATIONALES[rating],
                assessor=assessor,
                assessed_on=today - dt.timedelta(days=40 * (len(ratings) - 1 - n) + 14),
            )
            count += 1
        # The current rating of each outcome: the mission's, except one outcome a notch worse.
        for m, outcome in enumerate(mission.outcomes.all()):
            rating = ratings[-1]
            if m == 0 and slug == COUNCIL_MISSION:
                rating = "amber_red"
            Assessment.objects.create(
                mission=mission,
                outcome=outcome,
                rating=rating,
                rationale=RATIONALES[rating],
                assessor=assessor,
                assessed_on=today - dt.timedelta(days=14),
            )
            count += 1
    return count


def _pack(mission: Mission, today: dt.date) -> int:
    # A snapshot is never redrawn; the demo's own pack is replaced so it shows today's demo.
    # It is the pack for the meeting two weeks ago, so the next one (journey 7, for the meeting
    # next week) covers the weeks since, not a single day.
    Pack.objects.filter(mission=mission).delete()
    pack = Pack.objects.create(
        mission=mission,
        period_start=today - dt.timedelta(days=106),
        period_end=today - dt.timedelta(days=16),
        requested_by=_user("lead@camden.example"),
    )
    assurance.pack_generate(pack_id=pack.pk)
    return 1


def demo_assurance() -> DemoAssuranceSummary:
    """Call last in ``demo_build``: councils and stocktakes draw on everything before them."""
    today = timezone.localdate()
    summary = DemoAssuranceSummary()
    _other_places()
    slugs = [s["slug"] for s in content.NATIONAL_MISSIONS + content.BOROUGH_MISSIONS]
    slugs += [spec[3] for spec in OTHER_PLACES]
    slugs += [slug for slug in HISTORIES if slug not in slugs]  # the test-and-learn demo's too
    missions = {m.slug: m for m in Mission.objects.filter(slug__in=slugs)}
    mission = missions.get(COUNCIL_MISSION)
    if mission is None:
        return summary
    _council_, summary.members, summary.meetings, summary.actions = _council(mission, today)
    summary.assessments = _histories(missions, today)
    summary.packs = _pack(mission, today)
    return summary
