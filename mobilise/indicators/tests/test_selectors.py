"""Reads behind the indicator pages: latest values, comparisons, neighbours, maps and statuses."""

import math

import numpy as np
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mobilise.engines.trajectory import ProgressAssessor, Trajectory
from mobilise.indicators import selectors
from mobilise.indicators.models import Indicator
from mobilise.indicators.tests.factories import (
    IndicatorFactory,
    ObservationFactory,
    SeriesFactory,
    TargetFactory,
    observations_for,
)
from mobilise.places.selectors import ancestors, place_detail

from .pages_world import PM25_2021, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    return build_world()


def test_latest_values_are_the_latest_period_per_series_and_place(world):
    camden = world.places["E09000007"]
    # A gap and an out-of-order insert: the latest is by time, not by id or period text.
    ObservationFactory(
        series=world.population.series.get(), place=camden, period="2022/23", value=1.0
    )
    latest = selectors.latest_values(
        [world.headline.pk, world.female.pk, world.population.series.get().pk],
        [camden.pk, world.places["E92000001"].pk],
    )
    assert latest[(world.headline.pk, camden.pk)].value == PM25_2021["E09000007"]
    assert latest[(world.headline.pk, camden.pk)].period == "2021"
    assert latest[(world.female.pk, camden.pk)].value == pytest.approx(PM25_2021["E09000007"] - 0.2)
    assert latest[(world.population.series.get().pk, camden.pk)].period == "2022/23"
    assert (world.population.series.get().pk, world.places["E92000001"].pk) not in latest
    assert selectors.latest_values([], [camden.pk]) == {}


def test_place_indicators_compare_with_region_and_nation(world):
    camden = place_detail("E09000007")
    compare, rows = selectors.place_indicators(camden, ancestors(camden))
    assert [c.code for c in compare] == ["E12000007", "E92000001"]
    row = next(r for r in rows if r.indicator.code == "pm25")
    assert row.latest.value == PM25_2021["E09000007"]
    assert [v.value for v in row.comparisons] == [PM25_2021["E12000007"], PM25_2021["E92000001"]]
    # The status is the engine's, for the target's series, judged a year after the latest data.
    history = selectors.series_history(world.headline, camden)
    expected = ProgressAssessor().assess(
        [v.time for v in history],
        [v.value for v in history],
        Trajectory((2015.0, 8.7), (2030.0, 4.0), [(2025.0, 6.0)]),
        "lower_is_better",
        now=2022.0,
        bounds=(0, 100),
    )
    assert row.status == expected.status.value
    assert row.explanation == expected.explanation
    # Indicators without a target say so; population has no comparisons (no regional figure).
    population = next(r for r in rows if r.indicator.code == "population")
    assert population.status == "no_target"
    assert population.comparisons == [None, None]


def test_region_is_compared_with_its_nation_and_a_nation_with_the_uk(world):
    london = place_detail("E12000007")
    assert [c.code for c in selectors.place_indicators(london, ancestors(london))[0]] == [
        "E92000001"
    ]
    wales = place_detail("W92000004")
    assert [c.code for c in selectors.place_indicators(wales, ancestors(wales))[0]] == ["K02000001"]


def test_a_place_without_data_has_no_rows(world):
    from mobilise.places.tests.factories import PlaceFactory

    empty = PlaceFactory(code="E06000099")
    assert selectors.place_indicators(empty, [])[1] == []


def test_place_indicators_query_count_does_not_grow_with_indicators(world):
    camden = place_detail("E09000007")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            selectors.place_indicators(camden, ancestors(camden))
        return len(ctx.captured_queries)

    cache.clear()
    few = count()
    for i in range(15):
        series = SeriesFactory(indicator=IndicatorFactory(code=f"extra-{i}"))
        observations_for(series, camden, {"2019": i, "2020": i + 1})
        TargetFactory(
            series=series, place=camden, baseline_period="2019", baseline_value=i, target_year=2030
        )
    cache.clear()
    assert count() == few


def test_nearest_neighbours_use_standardised_euclidean_distance(world):
    camden = world.places["E09000007"]
    result = selectors.nearest_neighbours(camden, count=3)
    codes = ["E09000007", "E09000019", "E09000033", "E09000012", "E08000003", "E08000006"]
    pops = {
        "E09000007": 210_000,
        "E09000019": 215_000,
        "E09000033": 205_000,
        "E09000012": 280_000,
        "E08000003": 550_000,
        "E08000006": 260_000,
    }
    imd = {
        "E09000007": 20.1,
        "E09000019": 27.0,
        "E09000033": 20.5,
        "E09000012": 32.0,
        "E08000003": 40.0,
        "E08000006": 31.0,
    }
    matrix = np.array([[math.log10(pops[c]), imd[c]] for c in codes])
    scaled = matrix / matrix.std(axis=0)
    distance = np.sqrt(((scaled - scaled[0]) ** 2).sum(axis=1))
    expected = [codes[i] for i in np.argsort(distance) if codes[i] != "E09000007"][:3]
    assert [n.place.code for n in result.neighbours] == expected
    assert result.neighbours[0].place.code == "E09000033"  # nearly the same on both
    assert [n.distance for n in result.neighbours] == pytest.approx(sorted(distance)[1:4])
    assert result.pool_size == 6
    # Only the same tier: no region or nation is ever a neighbour of a borough.
    assert all(n.place.kind == "unitary" for n in result.neighbours)


def test_no_neighbours_without_the_comparison_data(world, settings):
    settings.MOBILISE_NEIGHBOUR_INDICATORS = ["population", "not-loaded"]
    assert selectors.nearest_neighbours(world.places["E09000007"]) is None
    settings.MOBILISE_NEIGHBOUR_INDICATORS = ["population", "imd-2019-score"]
    assert selectors.nearest_neighbours(world.places["W06000015"]) is None  # no IMD for Wales


def test_neighbour_comparison_ranks_by_polarity(world):
    hood = selectors.nearest_neighbours(world.places["E09000007"], count=3)
    rows = {r.indicator.code: r for r in selectors.neighbour_comparison(hood)}
    pm = rows["pm25"]
    values = [PM25_2021[n.place.code] for n in hood.neighbours]
    assert pm.own.value == PM25_2021["E09000007"]
    assert pm.median == pytest.approx(float(np.median(values)))
    # Lower is better: rank 1 is the lowest.
    assert pm.rank == 1 + sum(1 for v in values if v < PM25_2021["E09000007"])
    assert pm.ranked == 4


def test_choropleth_ranks_classes_and_leaves_out_other_levels(world):
    result = selectors.choropleth(world.indicator, world.headline, "la")
    codes = {r.place.code for r in result.rows}
    assert codes == {
        "E09000007",
        "E09000019",
        "E09000033",
        "E09000012",
        "E08000003",
        "E08000006",
        "W06000015",
    }
    by_rank = sorted(result.rows, key=lambda r: r.rank)
    assert [r.value.value for r in by_rank] == sorted(r.value.value for r in result.rows)
    assert by_rank[0].place.code == "W06000015"  # lowest is best
    # Every value falls in its class; classes run light to dark.
    for row in result.rows:
        c = result.classes[row.colour_class]
        assert c.low - 1e-9 <= row.value.value <= c.high + 1e-9
    assert result.classes[0].colour == selectors.PALETTE[0]
    assert result.classes[-1].colour == selectors.PALETTE[-1]
    assert len(result.paths) == len(result.rows)
    assert result.periods[0] == "2021"

    regions = selectors.choropleth(world.indicator, world.headline, "region")
    # English regions, and Wales (a nation without regions); England itself is not an area.
    assert {r.place.code for r in regions.rows} == {"E12000007", "E12000002", "W92000004"}


def test_choropleth_for_one_period(world):
    result = selectors.choropleth(world.indicator, world.headline, "la", "2016")
    assert result.period == "2016"
    assert {r.value.period for r in result.rows} == {"2016"}
    assert selectors.choropleth(world.indicator, world.headline, "la", "1066").period == ""


def test_choropleth_prefers_a_successor_and_shows_an_old_code_alone(world):
    from mobilise.places.models import Place
    from mobilise.places.tests.factories import square_bbox, square_boundary

    north_west = world.places["E12000002"]
    old = Place.objects.create(
        code="E07000001",
        name="Old District",
        kind="district",
        parent=north_west,
        valid_to=2019,
        boundary=square_boundary(-2.6, 53.4),
        bbox=square_bbox(-2.6, 53.4),
    )
    gone = Place.objects.create(
        code="E07000002",
        name="Gone District",
        kind="district",
        parent=north_west,
        valid_to=2019,
        boundary=square_boundary(-2.7, 53.4),
        bbox=square_bbox(-2.7, 53.4),
    )
    new = Place.objects.create(
        code="E06000070",
        name="New Unitary",
        kind="unitary",
        parent=north_west,
        valid_from=2020,
        boundary=square_boundary(-2.7, 53.4, 0.2),
        bbox=square_bbox(-2.7, 53.4, 0.2),
    )
    old.successors.add(new)
    gone.successors.add(new)
    observations_for(world.headline, old, {"2019": 3.0})
    observations_for(world.headline, new, {"2021": 3.5})
    codes = {r.place.code for r in selectors.choropleth(world.indicator, world.headline, "la").rows}
    assert "E06000070" in codes and "E07000001" not in codes
    in_2019 = selectors.choropleth(world.indicator, world.headline, "la", "2019")
    assert "E07000001" in {r.place.code for r in in_2019.rows}
    assert "E06000070" not in {p.code for p in in_2019.no_data}


def test_map_rows_sort(world):
    rows = selectors.choropleth(world.indicator, world.headline, "la").rows
    names = [r.place.name for r in selectors.sort_map_rows(rows, "name", False)]
    assert names == sorted(names, key=str.lower)
    values = [r.value.value for r in selectors.sort_map_rows(rows, "value", True)]
    assert values == sorted(values, reverse=True)


def test_geojson_is_compact_and_cached(world):
    body, etag = selectors.geojson_bytes("la")
    assert body.startswith(b'{"type":"FeatureCollection"')
    assert selectors.geojson_bytes("la") == (body, etag)


def test_outcome_statuses_roll_up_worst_of_assessed(world):
    camden, islington = world.places["E09000007"], world.places["E09000019"]
    world.mission.places.add(islington)
    second = SeriesFactory(
        indicator=IndicatorFactory(code="smoking", polarity=Indicator.Polarity.LOWER)
    )
    second.indicator.outcomes.add(world.outcome)
    # Islington: on course (falling fast to a lenient target); Camden: only two points.
    observations_for(second, islington, {"2018": 20, "2019": 18, "2020": 16, "2021": 14})
    observations_for(second, camden, {"2020": 16, "2021": 15})
    TargetFactory(
        series=second,
        place=islington,
        baseline_period="2018",
        baseline_value=20,
        target_year=2030,
        target_value=10,
    )
    TargetFactory(
        series=second,
        place=camden,
        baseline_period="2020",
        baseline_value=16,
        target_year=2030,
        target_value=10,
    )
    [data] = selectors.outcome_statuses([world.outcome], world.mission)
    cells = {(c.indicator.code, c.place.code): c.status for i in data.indicators for c in i.places}
    assert cells[("smoking", "E09000019")] == "on_track"
    assert cells[("smoking", "E09000007")] == "insufficient_data"
    assert cells[("pm25", "E09000019")] == "no_target"
    pm25 = cells[("pm25", "E09000007")]
    statuses = {pm25, "on_track"}
    worst = next(s for s in ("off_track", "at_risk", "on_track") if s in statuses)
    assert data.rollup.status.value == worst
    assert data.rollup.total == 3  # no-target cells are not part of the plan
    assert selectors.mission_rollup([data]).status == data.rollup.status


def test_assess_targets_matches_the_engine_one_by_one(world):
    camden = world.places["E09000007"]
    other = TargetFactory(
        series=world.female,
        place=camden,
        baseline_period="2016",
        baseline_value=8.0,
        target_year=2028,
        target_value=7.5,
    )
    result = selectors.assess_targets([world.target, other])
    history = selectors.series_history(world.female, camden)
    single = ProgressAssessor().assess(
        [v.time for v in history],
        [v.value for v in history],
        Trajectory((2016.0, 8.0), (2028.0, 7.5)),
        "lower_is_better",
        now=2022.0,
        bounds=(0, 100),
    )
    assert result[other.pk].assessment.status == single.status
    assert result[other.pk].assessment.explanation == single.explanation


def test_assess_targets_with_and_without_natural_limits(world):
    camden = world.places["E09000007"]
    population = world.population.series.get()
    observations_for(population, camden, {"2017": 200_000, "2018": 204_000, "2019": 207_000})
    growth = TargetFactory(
        series=population,
        place=camden,
        baseline_period="2017",
        baseline_value=200_000,
        target_year=2030,
        target_value=250_000,
    )
    result = selectors.assess_targets([world.target, growth])
    assert result[growth.pk].assessment.status.value in {"on_track", "at_risk", "off_track"}
    assert result[world.target.pk].assessment.projection.lower >= 0  # a percentage stays in 0–100
