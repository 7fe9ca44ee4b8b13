"""The demo borough's conversations: one on each of Camden's three local missions.

*Good work* holds a real Pol.is conversation (Seattle's $15 minimum wage, 2014; CC BY 4.0, The
Computational Democracy Project), imported with its statements and votes as anonymous
participants, so its results page shows real opinion groups at once. *Clean air* starts from the
mission team's statements with sixty illustrative voters in two camps; *Healthy lives* is
pre-moderated and has a resident's statement waiting in the moderation queue.

``demo_deliberation()`` runs after the coalition, and rebuilds the demo conversations whole each
time (found by mission and question), so it is safe to run again. The analysis runs here, not in
the background, so the results show as soon as the demo is up.
"""

import random
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from mobilise.accounts.models import User
from mobilise.deliberation import polis, services
from mobilise.deliberation.models import Conversation, Participant, Vote
from mobilise.deliberation.tasks import recompute_analysis
from mobilise.missions.models import Mission

# The shipped copy, not MOBILISE_DATA_DIR: the demo must work without the full data sets.
POLIS_FOLDER = Path(settings.BASE_DIR) / "data" / "polis" / "15-per-hour-seattle"
POLIS_ATTRIBUTION = "\n".join(
    [
        "Statements and votes from the Pol.is conversation “$15/hour” held in Seattle in 2014.",
        "Data was gathered using the Polis software (compdemocracy.org/polis) and is "
        "sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy Project.",
        "https://compdemocracy.org/case-studies/2014-seattle-15-per-hour",
        "Licence: https://creativecommons.org/licenses/by/4.0/",
    ]
)

GOOD_WORK_QUESTION = "How would a $15 an hour minimum wage affect workers and businesses?"
CLEAN_AIR_QUESTION = "How should Camden cut traffic fumes?"
HEALTHY_QUESTION = "What would help you be more active where you live?"

CLEAN_AIR_SEEDS = [
    "Streets outside schools should close to traffic at drop-off and pick-up times.",
    "Camden should add more protected cycle lanes on main roads.",
    "Parking permits should cost more for the most polluting vehicles.",
    "Buses are too slow to be a real alternative to driving.",
    "Deliveries should move to cargo bikes in the town centres.",
    "Traffic-calming schemes push traffic onto other streets.",
    "I would walk more if pavements were wider and better lit.",
    "Businesses need their customers to be able to drive and park.",
    "Every new development should be car-free.",
    "The council should publish air quality readings for every street.",
    # Journey 2 (PRODUCT.md): a resident votes on twenty statements, so there are more than that.
    "Idling engines outside schools should be fined on the spot.",
    "Road charges hit people on low incomes hardest.",
    "More streets should become play streets at weekends.",
    "Low-traffic neighbourhoods make journeys longer for disabled people.",
    "Car clubs could replace most second cars in the borough.",
    "Tradespeople cannot do their jobs without a van.",
    "Pavement parking should be banned everywhere.",
    "The council should fix potholes before building cycle lanes.",
    "Night-time deliveries would keep lorries off busy streets by day.",
    "Closing roads makes it harder for older people to get a lift.",
    "More trees along main roads would help clean the air.",
    "Bus lanes should be enforced by camera all day.",
]
HEALTHY_SEEDS = [
    "Free exercise classes in parks would get more people moving.",
    "Leisure centres are too expensive for many families.",
    "Safe walking routes matter more than new gyms.",
    "GPs should prescribe activity, not only medicine.",
    "Older people need more seating along walking routes.",
    "Community sports clubs should get cheaper use of school halls.",
]
WAITING_STATEMENT = "Outdoor gyms on estates would be used every day."


def _rebuild(mission: Mission, question: str) -> None:
    Conversation.objects.filter(mission=mission, question=question).delete()


def _illustrative_votes(conversation: Conversation, people: int = 60) -> None:
    """Two camps of anonymous voters (keen on fewer cars, or wary of the cost to drivers and
    businesses) with some noise, so the demo's results have groups to show."""
    rng = random.Random(7)
    statements = list(conversation.statements.order_by("pk"))
    # +1: the first camp agrees; -1: the second camp agrees; 0: both lean the same way.
    lean = [1, 1, 1, 0, 1, -1, 0, -1, 1, 0, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 0, 1]
    now = timezone.now()
    votes = []
    for n in range(people):
        camp = 1 if n % 3 else -1
        participant = Participant.objects.create(conversation=conversation, key=f"demo-{n}")
        for statement, side in zip(statements, lean, strict=False):
            if rng.random() < 0.15:
                continue  # not everyone votes on everything
            if side == 0:
                value = 1 if rng.random() < 0.8 else rng.choice([0, -1])
            else:
                value = side * camp if rng.random() < 0.8 else rng.choice([0, -side * camp])
            votes.append(
                Vote(participant=participant, statement=statement, value=value, updated_at=now)
            )
    Vote.objects.bulk_create(votes)


def demo_deliberation() -> None:
    lead = User.objects.filter(email="lead@camden.example").first()
    missions = {m.slug: m for m in Mission.objects.filter(slug__startswith="camden-")}

    good_work = missions.get("camden-good-work")
    if good_work is not None:
        _rebuild(good_work, GOOD_WORK_QUESTION)
        conversation = polis.conversation_import(
            folder=POLIS_FOLDER,
            mission=good_work,
            question=GOOD_WORK_QUESTION,
            description=(
                "Seattle raised its minimum wage to $15 an hour in 2014, and asked residents "
                "what it would mean for them. We have loaded that conversation, with its "
                "statements and votes, to show how a conversation finds opinion groups and "
                "common ground before Camden holds its own on fair pay."
            ),
            attribution=POLIS_ATTRIBUTION,
            created_by=lead,
        )
        recompute_analysis.call(conversation_id=conversation.pk)

    clean_air = missions.get("camden-clean-air")
    if clean_air is not None:
        _rebuild(clean_air, CLEAN_AIR_QUESTION)
        conversation = services.conversation_create(
            mission=clean_air,
            created_by=lead,
            question=CLEAN_AIR_QUESTION,
            description=(
                "Road traffic is the biggest source of the fumes Camden breathes. Tell us which "
                "changes you would support, and add your own ideas."
            ),
            moderation=Conversation.Moderation.POST,
            seed_statements=CLEAN_AIR_SEEDS,
        )
        _illustrative_votes(conversation)
        recompute_analysis.call(conversation_id=conversation.pk)

    healthy = missions.get("camden-healthy-lives")
    if healthy is not None:
        _rebuild(healthy, HEALTHY_QUESTION)
        conversation = services.conversation_create(
            mission=healthy,
            created_by=lead,
            question=HEALTHY_QUESTION,
            description="Tell us what would make it easier to walk, play and exercise near home.",
            moderation=Conversation.Moderation.PRE,
            seed_statements=HEALTHY_SEEDS,
        )
        resident = User.objects.filter(email="resident@example.org").first()
        participant = services.participant_get_or_create(
            conversation=conversation, user=resident, key="demo-resident"
        )
        services.statement_add(
            conversation=conversation,
            text=WAITING_STATEMENT,
            participant=participant,
            author=resident,
        )
        recompute_analysis.call(conversation_id=conversation.pk)
