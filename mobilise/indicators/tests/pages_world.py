"""A small world for the indicator pages' tests: a few places with square boundaries, an indicator
with a breakdown, population and deprivation for the neighbour comparison, a target, and a mission
whose outcome the indicator measures.

    UK > England > London > Camden, Islington, Westminster, Hackney
               > North West > Manchester, Salford
       > Wales (no regions) > Cardiff
"""

from dataclasses import dataclass, field

from mobilise.accounts.tests.factories import OrganisationFactory
from mobilise.indicators.models import Indicator, Series
from mobilise.indicators.tests.factories import (
    IndicatorFactory,
    MilestoneFactory,
    SeriesFactory,
    TargetFactory,
    observations_for,
)
from mobilise.missions.tests.factories import MissionFactory, OutcomeFactory
from mobilise.places.models import Place
from mobilise.places.tests.factories import square_bbox, square_boundary

YEARS = [str(y) for y in range(2015, 2022)]

# Latest (2021) values of the headline series, lower is better.
PM25_2021 = {
    "K02000001": 5.6,
    "E92000001": 5.5,
    "W92000004": 4.1,
    "E12000007": 6.5,
    "E12000002": 5.0,
    "E09000007": 6.9,
    "E09000019": 7.1,
    "E09000033": 7.4,
    "E09000012": 6.7,
    "E08000003": 5.9,
    "E08000006": 5.4,
    "W06000015": 4.2,
}


@dataclass
class World:
    places: dict[str, Place]
    indicator: Indicator
    headline: Series
    female: Series
    population: Indicator
    imd: Indicator
    target: object
    mission: object
    outcome: object
    owner: object
    extra: dict = field(default_factory=dict)


def _place(code, name, kind, parent=None, box=None, **kw) -> Place:
    boundary = square_boundary(*box) if box else None
    return Place.objects.create(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        boundary=boundary,
        bbox=square_bbox(*box) if box else None,
        **kw,
    )


def build_world(*, with_target: bool = True) -> World:
    K = Place.Kind
    uk = _place("K02000001", "United Kingdom", K.UK)
    england = _place("E92000001", "England", K.NATION, uk)
    wales = _place("W92000004", "Wales", K.NATION, uk, box=(-4.0, 51.5, 1.0))
    london = _place("E12000007", "London", K.REGION, england, box=(-0.5, 51.3, 0.6))
    north_west = _place("E12000002", "North West", K.REGION, england, box=(-3.0, 53.0, 1.0))
    places = {p.code: p for p in (uk, england, wales, london, north_west)}
    boroughs = [
        ("E09000007", "Camden", london, (-0.2, 51.5, 0.05)),
        ("E09000019", "Islington", london, (-0.1, 51.5, 0.05)),
        ("E09000033", "Westminster", london, (-0.2, 51.45, 0.05)),
        ("E09000012", "Hackney", london, (-0.1, 51.45, 0.05)),
        ("E08000003", "Manchester", north_west, (-2.3, 53.4, 0.1)),
        ("E08000006", "Salford", north_west, (-2.4, 53.4, 0.1)),
        ("W06000015", "Cardiff", wales, (-3.2, 51.45, 0.1)),
    ]
    for code, name, parent, box in boroughs:
        places[code] = _place(code, name, K.UNITARY, parent, box=box)

    indicator = IndicatorFactory(
        code="pm25",
        title="Deaths attributable to particulate air pollution",
        unit="Percentage (%)",
        polarity=Indicator.Polarity.LOWER,
        source_name="UK Health Security Agency",
        source_url="https://example.org/pm25",
        licence="Open Government Licence v3.0",
        attribution="Contains public sector information licensed under the Open Government Licence v3.0",
        methodology_url="https://example.org/pm25/method",
        dimensions=["Sex"],
    )
    headline = SeriesFactory(indicator=indicator)
    female = SeriesFactory(indicator=indicator, key="Sex=Female", dimensions={"Sex": "Female"})
    for code, latest in PM25_2021.items():
        # A steady fall of 0.3 a year to the 2021 value.
        values = {y: round(latest + 0.3 * (2021 - int(y)), 2) for y in YEARS}
        observations_for(headline, places[code], values)
        observations_for(female, places[code], {y: v - 0.2 for y, v in values.items()})

    population = IndicatorFactory(
        code="population", title="Population", unit="people", polarity="neutral"
    )
    imd = IndicatorFactory(
        code="imd-2019-score", title="Deprivation score", unit="score", polarity="lower"
    )
    pop_series, imd_series = SeriesFactory(indicator=population), SeriesFactory(indicator=imd)
    features = {
        "E09000007": (210_000, 20.1),
        "E09000019": (215_000, 27.0),
        "E09000033": (205_000, 20.5),
        "E09000012": (280_000, 32.0),
        "E08000003": (550_000, 40.0),
        "E08000006": (260_000, 31.0),
    }
    for code, (pop, score) in features.items():
        observations_for(pop_series, places[code], {"2020": pop})
        observations_for(imd_series, places[code], {"2019": score})

    owner = OrganisationFactory(name="London Borough of Camden")
    mission = MissionFactory(owner=owner, title="Clean air in Camden", slug="clean-air-camden")
    mission.places.add(places["E09000007"])
    outcome = OutcomeFactory(mission=mission, title="Cleaner air", slug="cleaner-air")
    indicator.outcomes.add(outcome)
    target = None
    if with_target:
        target = TargetFactory(
            series=headline,
            place=places["E09000007"],
            baseline_period="2015",
            baseline_value=8.7,
            target_year=2030,
            target_value=4.0,
        )
        MilestoneFactory(target=target, year=2025, value=6.0)
    return World(
        places=places,
        indicator=indicator,
        headline=headline,
        female=female,
        population=population,
        imd=imd,
        target=target,
        mission=mission,
        outcome=outcome,
        owner=owner,
    )
