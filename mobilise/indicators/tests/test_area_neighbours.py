"""Similar places at the level of the place: ITL 3 areas with ITL 3 areas of the same
classification, combined authorities with combined authorities."""

import pytest
from django.core.cache import cache

from mobilise.indicators import selectors
from mobilise.indicators.tests.factories import IndicatorFactory, SeriesFactory, observations_for
from mobilise.places.models import Place
from mobilise.places.tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def areas(settings):
    settings.MOBILISE_NEIGHBOUR_INDICATORS = ["population", "imd-2019-score"]
    pop = SeriesFactory(indicator=IndicatorFactory(code="population", polarity="neutral"))
    imd = SeriesFactory(indicator=IndicatorFactory(code="imd-2019-score"))
    made = {}
    specs = [
        # code, kind, vintage, valid_to, population, score
        ("TLC11-21", "itl3", 2021, 2024, 480_000, 25.0),
        ("TLC12-21", "itl3", 2021, 2024, 470_000, 26.0),
        ("TLC13-21", "itl3", 2021, 2024, 900_000, 15.0),
        ("TLC31-25", "itl3", 2025, None, 481_000, 25.1),  # same area, later classification
        ("TLC3-25", "itl2", 2025, None, 480_500, 25.0),  # another level
        ("E47000001", "combined", None, None, 2_800_000, 30.0),
        ("E47000002", "combined", None, None, 1_400_000, 29.0),
        ("E47000003", "combined", None, None, 2_300_000, 28.0),
        ("E09000007", "unitary", None, None, 480_000, 25.0),  # a borough: never an area's peer
    ]
    for code, kind, vintage, valid_to, people, score in specs:
        made[code] = PlaceFactory(
            code=code,
            kind=kind,
            vintage=vintage,
            valid_to=valid_to,
            ons_code=code.split("-")[0] if vintage else "",
        )
        observations_for(pop, made[code], {"2020": people})
        observations_for(imd, made[code], {"2019": score})
    return made


def test_itl3_area_is_compared_with_itl3_areas_of_its_classification(areas):
    hood = selectors.nearest_neighbours(areas["TLC11-21"], count=5)
    assert [n.place.code for n in hood.neighbours] == ["TLC12-21", "TLC13-21"]
    assert all(n.place.kind == Place.Kind.ITL3 and n.place.vintage == 2021 for n in hood.neighbours)


def test_combined_authority_is_compared_with_combined_authorities(areas):
    hood = selectors.nearest_neighbours(areas["E47000001"], count=5)
    assert {n.place.code for n in hood.neighbours} == {"E47000002", "E47000003"}
