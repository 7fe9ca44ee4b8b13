"""The demo borough's coalitions: organisations across sectors, members, pledges with progress,
asks and offers with matches, and volunteering with sessions, sign-ups and hours.

``demo_coalition()`` runs after ``demo_build()`` (it needs the places, the missions and the demo
organisations and people) and is safe to run again: rows are found by natural keys (slugs, titles,
e-mail addresses) and updated. Dates are set relative to today, so the demo always has pledges
under way, sessions coming up and hours given in recent months. Two things are rebuilt whole on
each run because they only make sense relative to today: each demo pledge's progress updates, and
each demo opportunity's sessions (with their sign-ups).

Organisations, people and figures are illustrative.

Left for the person trying the demo: Kentish Town Traders can join *Healthy lives* (Sam Green,
partner@traders.example, is its admin); Priya Shah (lead@camden.example) can match the traders'
meeting room to Somers Town Neighbours' ask; Jo Resident (resident@example.org) can sign up to a
session near Camden.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from mobilise.accounts.models import Organisation, User
from mobilise.coalition import selectors, services
from mobilise.coalition.models import (
    Ask,
    CoalitionMember,
    Match,
    Offer,
    Opportunity,
    Pledge,
    PledgeUpdate,
    Session,
    SignUp,
)
from mobilise.missions.models import Mission, Outcome
from mobilise.places.models import Place

from . import content

CAMDEN = content.BOROUGH_CODE
ISLINGTON, BRENT, BARNET, LONDON = "E09000019", "E09000005", "E09000003", "E12000007"

# slug, name, sector, place, what it does
ORGANISATIONS = [
    (
        "camden-market-traders",
        "Camden Market Traders' Co-operative",
        "business",
        CAMDEN,
        "Stallholders and small shops in and around Camden Market.",
    ),
    (
        "regents-canal-cycles",
        "Regent's Canal Cycles",
        "business",
        CAMDEN,
        "A bike shop and repair workshop by the canal.",
    ),
    (
        "granary-square-offices",
        "Granary Square Offices",
        "business",
        CAMDEN,
        "Managed offices for 3,000 people at King's Cross.",
    ),
    (
        "euston-road-tech",
        "Euston Road Tech Hub",
        "business",
        CAMDEN,
        "A home for forty digital start-ups.",
    ),
    (
        "holborn-law",
        "Holborn Law Partners",
        "business",
        CAMDEN,
        "A law firm with a pro bono programme.",
    ),
    (
        "islington-solar",
        "Islington Solar Installers",
        "business",
        ISLINGTON,
        "Fits solar panels and batteries to homes and schools.",
    ),
    (
        "green-fleet",
        "Green Fleet Logistics",
        "business",
        BRENT,
        "Electric van and cargo-bike deliveries across north London.",
    ),
    (
        "camden-age-concern",
        "Camden Later Life",
        "charity",
        CAMDEN,
        "Support, clubs and walks for older residents.",
    ),
    (
        "kentish-town-farm",
        "Kentish Town City Farm",
        "charity",
        CAMDEN,
        "A working farm and garden for everyone in the borough.",
    ),
    (
        "food-for-all-camden",
        "Food for All Camden",
        "charity",
        CAMDEN,
        "Community fridges and a food bank in Somers Town and Kilburn.",
    ),
    (
        "london-cycling-trust",
        "London Cycling Trust",
        "charity",
        LONDON,
        "Teaches Londoners of every age to ride and repair bikes.",
    ),
    (
        "mind-camden",
        "Camden Mind Matters",
        "charity",
        CAMDEN,
        "Mental health support and peer groups.",
    ),
    (
        "islington-law-centre",
        "North London Law Centre",
        "charity",
        ISLINGTON,
        "Free legal advice on work, housing and benefits.",
    ),
    (
        "gospel-oak-residents",
        "Gospel Oak Residents' Association",
        "community",
        CAMDEN,
        "Tenants and leaseholders on the Gospel Oak estates.",
    ),
    (
        "kilburn-youth-fc",
        "Kilburn Youth Football Club",
        "community",
        BRENT,
        "Football for 300 young people from Kilburn and West Hampstead.",
    ),
    (
        "regents-park-gardeners",
        "Regent's Park Estate Gardening Club",
        "community",
        CAMDEN,
        "Growing food and flowers on the estate.",
    ),
    (
        "queens-crescent-centre",
        "Queen's Crescent Community Centre",
        "community",
        CAMDEN,
        "A centre for clubs, classes and advice on Queen's Crescent.",
    ),
    (
        "camden-teachers",
        "Camden Teachers' Association",
        "union",
        CAMDEN,
        "Teachers and support staff in Camden's schools.",
    ),
    (
        "london-construction-branch",
        "London Construction Workers' Branch",
        "union",
        LONDON,
        "Represents site workers and apprentices across London.",
    ),
    (
        "bloomsbury-university",
        "Bloomsbury University",
        "education",
        CAMDEN,
        "A research university with 40,000 students.",
    ),
    (
        "chalk-farm-academy",
        "Chalk Farm Academy",
        "education",
        CAMDEN,
        "A secondary school of 1,100 pupils.",
    ),
    (
        "camden-primary-partnership",
        "Camden Primary Schools Partnership",
        "education",
        CAMDEN,
        "Forty primary schools working together.",
    ),
    (
        "kentish-town-health-centre",
        "Kentish Town Health Centre",
        "health",
        CAMDEN,
        "A GP practice and community health hub.",
    ),
    (
        "camden-stop-smoking",
        "Camden Stop Smoking Service",
        "health",
        CAMDEN,
        "Free support to stop smoking, in clinics and pharmacies.",
    ),
    (
        "whittington-pharmacy",
        "Whittington Community Pharmacy",
        "health",
        ISLINGTON,
        "A pharmacy offering health checks and stop-smoking support.",
    ),
    (
        "camden-libraries",
        "Camden Libraries",
        "public_body",
        CAMDEN,
        "Nine libraries with rooms, computers and help for everyone.",
    ),
    (
        "london-transport-partnerships",
        "London Transport Partnerships",
        "public_body",
        LONDON,
        "Works with boroughs on safer, cleaner streets.",
    ),
]

# mission slug → [(organisation slug, status, statement)]
MEMBERS = {
    "camden-clean-air": [
        (
            "kentish-town-traders",
            "accepted",
            "200 hours of staff volunteering and a meeting room above our shops.",
        ),
        (
            "camden-community-energy",
            "accepted",
            "Solar on schools and estates, and the data from our meters.",
        ),
        (
            "somers-town-neighbours",
            "accepted",
            "Residents who want safer, greener streets and will help design them.",
        ),
        ("regents-canal-cycles", "accepted", "Bike repair workshops and loan bikes."),
        (
            "granary-square-offices",
            "accepted",
            "Cycle parking and a travel plan for 3,000 office workers.",
        ),
        ("green-fleet", "accepted", "Electric vans and cargo bikes for local deliveries."),
        ("london-cycling-trust", "accepted", "Cycle training in every primary school."),
        ("camden-primary-partnership", "accepted", "School streets at forty primary schools."),
        ("bloomsbury-university", "accepted", "Air-quality research and student volunteers."),
        ("islington-solar", "accepted", "Discounted panels for community buildings."),
        (
            "gospel-oak-residents",
            "accepted",
            "Residents shaping the Gospel Oak low-traffic neighbourhood.",
        ),
        (
            "london-transport-partnerships",
            "accepted",
            "Street design advice and enforcement cameras.",
        ),
        ("camden-libraries", "accepted", "Rooms for workshops and exhibitions."),
        ("euston-road-tech", "pending", "Software volunteers to map school routes."),
        ("camden-market-traders", "pending", "Deliveries consolidated to cut van trips."),
        ("holborn-law", "declined", "Legal advice on traffic orders."),
    ],
    "camden-healthy-lives": [
        (
            "royal-free-health-partners",
            "accepted",
            "Neighbourhood health hubs with our GP federations.",
        ),
        ("camden-stop-smoking", "accepted", "Stop-smoking clinics in the hubs."),
        (
            "kentish-town-health-centre",
            "accepted",
            "Health checks and a room for community groups.",
        ),
        ("food-for-all-camden", "accepted", "Healthy food for families who need it."),
        ("camden-age-concern", "accepted", "Walking groups and befriending."),
        ("mind-camden", "accepted", "Peer support groups in every neighbourhood."),
        ("kentish-town-farm", "accepted", "Growing and cooking sessions for families."),
        ("whittington-pharmacy", "accepted", "Stop-smoking support over the counter."),
        ("queens-crescent-centre", "accepted", "Space for health sessions on Queen's Crescent."),
        ("kilburn-youth-fc", "accepted", "Football for young people in Kilburn."),
        ("regents-park-gardeners", "pending", "Food growing on the Regent's Park estate."),
    ],
    "camden-good-work": [
        ("north-london-college", "accepted", "Green-skills apprenticeships."),
        ("camden-unison", "accepted", "Fair work charter and workplace mentors."),
        ("london-construction-branch", "accepted", "Site mentors for construction apprentices."),
        ("granary-square-offices", "accepted", "Work placements with our tenants."),
        ("euston-road-tech", "accepted", "Coding bootcamps for local young people."),
        ("bloomsbury-university", "accepted", "Paid internships for Camden residents."),
        ("islington-law-centre", "accepted", "Advice on employment rights."),
        ("chalk-farm-academy", "accepted", "Careers fairs with local employers."),
        ("camden-teachers", "accepted", "Careers mentors in every secondary school."),
        ("holborn-law", "accepted", "Legal apprenticeships and mentoring."),
    ],
    "clean-energy": [
        ("camden-community-energy", "accepted", "Community-owned solar in Camden."),
        ("islington-solar", "accepted", "Installers' training places."),
    ],
}


@dataclass
class PledgeSpec:
    mission: str
    by: str  # organisation slug, or an e-mail address for a resident
    title: str
    quantity: int
    unit: str
    made_days_ago: int
    due_in_days: int  # negative: already due
    updates: list[tuple[int, int, str]]  # (days ago, amount, note)
    outcome: str = ""  # title of the outcome it serves
    money: int | None = None
    in_kind: int | None = None
    description: str = ""
    flag: str = ""


QUARTERLY = "Quarterly report."
PLEDGES = [
    # Journey 3: a local business pledges 200 volunteer hours and a meeting room, and reports each quarter.
    PledgeSpec(
        "camden-clean-air",
        "kentish-town-traders",
        "200 hours of staff volunteering",
        200,
        "volunteer hours",
        300,
        65,
        [
            (270, 60, "Stewarding at two school streets."),
            (180, 55, "Stewarding and a canal clean-up."),
            (90, 60, QUARTERLY),
        ],
        outcome="More journeys by foot, cycle and public transport",
        in_kind=3000,
        description="Our staff will steward school streets and help at clean-up days, up to 200 hours over the year.",
    ),
    PledgeSpec(
        "camden-clean-air",
        "kentish-town-traders",
        "A meeting room one day a week",
        48,
        "room days",
        300,
        65,
        [
            (270, 12, "Used by Somers Town Neighbours and the school streets team."),
            (180, 13, QUARTERLY),
            (90, 13, QUARTERLY),
        ],
        in_kind=9600,
        description="The room above our shops on Kentish Town Road seats 20, with step-free access.",
    ),
    PledgeSpec(
        "camden-clean-air",
        "camden-primary-partnership",
        "School streets at 20 primary schools",
        20,
        "school streets",
        400,
        200,
        [
            (330, 4, "First four schools closed to traffic at drop-off."),
            (240, 5, QUARTERLY),
            (150, 4, QUARTERLY),
            (60, 3, QUARTERLY),
        ],
        outcome="Cleaner air near schools",
    ),
    PledgeSpec(
        "camden-clean-air",
        "camden-community-energy",
        "Solar panels on 12 school roofs",
        12,
        "roofs",
        420,
        -30,
        [
            (360, 4, "First four roofs live."),
            (200, 5, QUARTERLY),
            (10, 3, "The last three, a few days late: scaffolding delays."),
        ],
        outcome="Halve transport emissions by 2035",
        money=180000,
    ),
    PledgeSpec(
        "camden-clean-air",
        "granary-square-offices",
        "400 new cycle parking spaces",
        400,
        "spaces",
        240,
        120,
        [(150, 120, "Basement cycle hub opened."), (60, 40, QUARTERLY)],
        money=250000,
    ),
    PledgeSpec(
        "camden-clean-air",
        "green-fleet",
        "Replace 30 diesel vans with electric vans and cargo bikes",
        30,
        "vehicles",
        500,
        -60,
        [(400, 10, "First ten vans."), (250, 8, QUARTERLY), (100, 4, "Supply delays on vans.")],
        outcome="Halve transport emissions by 2035",
        money=600000,
        flag="Twelve vehicles still diesel after the due date: ask for a new plan.",
    ),
    PledgeSpec(
        "camden-clean-air",
        "london-cycling-trust",
        "Cycle training for 1,500 children",
        1500,
        "children",
        365,
        -10,
        [
            (300, 300, "Autumn term."),
            (200, 450, "Spring term."),
            (100, 500, "Summer term."),
            (20, 250, "Holiday courses."),
        ],
        outcome="More journeys by foot, cycle and public transport",
        money=45000,
    ),
    PledgeSpec(
        "camden-clean-air",
        "bloomsbury-university",
        "Air-quality sensors at 12 schools, with open data",
        12,
        "sensors",
        200,
        160,
        [(120, 4, "Sensors installed at four schools."), (40, 3, QUARTERLY)],
        outcome="Cleaner air near schools",
        in_kind=24000,
    ),
    PledgeSpec(
        "camden-clean-air",
        "resident@example.org",
        "Cycle or walk to work instead of driving",
        40,
        "journeys",
        150,
        30,
        [(100, 16, "Cycling most days in spring."), (40, 18, "")],
    ),
    PledgeSpec(
        "camden-healthy-lives",
        "camden-stop-smoking",
        "Support 600 people to stop smoking",
        600,
        "quit attempts",
        330,
        90,
        [(270, 150, QUARTERLY), (180, 170, QUARTERLY), (90, 160, QUARTERLY)],
        outcome="Fewer people smoking",
        money=80000,
    ),
    PledgeSpec(
        "camden-healthy-lives",
        "food-for-all-camden",
        "Four new community fridges",
        4,
        "fridges",
        250,
        110,
        [(200, 1, "Somers Town fridge open."), (100, 1, "Kilburn fridge open.")],
        outcome="Healthier neighbourhoods",
        in_kind=6000,
    ),
    PledgeSpec(
        "camden-healthy-lives",
        "camden-age-concern",
        "Weekly walking groups in six neighbourhoods",
        6,
        "walking groups",
        300,
        -20,
        [(250, 2, ""), (150, 2, ""), (60, 2, "All six groups walking every week.")],
        outcome="Healthier neighbourhoods",
    ),
    PledgeSpec(
        "camden-healthy-lives",
        "kentish-town-health-centre",
        "A room for community health sessions",
        100,
        "room hours",
        180,
        180,
        [(90, 30, "Used by walking groups and Mind Matters."), (30, 25, QUARTERLY)],
        in_kind=5000,
    ),
    PledgeSpec(
        "camden-healthy-lives",
        "mind-camden",
        "Train 80 mental health first aiders",
        80,
        "first aiders",
        280,
        20,
        [(200, 15, ""), (100, 10, "")],
        flag="Behind: check whether they need trainers from the NHS trust.",
    ),
    PledgeSpec(
        "camden-good-work",
        "north-london-college",
        "150 green-skills apprenticeship starts",
        150,
        "apprenticeships",
        400,
        330,
        [(330, 25, "September intake."), (150, 40, "January intake."), (30, 20, "Spring intake.")],
        outcome="Green skills for young people",
        money=900000,
    ),
    PledgeSpec(
        "camden-good-work",
        "granary-square-offices",
        "60 work placements for Camden young people",
        60,
        "placements",
        300,
        60,
        [(240, 15, ""), (150, 15, ""), (60, 18, "")],
        outcome="More residents in good jobs",
    ),
    PledgeSpec(
        "camden-good-work",
        "bloomsbury-university",
        "40 paid internships for Camden residents",
        40,
        "internships",
        200,
        165,
        [(100, 12, "Summer interns started.")],
        outcome="More residents in good jobs",
        money=320000,
    ),
    PledgeSpec(
        "camden-good-work",
        "london-construction-branch",
        "Mentors for 100 construction apprentices",
        100,
        "apprentices mentored",
        220,
        145,
        [(150, 30, ""), (50, 28, "")],
        outcome="Green skills for young people",
    ),
]

# mission, organisation, category, title, quantity, unit, place, starts in (days), lasts (days), tags, description
ASKS = [
    (
        "camden-clean-air",
        "somers-town-neighbours",
        "premises",
        "A meeting room for monthly street-design workshops",
        6,
        "room days",
        CAMDEN,
        14,
        180,
        ["meeting room", "step-free"],
        "Somewhere for 20 neighbours to meet one evening a month and design the Somers Town low-traffic scheme.",
    ),
    (
        "camden-clean-air",
        "camden-council",
        "volunteers",
        "Stewards for school street closures",
        20,
        "volunteers",
        CAMDEN,
        7,
        120,
        ["stewarding", "first aid"],
        "Friendly adults to stand at the closure points at drop-off and pick-up.",
    ),
    (
        "camden-clean-air",
        "camden-primary-partnership",
        "data",
        "Air-quality readings outside 12 schools",
        12,
        "schools",
        CAMDEN,
        10,
        365,
        ["air quality", "open data"],
        "Hourly NO2 and PM2.5 readings we can show pupils and parents.",
    ),
    (
        "camden-clean-air",
        "food-for-all-camden",
        "equipment",
        "A cargo bike for food bank deliveries",
        1,
        "cargo bikes",
        CAMDEN,
        5,
        200,
        ["cargo bike"],
        "To replace our diesel van for deliveries within two miles.",
    ),
    (
        "camden-clean-air",
        "gospel-oak-residents",
        "funding",
        "£4,000 for a parklet on Mansfield Road",
        4000,
        "pounds",
        CAMDEN,
        20,
        150,
        [],
        "Planters, seating and cycle stands in two parking bays.",
    ),
    (
        "camden-healthy-lives",
        "camden-stop-smoking",
        "premises",
        "Clinic space near Queen's Crescent",
        50,
        "room hours",
        CAMDEN,
        14,
        180,
        ["private room", "step-free"],
        "A private room for one-to-one stop-smoking sessions, two afternoons a week.",
    ),
    (
        "camden-good-work",
        "north-london-college",
        "skills",
        "Mentors for green-skills apprentices",
        30,
        "mentors",
        CAMDEN,
        10,
        300,
        ["mentoring", "construction", "retrofit"],
        "People working in construction or retrofit to mentor an apprentice for a year.",
    ),
    (
        "camden-good-work",
        "camden-council",
        "introductions",
        "Introductions to employers with entry-level jobs",
        20,
        "employers",
        LONDON,
        7,
        200,
        ["recruitment"],
        "Employers who will guarantee interviews to residents finishing our courses.",
    ),
]

# mission, organisation or resident e-mail, category, title, quantity, unit, place, from (days), until (days or None), tags, consent
OFFERS = [
    (
        "camden-clean-air",
        "kentish-town-traders",
        "premises",
        "Meeting room above the Kentish Town Road shops",
        48,
        "room days",
        CAMDEN,
        0,
        365,
        ["meeting room", "step-free", "wifi"],
        True,
    ),
    (
        "camden-clean-air",
        "camden-libraries",
        "premises",
        "Community rooms in nine libraries",
        100,
        "room days",
        CAMDEN,
        0,
        None,
        ["meeting room", "step-free"],
        True,
    ),
    (
        "camden-clean-air",
        "regents-canal-cycles",
        "equipment",
        "Two cargo bikes on long-term loan",
        2,
        "cargo bikes",
        CAMDEN,
        0,
        365,
        ["cargo bike"],
        True,
    ),
    (
        "camden-clean-air",
        "bloomsbury-university",
        "data",
        "Readings from our air-quality sensor network",
        20,
        "schools",
        LONDON,
        0,
        None,
        ["air quality", "open data"],
        True,
    ),
    (
        "camden-clean-air",
        "kentish-town-traders",
        "volunteers",
        "Staff volunteers for school streets",
        8,
        "volunteers",
        CAMDEN,
        0,
        120,
        ["stewarding"],
        False,
    ),
    (
        "camden-clean-air",
        "resident@example.org",
        "volunteers",
        "I can steward a school street on Tuesdays",
        1,
        "volunteers",
        CAMDEN,
        0,
        90,
        ["stewarding", "first aid"],
        False,
    ),
    (
        "camden-healthy-lives",
        "kentish-town-health-centre",
        "premises",
        "A consulting room on Thursday afternoons",
        80,
        "room hours",
        CAMDEN,
        7,
        365,
        ["private room", "step-free"],
        True,
    ),
    (
        "camden-good-work",
        "london-construction-branch",
        "skills",
        "Site workers as apprentice mentors",
        15,
        "mentors",
        LONDON,
        0,
        None,
        ["mentoring", "construction"],
        True,
    ),
    (
        "camden-good-work",
        "islington-law-centre",
        "skills",
        "Employment rights talks",
        10,
        "talks",
        ISLINGTON,
        0,
        240,
        ["employment law"],
        True,
    ),
]

# (ask title, offer title, status): made by the mission lead, then accepted as the status says.
MATCHES = [
    ("A cargo bike for food bank deliveries", "Two cargo bikes on long-term loan", "connected"),
    (
        "Air-quality readings outside 12 schools",
        "Readings from our air-quality sensor network",
        "connected",
    ),
    ("Stewards for school street closures", "Staff volunteers for school streets", "proposed"),
    ("Clinic space near Queen's Crescent", "A consulting room on Thursday afternoons", "connected"),
    ("Mentors for green-skills apprentices", "Site workers as apprentice mentors", "connected"),
]


@dataclass
class OpportunitySpec:
    mission: str
    organisation: str
    role: str
    description: str
    place: str
    location: str
    accessibility: str
    weekdays: tuple[int, ...]  # 0 = Monday
    start: tuple[int, int]
    hours: float
    capacity: int
    dbs: bool = False
    minimum_age: int | None = None
    requirements: str = ""
    upcoming_weeks: int = 4
    past_weeks: int = 20
    booked: float = 0.5  # share of places taken on upcoming sessions


OPPORTUNITIES = [
    OpportunitySpec(
        "camden-clean-air",
        "camden-council",
        "School street steward",
        "Stand at a school street closure point at drop-off, welcome families walking and cycling, and turn back the odd driver politely. Training on your first morning.",
        CAMDEN,
        "Meet at Carlton Primary School gates, Grafton Road, NW5 4AX",
        "The closure points are on level pavements. Hi-vis and a folding stool provided.",
        (1, 3),
        (8, 15),
        1,
        4,
        dbs=True,
        minimum_age=18,
        booked=0.75,
    ),
    OpportunitySpec(
        "camden-clean-air",
        "somers-town-neighbours",
        "Litter pick and tree watering",
        "Pick litter and water the new street trees around Somers Town, then tea at the community centre.",
        CAMDEN,
        "Somers Town Community Centre, Ossulston Street, NW1 1EE",
        "Step-free meeting point and accessible toilet. Litter pickers with long handles; you can water trees from a bench.",
        (5,),
        (10, 0),
        3,
        15,
        minimum_age=14,
        requirements="Under-16s need an adult with them.",
        booked=0.6,
    ),
    OpportunitySpec(
        "camden-clean-air",
        "regents-canal-cycles",
        "Dr Bike repair helper",
        "Help our mechanics fix bikes for free at the canal-side workshop: pumping tyres, fitting lights, and chatting to riders.",
        CAMDEN,
        "Regent's Canal Cycles, Camley Street, N1C 4PW",
        "Step-free workshop with a ramp. Some standing; stools available.",
        (3,),
        (17, 30),
        2.5,
        3,
        booked=1.0,
    ),
    OpportunitySpec(
        "camden-clean-air",
        "london-cycling-trust",
        "Canal clean-up volunteer",
        "Clear litter from the towpath and fish it out of the canal by the Islington Tunnel, with grabbers and nets.",
        ISLINGTON,
        "Colebrooke Row entrance to the towpath, N1 8AP",
        "The towpath is level but narrow and has no toilets nearby.",
        (6,),
        (10, 0),
        3,
        12,
        minimum_age=16,
        booked=0.4,
    ),
    OpportunitySpec(
        "camden-healthy-lives",
        "food-for-all-camden",
        "Community fridge volunteer",
        "Collect surplus food from local shops, check dates and stock the Somers Town community fridge.",
        CAMDEN,
        "Somers Town Community Fridge, Chalton Street, NW1 1HS",
        "Step-free. Some lifting of crates up to 10 kg; we can find you a seated task instead.",
        (0, 2, 4),
        (14, 0),
        2,
        3,
        booked=1.0,
        upcoming_weeks=3,
    ),
    OpportunitySpec(
        "camden-healthy-lives",
        "camden-age-concern",
        "Walking group leader",
        "Lead a gentle hour's walk for older residents around Hampstead Heath and stop for a chat afterwards.",
        CAMDEN,
        "Parliament Hill Café, Hampstead Heath, NW5 1QR",
        "Routes are on paths with benches; the café has an accessible toilet.",
        (2,),
        (10, 30),
        1.5,
        4,
        dbs=True,
        minimum_age=18,
        booked=0.5,
    ),
    OpportunitySpec(
        "camden-good-work",
        "north-london-college",
        "CV and interview practice volunteer",
        "Give an hour to help a young resident polish their CV and practise for an interview.",
        CAMDEN,
        "North London College, Kentish Town campus, NW5 2AB",
        "Step-free building with lifts and a quiet room.",
        (1,),
        (16, 0),
        2,
        8,
        minimum_age=18,
        booked=0.5,
    ),
]

VOLUNTEER_NAMES = [
    "Amara Okoye",
    "Ben Clarke",
    "Chloe Davies",
    "Dev Patel",
    "Ella Morris",
    "Farah Hussain",
    "George Evans",
    "Hannah Lewis",
    "Isaac Cohen",
    "Jasmine Ali",
    "Kofi Mensah",
    "Lily Walsh",
    "Mohammed Rahman",
    "Nina Kowalski",
    "Oscar Reid",
    "Priya Nair",
    "Quentin Hall",
    "Rosa Fernandes",
    "Sami Yilmaz",
    "Tara O'Brien",
    "Usha Mistry",
    "Victor Adeyemi",
    "Wendy Chan",
    "Yusuf Ahmed",
]


@dataclass
class CoalitionSummary:
    organisations: int = 0
    members: int = 0
    pledges: int = 0
    asks: int = 0
    offers: int = 0
    matches: int = 0
    opportunities: int = 0
    sessions: int = 0
    sign_ups: int = 0


def _organisations() -> dict[str, Organisation]:
    codes = {spec[3] for spec in ORGANISATIONS}
    places = {p.code: p for p in Place.objects.defer("boundary").filter(code__in=codes)}
    for slug, name, sector, code, description in ORGANISATIONS:
        Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "sector": sector,
                "home_place": places.get(code),
                "description": description,
            },
        )
    return {o.slug: o for o in Organisation.objects.all()}


def _volunteers(borough: Place) -> list[User]:
    people = []
    for n, name in enumerate(VOLUNTEER_NAMES, start=1):
        user, created = User.objects.get_or_create(
            email=f"volunteer{n:02d}@demo.mobilise.example",
            defaults={"name": name, "home_place": borough},
        )
        if created:
            user.set_unusable_password()  # demo volunteers never sign in
            user.save(update_fields=["password"])
        people.append(user)
    return people


def _members(missions: dict[str, Mission], orgs: dict[str, Organisation], lead: User | None) -> int:
    now = timezone.now()
    count = 0
    for slug, rows in MEMBERS.items():
        mission = missions[slug]
        for org_slug, status, statement in rows:
            organisation = orgs[org_slug]
            live = CoalitionMember.objects.filter(
                mission=mission, organisation=organisation, status__in=CoalitionMember.LIVE_STATUSES
            ).first()
            decided = status != CoalitionMember.Status.PENDING
            if status == CoalitionMember.Status.DECLINED:
                if (
                    live is None
                    and not CoalitionMember.objects.filter(
                        mission=mission, organisation=organisation
                    ).exists()
                ):
                    CoalitionMember.objects.create(
                        mission=mission,
                        organisation=organisation,
                        statement=statement,
                        status=status,
                        decided_at=now,
                        decided_by=lead,
                        decision_note="Thank you: the council's own legal team is doing this. Do ask again for other help.",
                    )
                continue
            if live is None:
                live = CoalitionMember(mission=mission, organisation=organisation)
            live.statement, live.status = statement, status
            live.decided_at = (live.decided_at or now) if decided else None
            live.decided_by = lead if decided else None
            live.save()
            count += 1
    return count


def _pledges(
    missions: dict[str, Mission], orgs: dict[str, Organisation], today: dt.date, lead: User | None
) -> int:
    now = timezone.now()
    for spec in PLEDGES:
        mission = missions[spec.mission]
        resident = User.objects.filter(email=spec.by).first() if "@" in spec.by else None
        organisation = None if resident else orgs[spec.by]
        outcome = (
            Outcome.objects.filter(mission=mission, title=spec.outcome).first()
            if spec.outcome
            else None
        )
        pledge, _ = Pledge.objects.update_or_create(
            mission=mission,
            organisation=organisation,
            person=resident,
            title=spec.title,
            defaults={
                "description": spec.description,
                "quantity": Decimal(spec.quantity),
                "unit": spec.unit,
                "due_date": today + dt.timedelta(days=spec.due_in_days),
                "outcome": outcome,
                "money_value": Decimal(spec.money) if spec.money is not None else None,
                "in_kind_value": Decimal(spec.in_kind) if spec.in_kind is not None else None,
                "flagged_at": now if spec.flag else None,
                "flagged_by": lead if spec.flag else None,
                "flag_note": spec.flag,
            },
        )
        pledge.places.set(list(mission.places.all()))
        Pledge.objects.filter(pk=pledge.pk).update(
            created_at=now - dt.timedelta(days=spec.made_days_ago)
        )
        pledge.updates.all().delete()
        PledgeUpdate.objects.bulk_create(
            PledgeUpdate(
                pledge=pledge,
                amount=Decimal(amount),
                reported_on=today - dt.timedelta(days=days),
                note=note or QUARTERLY,
            )
            for days, amount, note in spec.updates
        )
        services.pledge_recount(pledge=pledge)
    return len(PLEDGES)


def _listings(
    missions: dict[str, Mission], orgs: dict[str, Organisation], today: dt.date
) -> tuple[dict[str, Ask], dict[str, Offer]]:
    places = {
        p.code: p
        for p in Place.objects.defer("boundary").filter(code__in={CAMDEN, ISLINGTON, LONDON})
    }
    asks, offers = {}, {}
    for (
        mission,
        org,
        category,
        title,
        quantity,
        unit,
        code,
        starts,
        lasts,
        tags,
        description,
    ) in ASKS:
        ask, _ = Ask.objects.update_or_create(
            mission=missions[mission],
            organisation=orgs[org],
            title=title,
            defaults={
                "category": category,
                "quantity": Decimal(quantity),
                "unit": unit,
                "place": places[code],
                "start_date": today + dt.timedelta(days=starts),
                "end_date": today + dt.timedelta(days=starts + lasts),
                "tags": tags,
                "description": description,
                "status": "open",
                "closed_at": None,
            },
        )
        asks[title] = ask
    for mission, by, category, title, quantity, unit, code, starts, until, tags, consent in OFFERS:
        resident = User.objects.filter(email=by).first() if "@" in by else None
        offer, _ = Offer.objects.update_or_create(
            mission=missions[mission],
            organisation=None if resident else orgs[by],
            person=resident,
            title=title,
            defaults={
                "category": category,
                "quantity": Decimal(quantity),
                "unit": unit,
                "place": places[code],
                "available_from": today + dt.timedelta(days=starts),
                "available_until": today + dt.timedelta(days=until) if until is not None else None,
                "tags": tags,
                "contact_consent": consent,
                "status": "open",
                "closed_at": None,
                "made_by": resident,
            },
        )
        offers[title] = offer
    return asks, offers


def _matches(asks: dict[str, Ask], offers: dict[str, Offer], lead: User | None) -> int:
    now = timezone.now()
    for ask_title, offer_title, status in MATCHES:
        ask, offer = asks[ask_title], offers[offer_title]
        scored = selectors.score_pair(ask, offer)
        connected = status == Match.Status.CONNECTED
        Match.objects.update_or_create(
            ask=ask,
            offer=offer,
            defaults={
                "score": scored.score if scored else 0.5,
                "reasons": selectors.reasons_to_json(scored.reasons) if scored else [],
                "proposed_by": lead,
                "status": status,
                "ask_consented_at": now if connected else None,
                "offer_consented_at": now if connected or offer.contact_consent else None,
            },
        )
    return len(MATCHES)


def _opportunities(
    missions: dict[str, Mission],
    orgs: dict[str, Organisation],
    volunteers: list[User],
    resident: User | None,
) -> tuple[int, int, int]:
    """Opportunities, their sessions (rebuilt around today) and sign-ups: past sessions attended,
    with hours; upcoming ones part booked, some full with people waiting."""
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    places = {
        p.code: p for p in Place.objects.defer("boundary").filter(code__in={CAMDEN, ISLINGTON})
    }
    session_count = sign_up_count = 0
    rota = 0  # walks through the volunteers so each gives time to several things
    for spec in OPPORTUNITIES:
        opportunity, _ = Opportunity.objects.update_or_create(
            mission=missions[spec.mission],
            organisation=orgs[spec.organisation],
            role=spec.role,
            defaults={
                "description": spec.description,
                "place": places[spec.place],
                "location": spec.location,
                "accessibility": spec.accessibility,
                "dbs_check_required": spec.dbs,
                "minimum_age": spec.minimum_age,
                "requirements": spec.requirements,
                "status": "open",
            },
        )
        opportunity.sessions.all().delete()  # and their sign-ups: they only make sense around today
        days = [
            today + dt.timedelta(days=d)
            for d in range(-7 * spec.past_weeks, 7 * spec.upcoming_weeks + 1)
            if d != 0
        ]
        for day in (d for d in days if d.weekday() in spec.weekdays):
            starts = dt.datetime.combine(day, dt.time(*spec.start), tzinfo=tz)
            ends = starts + dt.timedelta(hours=spec.hours)
            past = day < today
            taken = (
                spec.capacity if past else min(spec.capacity, round(spec.capacity * spec.booked))
            )
            waiting = 2 if (not past and taken == spec.capacity and spec.booked >= 1) else 0
            if past:
                taken = max(1, spec.capacity - (day.toordinal() % 3))  # not every session is full
            session = Session.objects.create(
                opportunity=opportunity,
                starts_at=starts,
                ends_at=ends,
                capacity=spec.capacity,
                confirmed_count=taken,
            )
            session_count += 1
            people = []
            for _n in range(taken + waiting):
                people.append(volunteers[rota % len(volunteers)])
                rota += 1
            # Jo Resident helped at past litter picks, so their hours count on their page.
            if (
                past
                and resident is not None
                and spec.role == "Litter pick and tree watering"
                and day.toordinal() % 4 == 0
            ):
                people[0] = resident
            rows = []
            seen: set[int] = set()
            for n, person in enumerate(people):
                if person.pk in seen:
                    continue
                seen.add(person.pk)
                confirmed = n < taken
                attended = (
                    past and confirmed and (n + day.day) % 7 != 0
                )  # one in seven did not come
                rows.append(
                    SignUp(
                        session=session,
                        person=person,
                        status=SignUp.Status.CONFIRMED if confirmed else SignUp.Status.WAITING,
                        attended=(attended if past and confirmed else None),
                        hours=Decimal(str(spec.hours)) if attended else None,
                    )
                )
            SignUp.objects.bulk_create(rows)
            # Keep the count equal to the confirmed rows (a repeated person was skipped above).
            confirmed_rows = sum(1 for r in rows if r.status == SignUp.Status.CONFIRMED)
            if confirmed_rows != taken:
                Session.objects.filter(pk=session.pk).update(confirmed_count=confirmed_rows)
            sign_up_count += len(rows)
    return len(OPPORTUNITIES), session_count, sign_up_count


@transaction.atomic
def demo_coalition() -> CoalitionSummary:
    """Build the demo coalitions. Call after ``demo_build``."""
    today = timezone.localdate()
    borough = Place.objects.defer("boundary").get(code=CAMDEN)
    missions = {
        m.slug: m
        for m in Mission.objects.filter(slug__in=[*MEMBERS, *(s.mission for s in PLEDGES)])
    }
    lead = User.objects.filter(email="lead@camden.example").first()
    resident = User.objects.filter(email="resident@example.org").first()
    orgs = _organisations()
    summary = CoalitionSummary(organisations=len(ORGANISATIONS) + len(content.ORGANISATIONS))
    summary.members = _members(missions, orgs, lead)
    summary.pledges = _pledges(missions, orgs, today, lead)
    asks, offers = _listings(missions, orgs, today)
    summary.asks, summary.offers = len(asks), len(offers)
    # Journey 3: the traders' meeting room is offered from its pledge, so a match on it counts
    # towards the pledge.
    room = offers["Meeting room above the Kentish Town Road shops"]
    room.pledge = Pledge.objects.filter(
        mission=room.mission, organisation=room.organisation, title="A meeting room one day a week"
    ).first()
    room.save(update_fields=["pledge", "updated_at"])
    summary.matches = _matches(asks, offers, lead)
    volunteers = _volunteers(borough)
    summary.opportunities, summary.sessions, summary.sign_ups = _opportunities(
        missions, orgs, volunteers, resident
    )
    return summary
