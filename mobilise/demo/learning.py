"""Demo test and learn: Waltham Forest's mini-Holland programme, evaluated on real figures.

The London Borough of Waltham Forest rebuilt streets for walking and cycling from 2015 with
Transport for London's "mini-Holland" funding (segregated cycle routes, filtered low-traffic
neighbourhoods, village-centre schemes). Here it is registered as a pilot measured on the shipped
local-authority transport CO2 emissions (``co2-transport``, DESNZ via mySociety, 2005–2020; the
data set has no separate minor-roads series), compared with the other London boroughs by synthetic
control. The two other mini-Holland boroughs (Enfield, Kingston upon Thames) and the City of London
are left out of the comparison, each with its reason. A learning is recorded and Camden plans to
try it ("try this in Camden": a replication of the pilot).

The registration, the learning and Camden's replication are demonstration data; the emissions
figures and the evaluation computed from them are real. The pages say so.

``demo_learning()`` runs after the indicators and missions exist and is safe to run again.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from mobilise.accounts.models import Organisation, User
from mobilise.indicators.models import Indicator
from mobilise.indicators.services import link_places
from mobilise.learning import services
from mobilise.learning.models import Design, Learning, Pilot, PilotDeviation, PoolChange
from mobilise.missions.models import Mission, Outcome
from mobilise.places.models import Place

INDICATOR = "co2-transport"
WALTHAM_FOREST = "E09000031"
LONDON_BOROUGHS = "E09"
LEFT_OUT = {
    "E09000010": "Enfield also received mini-Holland funding from 2015, so its trend carries the "
    "same kind of scheme.",
    "E09000021": "Kingston upon Thames also received mini-Holland funding from 2015, so its "
    "trend carries the same kind of scheme.",
    "E09000001": "The City of London has very few residents and its traffic is mostly commuting "
    "and deliveries: not comparable with a residential borough.",
}
PILOT_TITLE = "Mini-Holland: Enjoy Waltham Forest"
REPLICATION_TITLE = "Mini-Holland streets in Camden"
DEMO_NOTE = (
    "Demonstration data: this registration was made for the Mobilise demo, not by Waltham Forest "
    "Council. The transport emissions figures and the evaluation computed from them are real "
    "(DESNZ local authority emissions, via mySociety)."
)


def _lead() -> User | None:
    return User.objects.filter(email="lead@camden.example").first()


def _waltham_forest_mission(place: Place, indicator: Indicator) -> Mission:
    owner, _ = Organisation.objects.update_or_create(
        slug="waltham-forest-council",
        defaults={
            "name": "London Borough of Waltham Forest",
            "sector": "public_body",
            "home_place": place,
        },
    )
    mission, _ = Mission.objects.update_or_create(
        slug="waltham-forest-healthy-streets",
        defaults={
            "title": "Healthy streets in Waltham Forest",
            "statement": "Make walking and cycling the easy choice for short trips in Waltham "
            "Forest, for cleaner air and lower emissions.",
            "horizon_year": 2030,
            "owner": owner,
            "scope": Mission.Scope.LOCAL,
            "status": Mission.Status.ACTIVE,
        },
    )
    mission.places.set([place])
    outcome, _ = Outcome.objects.update_or_create(
        mission=mission,
        slug="transport-emissions",
        defaults={"title": "Lower transport emissions", "order": 0},
    )
    link_places(outcome=outcome, indicator=indicator, places=[place])
    return mission


def _pilot(mission: Mission, place: Place, indicator: Indicator) -> Pilot:
    pilot, _ = Pilot.objects.update_or_create(
        mission=mission,
        title=PILOT_TITLE,
        defaults={
            "outcome": mission.outcomes.first(),
            "hypothesis": "If we make streets safe and pleasant for walking and cycling, then "
            "more short trips are made on foot and by bike instead of by car, and transport "
            "CO2 emissions fall, because most car trips in outer London are short.",
            "intervention": "Segregated cycle routes on main roads, filtered low-traffic "
            "neighbourhoods and village-centre schemes across the borough, funded by Transport "
            "for London's mini-Holland programme from 2015.\n\n" + DEMO_NOTE,
            "start_date": dt.date(2015, 1, 1),
            "planned_end_date": dt.date(2020, 12, 31),
            "design": Design.SYNTHETIC_CONTROL,
            "cost": Decimal("27000000"),
            "status": Pilot.Status.EVALUATED,
            "published": True,
        },
    )
    pilot.treated_places.set([place])
    pilot.indicators.set([indicator])
    boroughs = Place.objects.defer("boundary", "bbox").filter(
        code__startswith=LONDON_BOROUGHS, kind=place.kind
    )
    pool = [b for b in boroughs if b.code != WALTHAM_FOREST and b.code not in LEFT_OUT]
    pilot.comparison_places.set(pool)
    PoolChange.objects.filter(pilot=pilot).delete()
    PilotDeviation.objects.filter(pilot=pilot).delete()
    PoolChange.objects.bulk_create(
        [
            PoolChange(
                pilot=pilot,
                place=b,
                action=PoolChange.Action.ADDED,
                reason="The other London boroughs: same city, same data, no mini-Holland scheme.",
            )
            for b in pool
        ]
        + [
            PoolChange(
                pilot=pilot, place=b, action=PoolChange.Action.REMOVED, reason=LEFT_OUT[b.code]
            )
            for b in boroughs
            if b.code in LEFT_OUT
        ]
    )
    return pilot


def _learning_text(pilot: Pilot) -> tuple[str, int]:
    """The learning's summary, written from the real result, and its evidence level."""
    results = pilot.evaluation.results if hasattr(pilot, "evaluation") else {}
    estimate, p_value = results.get("estimate"), results.get("p_value")
    if estimate is None:
        return ("The evaluation could not be computed from the data available.", 2)
    direction = "lower" if estimate < 0 else "higher"
    text = (
        f"From 2015 to 2020 Waltham Forest's transport CO2 emissions were on average "
        f"{abs(estimate):,.1f} kt a year {direction} than those of a synthetic Waltham Forest "
        f"built from other London boroughs whose emissions followed the same path before 2015."
    )
    if p_value is not None:
        text += (
            f" In the placebo test (each comparison borough treated as if it had had the scheme) "
            f"the chance of a gap this large without the scheme is about {p_value:.2f}."
        )
    if p_value is not None and p_value > 0.1:
        text += (
            " That is weak evidence: several comparison boroughs show gaps as large, so on these "
            "figures alone the fall cannot be put down to the scheme."
        )
    text += (
        " Road-transport emissions are estimated from traffic counts and modelled, so they "
        "move slowly and miss some local change; the evaluation's own judgement is on the "
        "pilot's results page. " + DEMO_NOTE
    )
    strong = p_value is not None and p_value <= 0.1
    return text, 4 if strong else 3


def demo_learning() -> Pilot | None:
    indicator = Indicator.objects.filter(code=INDICATOR).first()
    place = Place.objects.defer("boundary", "bbox").filter(code=WALTHAM_FOREST).first()
    if indicator is None or place is None:
        return None
    with transaction.atomic():
        mission = _waltham_forest_mission(place, indicator)
        pilot = _pilot(mission, place, indicator)
    services.evaluation_compute(pilot=pilot)
    pilot.refresh_from_db()
    summary, level = _learning_text(pilot)
    with transaction.atomic():
        learning, _ = Learning.objects.update_or_create(
            mission=mission,
            title="Streets rebuilt for walking and cycling: transport emissions against a "
            "synthetic Waltham Forest",
            defaults={
                "summary": summary,
                "for_whom": "Outer-London boroughs where many car trips are short.",
                "conditions": "A borough-wide programme over several years, with funding for "
                "segregated routes and filtered neighbourhoods together, and time to consult "
                "residents.",
                "evidence_level": level,
                "published": True,
            },
        )
        learning.pilots.set([pilot])
        camden_mission = Mission.objects.filter(slug="camden-clean-air").first()
        camden = Place.objects.defer("boundary", "bbox").filter(code="E09000007").first()
        if camden_mission is not None and camden is not None:
            copy, _ = Pilot.objects.update_or_create(
                mission=camden_mission,
                title=REPLICATION_TITLE,
                defaults={
                    "replicates": pilot,
                    "hypothesis": pilot.hypothesis,
                    "intervention": "Try Waltham Forest's mini-Holland approach in Camden: "
                    "filtered low-traffic neighbourhoods around Kentish Town and Somers Town "
                    "and a segregated route along the main roads.\n\n"
                    "Demonstration data: Camden's plan here is illustrative.",
                    "start_date": dt.date(2027, 4, 1),
                    "planned_end_date": dt.date(2030, 3, 31),
                    "design": Design.SYNTHETIC_CONTROL,
                    "status": Pilot.Status.PLANNED,
                    "published": True,
                    "created_by": _lead(),
                },
            )
            copy.treated_places.set([camden])
            copy.indicators.set([indicator])
    return pilot
