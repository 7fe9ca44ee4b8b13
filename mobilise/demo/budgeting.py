"""Demo participatory budgeting: one budget round per Camden mission, each in a different phase.

* *Healthy lives* — "Healthy neighbourhoods fund", taking ideas (residents' ideas waiting for review).
* *Clean air* — "Greener streets", voting open: eight costed projects, one idea left off with its
  reason, and 60 illustrative ballots. Jo Resident (resident@example.org) has not voted yet: she can
  vote with postcode district NW5, go over budget to see the error, and change her ballot.
* *Good work* — a closed round loaded from a real Pabulib file, Świecie (Poland) 2023, with all
  2,553 real ballots and the real project names, counted with the Method of Equal Shares (add1),
  in its delivery phase. Costs stay in złoty (PLN), as in the file; nothing is converted. The
  delivery progress on it is illustrative.

``demo_budgeting()`` runs after the missions exist and is safe to run again: the two illustrative
rounds are rebuilt; the Świecie round is loaded once and kept.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from mobilise.accounts.models import User
from mobilise.budgeting import services
from mobilise.budgeting.importing import round_from_pabulib
from mobilise.budgeting.models import (
    Ballot,
    BallotChoice,
    BudgetRound,
    DeliveryItem,
    DeliveryUpdate,
    Phase,
    Project,
    Result,
)
from mobilise.missions.models import Mission
from mobilise.places.models import Place

from . import content

CAMDEN_DISTRICTS = "NW1, NW2, NW3, NW5, NW6, NW8, N6, N7, N19, WC1, WC2, EC1"

PABULIB_FILE = Path(__file__).resolve().parents[1] / "data" / "pabulib" / "Poland_Swiecie_2023.pb"
PABULIB_TITLE = "Świecie 2023: a real Method of Equal Shares vote"
PABULIB_NOTE = (
    "These projects and all 2,553 ballots are real: the 2023 participatory budget of Świecie, "
    "Poland, counted with the Method of Equal Shares (add1), loaded unchanged from Pabulib "
    "(http://pabulib.org, file Poland_Swiecie_2023.pb). Project names are kept in Polish and "
    "costs in złoty (PLN), as in the file; nothing is converted. The delivery progress shown is "
    "illustrative.\n\n"
    "Data: Faliszewski, Flis, Peters, Pierczyński, Skowron, Stolicki, Szufa and Talmon, "
    "Participatory Budgeting: Data, Tools, and Analysis, IJCAI 2023."
)

GREENER_STREETS = [
    (
        "Street trees on Malden Road",
        45_000,
        "Twenty street trees with tree pits and three years' watering.",
    ),
    ("Cycle hangars on ten estates", 30_000, "Secure, covered bike storage for 60 bikes."),
    (
        "School Street at Carlton Primary",
        25_000,
        "Timed closures outside the school gate at drop-off and pick-up.",
    ),
    ("Pocket park on Weedington Road", 40_000, "Turn a disused corner into planting and seating."),
    (
        "Drinking water fountains",
        12_000,
        "Four fountains in parks, so people carry fewer plastic bottles.",
    ),
    (
        "Air quality sensors near schools",
        18_000,
        "Sensors at six schools, with the readings published.",
    ),
    ("Electric cargo bike library", 22_000, "Borrow a cargo bike for a day instead of a car."),
    (
        "Green screens for playgrounds",
        28_000,
        "Ivy screens between busy roads and three playgrounds.",
    ),
]
REJECTED = (
    "A car-free Kentish Town Road",
    "Closing a main road needs a statutory consultation and costs far more than this budget. "
    "We have passed the idea to the transport team.",
)
HEALTHY_IDEAS = [
    ("Free exercise classes in Talacre Gardens", "Weekly outdoor classes for older residents."),
    ("Community fridge on Queen's Crescent", "Share surplus food and cut waste."),
    ("Walking group maps", "Printed and online maps of one-mile walks from every GP surgery."),
]


def _ballot_pattern(n: int) -> list[int]:
    """Illustrative ballots: three groups of voters with different priorities, all within budget."""
    groups = [[0, 1, 4, 5], [2, 3, 4], [1, 6, 7, 4], [0, 2, 5]]
    return groups[n % len(groups)]


@transaction.atomic
def _rebuild(mission: Mission, place: Place, title: str, **fields: object) -> BudgetRound:
    BudgetRound.objects.filter(mission=mission, title=title).delete()
    return BudgetRound.objects.create(
        mission=mission, place=place, title=title, postcode_districts=CAMDEN_DISTRICTS, **fields
    )


def _ideas_round(mission: Mission, place: Place, resident: User | None) -> None:
    today = timezone.localdate()
    round_ = _rebuild(
        mission,
        place,
        "Healthy neighbourhoods fund",
        description="£60,000 for projects that help people in Camden stay active and well. "
        "Propose an idea: officers will check and cost every one before the vote.",
        budget=Decimal(60_000),
        phase=Phase.IDEAS,
        ideas_close_on=today + dt.timedelta(days=21),
        voting_opens_on=today + dt.timedelta(days=42),
        voting_closes_on=today + dt.timedelta(days=56),
        ballot_type="k_approval",
        max_choices=3,
    )
    for n, (title, description) in enumerate(HEALTHY_IDEAS, start=1):
        Project.objects.create(
            round=round_, title=title, description=description, proposer=resident, position=n
        )


def _voting_round(mission: Mission, place: Place) -> None:
    today = timezone.localdate()
    round_ = _rebuild(
        mission,
        place,
        "Greener streets",
        description="£150,000 to clean Camden's air and make its streets greener. Choose the "
        "projects you want, up to the budget. Votes are counted with the Method of Equal Shares.",
        budget=Decimal(150_000),
        unspent_note="Money not spent returns to the council's highways budget.",
        phase=Phase.VOTING,
        ideas_close_on=today - dt.timedelta(days=35),
        voting_opens_on=today - dt.timedelta(days=7),
        voting_closes_on=today + dt.timedelta(days=14),
    )
    projects = [
        Project.objects.create(
            round=round_,
            title=title,
            description=description,
            cost=Decimal(cost),
            status=Project.Status.FEASIBLE,
            position=n,
        )
        for n, (title, cost, description) in enumerate(GREENER_STREETS, start=1)
    ]
    Project.objects.create(
        round=round_,
        title=REJECTED[0],
        reason=REJECTED[1],
        status=Project.Status.REJECTED,
        position=len(projects) + 1,
    )
    ballots = Ballot.objects.bulk_create(
        [Ballot(round=round_, voter_key=f"demo:{n}", postcode_district="NW5") for n in range(60)]
    )
    BallotChoice.objects.bulk_create(
        [
            BallotChoice(ballot=b, project=projects[i])
            for n, b in enumerate(ballots)
            for i in _ballot_pattern(n)
        ]
    )


def _closed_round(mission: Mission, place: Place) -> None:
    round_ = BudgetRound.objects.filter(mission=mission, title=PABULIB_TITLE).first()
    if round_ is None or not Result.objects.filter(round=round_).exists():
        if round_ is not None:
            round_.delete()
        round_ = round_from_pabulib(
            PABULIB_FILE,
            mission=mission,
            place=place,
            title=PABULIB_TITLE,
            description="How a real town's residents shared out 1,070,000 złoty, and what the "
            "Method of Equal Shares funded. Shown here so that Camden can see a full round, "
            "from ballots to delivery, before running its own.",
            source_note=PABULIB_NOTE,
            phase=Phase.DELIVERY,
        )
        services.result_compute(round_=round_)
    items = list(DeliveryItem.objects.filter(project__round=round_).order_by("project__position"))
    for n, item in enumerate(items):
        status, progress, note = (
            ("done", 100, "Delivered.")
            if n % 3 == 0
            else ("in_progress", 20 + (n * 13) % 70, "Under way.")
            if n % 3 == 1
            else ("not_started", 0, "")
        )
        item.status, item.progress, item.note = status, progress, note
    DeliveryItem.objects.bulk_update(items, ["status", "progress", "note"])
    # Each started project's timeline has the update that says so (illustrative, like the figures).
    DeliveryUpdate.objects.filter(item__in=items).delete()
    DeliveryUpdate.objects.bulk_create(
        [
            DeliveryUpdate(item=i, status=i.status, progress=i.progress, note=i.note)
            for i in items
            if i.note
        ]
    )


def demo_budgeting() -> None:
    place = Place.objects.get(code=content.BOROUGH_CODE)
    resident = User.objects.filter(email="resident@example.org").first()
    missions = {m.slug: m for m in Mission.objects.filter(owner__slug="camden-council")}
    _ideas_round(missions["camden-healthy-lives"], place, resident)
    _voting_round(missions["camden-clean-air"], place)
    _closed_round(missions["camden-good-work"], place)
