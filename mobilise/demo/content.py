"""What the demo contains: the UK's five national missions and one London borough's own missions.

The national missions are the UK Government's five missions (2024). The borough is the London
Borough of Camden (ONS code E09000007); its missions, organisations and people are illustrative.
"""

BOROUGH_CODE = "E09000007"
DEMO_PASSWORD = "mobilise-demo-2026"

ORGANISATIONS = [
    {
        "slug": "national-mission-board",
        "name": "National Mission Board",
        "sector": "public_body",
        "place": "K02000001",
        "description": "Convenes government, places and partners around the five national missions.",
    },
    {
        "slug": "camden-council",
        "name": "London Borough of Camden",
        "sector": "public_body",
        "place": BOROUGH_CODE,
        "registered_number": "",
        "website": "https://www.camden.gov.uk/",
        "description": "The local council for Camden, leading the borough's missions with its partners.",
    },
    {
        "slug": "kentish-town-traders",
        "name": "Kentish Town Traders' Association",
        "sector": "business",
        "place": BOROUGH_CODE,
        "description": "Independent shops and cafés on Kentish Town Road and around it.",
    },
    {
        "slug": "camden-community-energy",
        "name": "Camden Community Energy",
        "sector": "charity",
        "place": BOROUGH_CODE,
        "registered_number": "CE000000",
        "description": "A community benefit society putting solar panels on schools and estates.",
    },
    {
        "slug": "somers-town-neighbours",
        "name": "Somers Town Neighbours",
        "sector": "community",
        "place": BOROUGH_CODE,
        "description": "Residents working together on green space, food and safer streets.",
    },
    {
        "slug": "camden-unison",
        "name": "Camden Public Service Workers' Union Branch",
        "sector": "union",
        "place": BOROUGH_CODE,
        "description": "Represents council, school and care workers in the borough.",
    },
    {
        "slug": "north-london-college",
        "name": "North London College",
        "sector": "education",
        "place": BOROUGH_CODE,
        "description": "Further education college with green-skills apprenticeships.",
    },
    {
        "slug": "royal-free-health-partners",
        "name": "Camden Health Partners",
        "sector": "health",
        "place": BOROUGH_CODE,
        "description": "NHS trusts and GP federations serving Camden residents.",
    },
]

# email, name, platform roles, [(organisation slug, membership role)]
USERS = [
    ("admin@mobilise.example", "Alex Admin", ["platform_admin"], [], True),
    (
        "lead@camden.example",
        "Priya Shah",
        ["mission_lead", "resident"],
        [("camden-council", "admin")],
        False,
    ),
    (
        "board@missions.example",
        "Tom Okafor",
        ["mission_lead"],
        [("national-mission-board", "admin")],
        False,
    ),
    (
        "council@camden.example",
        "Margaret Hughes",
        ["council_member", "resident"],
        [("camden-unison", "member")],
        False,
    ),
    (
        "partner@traders.example",
        "Sam Green",
        ["partner", "resident"],
        [("kentish-town-traders", "admin")],
        False,
    ),
    ("resident@example.org", "Jo Resident", ["resident"], [], False),
]

# Theory of change: nodes are (key, kind, title); links are (source key, target key, rationale).
NATIONAL_MISSIONS = [
    {
        "slug": "growth",
        "title": "Kickstart economic growth",
        "statement": "Secure the highest sustained growth in the G7, with good jobs and productivity growth in every part of the country.",
        "why": "Growth pays for public services and raises living standards, but for fifteen years it has been slow and unevenly shared between places.",
        "horizon": 2030,
        "outcomes": [
            (
                "Higher living standards in every region",
                "Real household disposable income rises in every nation and region.",
                "2029-12-31",
            ),
            (
                "More good jobs",
                "Employment rate rises towards 80% with better-paid, secure work.",
                "2030-12-31",
            ),
        ],
        "toc": {
            "nodes": [
                ("invest", "input", "Public investment through the National Wealth Fund"),
                ("plan", "activity", "Local growth plans agreed with every combined authority"),
                ("sites", "output", "Sites ready for business and housing"),
                ("jobs", "outcome", "More good jobs"),
                ("impact", "impact", "Higher living standards in every region"),
                ("ass", "assumption", "Private investment follows public investment"),
            ],
            "links": [
                ("invest", "plan", "Plans decide where investment goes first."),
                ("plan", "sites", "Plans unlock planning and infrastructure for named sites."),
                ("sites", "jobs", "Employers locate where sites are ready."),
                ("jobs", "impact", "Better-paid work raises household incomes."),
                ("ass", "sites", "Without private money, sites stay empty."),
            ],
        },
    },
    {
        "slug": "clean-energy",
        "title": "Make Britain a clean energy superpower",
        "statement": "Deliver clean power by 2030 and accelerate to net zero, cutting bills and creating good jobs.",
        "why": "Clean, home-grown power protects households from price shocks and cuts the emissions that drive climate change.",
        "horizon": 2030,
        "outcomes": [
            (
                "Clean power by 2030",
                "At least 95% of electricity generated from low-carbon sources.",
                "2030-12-31",
            ),
            (
                "Lower territorial emissions",
                "Greenhouse gas emissions fall in line with the carbon budgets.",
                "2035-12-31",
            ),
        ],
        "toc": {
            "nodes": [
                ("gbe", "input", "Great British Energy investment"),
                ("local", "activity", "Local power plans with councils and communities"),
                ("capacity", "output", "More renewable capacity installed"),
                ("clean", "outcome", "Clean power by 2030"),
                ("net", "impact", "Net zero and lower bills"),
                ("grid", "assumption", "Grid connections keep pace with new generation"),
            ],
            "links": [
                ("gbe", "local", "Funding lets councils and communities own generation."),
                ("local", "capacity", "Local plans identify roofs, land and heat networks."),
                ("capacity", "clean", "Renewables displace gas generation."),
                ("clean", "net", "Clean power is the foundation for electric transport and heat."),
                ("grid", "capacity", "Capacity only counts once it is connected."),
            ],
        },
    },
    {
        "slug": "safer-streets",
        "title": "Take back our streets",
        "statement": "Halve serious violence and raise confidence in the police and criminal justice system to its highest level within a decade.",
        "why": "Everyone should feel safe in their neighbourhood; violence and antisocial behaviour fall hardest on the poorest places.",
        "horizon": 2034,
        "outcomes": [
            ("Halve knife crime", "Knife crime falls by half within a decade.", "2034-12-31"),
            (
                "Halve violence against women and girls",
                "Violence against women and girls falls by half within a decade.",
                "2034-12-31",
            ),
        ],
        "toc": {
            "nodes": [
                ("officers", "input", "Neighbourhood police officers and PCSOs"),
                ("youth", "activity", "Young futures hubs in every area"),
                ("diverted", "output", "Young people diverted from violence"),
                ("knife", "outcome", "Halve knife crime"),
                ("safe", "impact", "Everyone feels safe in their neighbourhood"),
            ],
            "links": [
                ("officers", "youth", "Officers refer young people at risk early."),
                ("youth", "diverted", "Hubs offer mentoring, sport and work."),
                ("diverted", "knife", "Fewer young people carry knives."),
                ("knife", "safe", "Less violence raises confidence."),
            ],
        },
    },
    {
        "slug": "health",
        "title": "Build an NHS fit for the future",
        "statement": "Build an NHS that is there when people need it, with fewer lives lost to the biggest killers and a fairer Britain where everyone lives well for longer.",
        "why": "Waiting lists are long and healthy life expectancy differs by a decade between richer and poorer places.",
        "horizon": 2035,
        "outcomes": [
            (
                "Fewer lives lost to the biggest killers",
                "Lower premature mortality from heart disease, stroke, cancer and suicide.",
                "2035-12-31",
            ),
            (
                "Healthy life expectancy gap halved",
                "The gap in healthy life expectancy between richest and poorest areas halves.",
                "2035-12-31",
            ),
        ],
        "toc": {
            "nodes": [
                ("prevention", "activity", "Shift from treatment to prevention"),
                ("community", "activity", "Care moved from hospital to community"),
                ("screened", "output", "More people screened and treated early"),
                ("killers", "outcome", "Fewer lives lost to the biggest killers"),
                ("fairer", "impact", "Everyone lives well for longer"),
            ],
            "links": [
                ("prevention", "screened", "Prevention finds disease early."),
                (
                    "community",
                    "screened",
                    "Local services reach people who miss hospital appointments.",
                ),
                ("screened", "killers", "Early treatment saves lives."),
                ("killers", "fairer", "Premature deaths are concentrated in poorer places."),
            ],
        },
    },
    {
        "slug": "opportunity",
        "title": "Break down barriers to opportunity",
        "statement": "Break the link between background and success by reforming childcare and education so every child can achieve and thrive.",
        "why": "Where you are born still shapes how well you do at school, and in work.",
        "horizon": 2035,
        "outcomes": [
            (
                "School-ready children",
                "A record share of children reach a good level of development at age five.",
                "2028-12-31",
            ),
            (
                "More young people in education, employment or training",
                "Fewer young people are not in education, employment or training.",
                "2030-12-31",
            ),
        ],
        "toc": {
            "nodes": [
                ("childcare", "input", "Funded childcare places"),
                ("family", "activity", "Family hubs in every area"),
                ("ready", "outcome", "School-ready children"),
                ("life", "impact", "Background no longer decides success"),
            ],
            "links": [
                ("childcare", "family", "Childcare brings families into contact with support."),
                ("family", "ready", "Early help improves language and development."),
                ("ready", "life", "A good start compounds through school."),
            ],
        },
    },
]

BOROUGH_MISSIONS = [
    {
        "slug": "camden-clean-air",
        "title": "Clean air and net zero travel in Camden",
        "contributes_to": "clean-energy",
        "statement": "Halve Camden's transport emissions by 2035 and bring air pollution within WHO guidelines.",
        "why": "Road transport is Camden's biggest source of nitrogen dioxide and a fifth of its carbon emissions; children on main roads breathe the worst air.",
        "horizon": 2035,
        "outcomes": [
            (
                "Halve transport emissions by 2035",
                "Transport CO2 emissions in Camden fall to half their 2019 level by 2035.",
                "2035-12-31",
            ),
            (
                "Cleaner air near schools",
                "Fine particulate (PM2.5) exposure falls, especially around schools.",
                "2030-12-31",
            ),
            (
                "More journeys by foot, cycle and public transport",
                "Four in five trips made by walking, cycling or public transport.",
                "2030-12-31",
            ),
        ],
        "toc": {
            "nodes": [
                ("funding", "input", "Council transport budget and partner funding"),
                ("streets", "activity", "School streets and low-traffic neighbourhoods"),
                ("charging", "activity", "On-street electric vehicle charging"),
                ("closed", "output", "School streets closed to traffic at drop-off and pick-up"),
                ("shift", "outcome", "More journeys by foot, cycle and public transport"),
                ("emissions", "outcome", "Halve transport emissions by 2035"),
                ("air", "impact", "Everyone in Camden breathes clean air"),
                (
                    "support",
                    "assumption",
                    "Residents support changes to their streets when they shape them",
                ),
            ],
            "links": [
                (
                    "funding",
                    "streets",
                    "Schemes need design, consultation and enforcement cameras.",
                ),
                ("funding", "charging", "Chargers are installed where residents ask for them."),
                ("streets", "closed", "Each school street is a timed closure."),
                ("closed", "shift", "Families walk and cycle when the school run feels safe."),
                ("charging", "emissions", "Remaining car trips switch to electric."),
                ("shift", "emissions", "Fewer car trips cut emissions directly."),
                (
                    "emissions",
                    "air",
                    "Less traffic means less nitrogen dioxide and particulate matter.",
                ),
                ("support", "streets", "Schemes imposed without residents are reversed."),
            ],
        },
    },
    {
        "slug": "camden-healthy-lives",
        "title": "Healthy lives in every Camden neighbourhood",
        "contributes_to": "health",
        "statement": "Close the nine-year gap in healthy life expectancy between Camden's wards by 2035.",
        "why": "A child born in Hampstead can expect nine more years of good health than one born a mile away in Kilburn.",
        "horizon": 2035,
        "outcomes": [
            ("Fewer people smoking", "Adult smoking prevalence falls below 5%.", "2030-12-31"),
            (
                "Healthier neighbourhoods",
                "More residents live within ten minutes' walk of green space and healthy food.",
                "2032-12-31",
            ),
        ],
        "toc": {
            "nodes": [
                ("hubs", "activity", "Neighbourhood health hubs with GP federations"),
                ("quit", "output", "More people supported to stop smoking"),
                ("smoking", "outcome", "Fewer people smoking"),
                ("gap", "impact", "Healthy life expectancy gap closed"),
            ],
            "links": [
                ("hubs", "quit", "Hubs offer stop-smoking support where people already go."),
                ("quit", "smoking", "Supported quit attempts succeed three times as often."),
                ("smoking", "gap", "Smoking is the biggest single cause of the gap."),
            ],
        },
    },
    {
        "slug": "camden-good-work",
        "title": "Good work for everyone in Camden",
        "contributes_to": "growth",
        "statement": "Make sure every Camden resident can get a good, secure job in the borough's knowledge economy by 2030.",
        "why": "Camden has more jobs than residents, but many of them go to commuters while local young people are left out.",
        "horizon": 2030,
        "outcomes": [
            (
                "More residents in good jobs",
                "The employment rate of Camden residents rises above the London average.",
                "2030-12-31",
            ),
            (
                "Green skills for young people",
                "500 young residents complete green-skills apprenticeships.",
                "2028-12-31",
            ),
        ],
        "toc": {
            "nodes": [
                ("anchors", "input", "Anchor employers' recruitment commitments"),
                (
                    "apprentice",
                    "activity",
                    "Green-skills apprenticeships with North London College",
                ),
                ("starts", "output", "Apprenticeship starts by local young people"),
                ("jobs", "outcome", "More residents in good jobs"),
                ("fair", "impact", "A fairer share of Camden's prosperity"),
            ],
            "links": [
                (
                    "anchors",
                    "apprentice",
                    "Employers co-design courses so they lead to real vacancies.",
                ),
                ("apprentice", "starts", "Places are ring-fenced for Camden residents."),
                ("starts", "jobs", "Most apprentices are kept on."),
                ("jobs", "fair", "Local people share in local growth."),
            ],
        },
    },
]
