import datetime as dt

import pytest
from django.utils import timezone

from mobilise.accounts.tests.factories import OrganisationFactory, UserFactory, mission_lead
from mobilise.coalition.tests.factories import PledgeFactory
from mobilise.indicators.tests.factories import (
    IndicatorFactory,
    SeriesFactory,
    TargetFactory,
    observations_for,
)
from mobilise.missions.tests.factories import MissionFactory, OutcomeFactory
from mobilise.places.models import Place

from .factories import (
    ActionFactory,
    AssessmentFactory,
    CouncilFactory,
    CouncilMemberFactory,
    MeetingFactory,
)


@pytest.fixture
def camden():
    uk = Place.objects.create(code="K02000001", name="United Kingdom", kind=Place.Kind.UK)
    return Place.objects.create(code="E09000007", name="Camden", kind=Place.Kind.UNITARY, parent=uk)


@pytest.fixture
def borough(camden):
    """Demo-like: Camden's clean air mission with three outcomes, an indicator with a history and
    a target, a pledge, a council (chair, assessor, secretariat), a held meeting with a decision,
    an overdue action and two assessments."""
    council_org = OrganisationFactory(name="London Borough of Camden", sector="public_body")
    national = MissionFactory(title="Make Britain a clean energy superpower", scope="national")
    mission = MissionFactory(
        title="Clean air and net zero travel in Camden",
        owner=council_org,
        contributes_to=national,
    )
    mission.places.add(camden)
    outcomes = [
        OutcomeFactory(mission=mission, title=title, order=n)
        for n, title in enumerate(
            [
                "Halve transport emissions by 2035",
                "Cleaner air near schools",
                "More journeys by foot, cycle and public transport",
            ]
        )
    ]
    indicator = IndicatorFactory(
        code="co2-transport", title="Transport CO2 emissions", unit="kt CO2"
    )
    series = SeriesFactory(indicator=indicator)
    observations_for(series, camden, {str(y): 250 - 8 * (y - 2015) for y in range(2015, 2023)})
    indicator.outcomes.add(outcomes[0])
    TargetFactory(
        series=series,
        place=camden,
        baseline_period="2019",
        baseline_value=218,
        target_year=2035,
        target_value=109,
    )
    lead = mission_lead(council_org, name="Priya Shah")
    secretary = UserFactory(name="Sam Secretary")
    assessor = UserFactory(name="Margaret Hughes")
    member = UserFactory(name="Plain Member")
    council = CouncilFactory(mission=mission, name="Camden Clean Air Mission Council")
    CouncilMemberFactory(
        council=council,
        user=secretary,
        name="Sam Secretary",
        role="secretariat",
        email="sec@example.org",
    )
    CouncilMemberFactory(council=council, user=assessor, name="Margaret Hughes", is_assessor=True)
    CouncilMemberFactory(council=council, user=member, name="Plain Member", sector="business")
    CouncilMemberFactory(
        council=council,
        name="Dr Amara Okonkwo",
        role="chair",
        sector="anchor",
        email="chair@example.org",
    )
    meeting = MeetingFactory(council=council, starts_at=timezone.now() - dt.timedelta(days=10))
    meeting.decisions.create(
        text="Ask for a recovery plan", decided_on=timezone.localdate() - dt.timedelta(days=10)
    )
    today = timezone.localdate()
    overdue = ActionFactory(
        council=council,
        meeting=meeting,
        text="Bring the recovery plan",
        owner=lead,
        owner_name="Priya Shah",
        due_date=today - dt.timedelta(days=3),
        outcome=outcomes[0],
    )
    PledgeFactory(mission=mission, organisation=council_org)
    AssessmentFactory(
        mission=mission,
        rating="amber_red",
        assessor=lead,
        assessed_on=today - dt.timedelta(days=60),
    )
    AssessmentFactory(
        mission=mission, rating="amber", assessor=lead, assessed_on=today - dt.timedelta(days=5)
    )
    return {
        "mission": mission,
        "national": national,
        "outcomes": outcomes,
        "council": council,
        "meeting": meeting,
        "overdue": overdue,
        "lead": lead,
        "secretary": secretary,
        "assessor": assessor,
        "member": member,
        "place": camden,
    }
