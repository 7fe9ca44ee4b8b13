"""The indicator pages over HTTP: index, indicator page (chart island = table = database), CSV,
map and its sortable table, the place comparison page, and the sections on place, mission and
outcome pages."""

import csv
import io
import json
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mobilise.indicators.models import Observation
from mobilise.indicators.tests.factories import IndicatorFactory, SeriesFactory, observations_for
from mobilise.missions.models import Mission
from mobilise.missions.tests.factories import MissionFactory, OutcomeFactory

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


def island(html: str, element_id: str):
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no data island {element_id}"
    return json.loads(match.group(1))


def table_rows(html: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    body = table.split("<tbody", 1)[1]
    rows = []
    for tr in re.findall(r"<tr.*?</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        rows.append([unescape(re.sub(r"<[^>]+>", " ", c)).split() for c in cells])
    return [[" ".join(c) for c in row] for row in rows]


def test_index_lists_filters_and_searches(client, world):
    national = MissionFactory(
        title="Cleaner air nationwide", slug="air", scope=Mission.Scope.NATIONAL
    )
    world.mission.contributes_to = national
    world.mission.save()
    html = client.get("/indicators/").content.decode()
    assert "Deaths attributable to particulate air pollution" in html and "Population" in html
    html = client.get("/indicators/?q=particulate").content.decode()
    assert "Deaths attributable" in html and ">Population<" not in html
    html = client.get("/indicators/?theme=air").content.decode()
    assert "Deaths attributable" in html and ">Population<" not in html
    assert "Cleaner air nationwide" in html
    response = client.get("/indicators/?theme=nonsense")
    assert "Select a theme from the list" in response.content.decode()


def heading(html: str) -> str:
    return re.search(r'id="series-heading">\s*([^<]+)', html).group(1).strip()


def test_indicator_page_defaults_to_the_uk_or_nation_with_most_data(client, world):
    html = client.get("/indicators/pm25/").content.decode()
    assert heading(html) == "United Kingdom"  # the UK wins a tie
    Observation.objects.filter(
        series=world.headline, place__code="K02000001", period="2015"
    ).delete()
    html = client.get("/indicators/pm25/").content.decode()
    assert heading(html) == "England"
    assert "Percentage (%)" in html and "Lower is better" in html
    assert 'href="https://example.org/pm25"' in html and "UK Health Security Agency" in html
    assert "Open Government Licence v3.0" in html and "Contains public sector information" in html
    assert 'href="https://example.org/pm25/method"' in html
    assert "Sex" in html  # breakdowns
    assert "Cleaner air" in html and "Clean air in Camden" in html  # the outcome it measures


def test_chart_island_equals_table_equals_database(client, world):
    camden = world.places["E09000007"]
    html = client.get("/indicators/pm25/?place=E09000007").content.decode()
    data = island(html, "indicator-chart-data")
    db = list(
        Observation.objects.filter(series=world.headline, place=camden)
        .order_by("time")
        .values_list("period", "time", "value")
    )
    assert [(a["period"], a["x"], a["y"]) for a in data["actual"]] == [
        (p, t, round(v, data["decimals"])) for p, t, v in db
    ]
    # The trajectory: baseline, milestone, target.
    assert [(t["x"], t["y"]) for t in data["trajectory"]] == [
        (2015.0, 8.7),
        (2025.0, 6.0),
        (2030.0, 4.0),
    ]
    assert data["projection"][0]["x"] == 2021.0 and data["projection"][-1]["x"] == 2030.0

    rows = {r[0]: r for r in table_rows(html, "indicator-table")}
    fmt = "{:,.DECf}".replace("DEC", str(data["decimals"]))
    for period, _t, value in db:
        assert rows[period][1] == fmt.format(value)
    for t in data["trajectory"]:
        assert rows[t["period"]][2] == fmt.format(t["y"])
    for p in data["projection"]:
        assert rows[p["period"]][3] == fmt.format(p["y"])
        assert rows[p["period"]][4] == f"{fmt.format(p['low'])} to {fmt.format(p['high'])}"
    # The status and its sentence are on the page.
    assert 'id="status-explanation"' in html


def test_breakdown_chooser_and_unknown_choices(client, world):
    html = client.get("/indicators/pm25/?place=E09000007&series=Sex%3DFemale").content.decode()
    data = island(html, "indicator-chart-data")
    assert data["actual"][-1]["y"] == pytest.approx(PM25_2021["E09000007"] - 0.2)
    assert data["trajectory"] == []  # the target is on the headline series
    html = client.get("/indicators/pm25/?place=XX").content.decode()
    assert "Select a place from the list" in html
    assert client.get("/indicators/nope/").status_code == 404


def test_csv_download_has_every_observation(client, world):
    response = client.get("/indicators/pm25/data.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="indicator-pm25.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == Observation.objects.filter(series__indicator=world.indicator).count()
    assert rows[0].keys() >= {
        "indicator",
        "series",
        "Sex",
        "place_code",
        "place_name",
        "period",
        "value",
        "unit",
        "status",
    }
    camden_2021 = [r for r in rows if r["place_code"] == "E09000007" and r["period"] == "2021"]
    assert sorted((r["series"], r["Sex"], round(float(r["value"]), 6)) for r in camden_2021) == [
        ("", "", PM25_2021["E09000007"]),
        ("Sex=Female", "Female", round(PM25_2021["E09000007"] - 0.2, 6)),
    ]
    one = client.get("/indicators/pm25/data.csv?place=E09000007")
    rows = list(csv.DictReader(io.StringIO(b"".join(one.streaming_content).decode())))
    assert {r["place_code"] for r in rows} == {"E09000007"} and len(rows) == 14


def test_map_page_has_svg_legend_and_island(client, world):
    html = client.get("/indicators/pm25/map/").content.decode()
    assert 'name="level" type="radio" value="la" checked' in html
    assert html.count("<path d=") == 7
    data = island(html, "choropleth-data")
    assert {a["code"] for a in data["areas"]} == {
        "E09000007",
        "E09000019",
        "E09000033",
        "E09000012",
        "E08000003",
        "E08000006",
        "W06000015",
    }
    assert data["palette"][0] in html  # the legend swatches
    rows = table_rows(html, "map-table")
    # Default: by rank, best (lowest) first.
    assert rows[0][0] == "Cardiff" and rows[0][3] == "1 of 7"
    html = client.get("/indicators/pm25/map/?level=region").content.decode()
    assert {r[0] for r in table_rows(html, "map-table")} == {"London", "North West", "Wales"}


@pytest.mark.parametrize(
    ("query", "key", "reverse"),
    [
        ("sort=name", lambda r: r[0], False),
        ("sort=name&dir=desc", lambda r: r[0], True),
        ("sort=value", lambda r: float(r[1]), False),
        ("sort=value&dir=desc", lambda r: float(r[1]), True),
        ("sort=rank", lambda r: int(r[3].split()[0]), False),
    ],
)
def test_map_table_sorts_without_javascript(client, world, query, key, reverse):
    html = client.get(f"/indicators/pm25/map/?level=la&{query}").content.decode()
    rows = table_rows(html, "map-table")
    assert rows == sorted(rows, key=key, reverse=reverse)
    column = query.split("&")[0].split("=")[1]
    header = re.search(
        rf'aria-sort="(\w+)">\s*<a class="govuk-link mobilise-sort-link" href="\?level=la&amp;sort={column}',
        html,
    )
    assert header and header.group(1) == ("descending" if reverse else "ascending")


def test_boundaries_are_geojson_with_an_etag(client, world):
    response = client.get("/indicators/maps/la.geojson")
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert len(data["features"]) == 7
    again = client.get("/indicators/maps/la.geojson", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get("/indicators/maps/county.geojson").status_code == 404


def test_place_page_shows_indicators_beside_region_and_nation(client, world):
    html = client.get("/places/E09000007/").content.decode()
    assert 'id="place-indicators-heading"' in html
    row = re.search(
        r'<tr class="govuk-table__row" data-indicator="pm25">.*?</tr>', html, re.S
    ).group(0)
    assert "6.9" in row and "6.5" in row and "5.5" in row  # Camden, London, England
    assert "/indicators/places/E09000007/" in html
    # A place without data gets no section.
    html = client.get("/places/K02000001/").content.decode()
    assert "place-indicators-heading" in html  # the UK has data
    from mobilise.places.tests.factories import PlaceFactory

    PlaceFactory(code="E06000098", name="Nowhere")
    assert "place-indicators-heading" not in client.get("/places/E06000098/").content.decode()


def test_comparison_page_lists_nearest_neighbours(client, world):
    response = client.get("/indicators/places/e09000007/")
    assert response.status_code == 301
    html = client.get("/indicators/places/E09000007/").content.decode()
    rows = table_rows(html, "neighbours-table")
    assert rows[0][0].startswith("Camden")
    assert rows[1][0] == "Westminster"
    comparison = {r[0]: r for r in table_rows(html, "comparison-table")}
    assert comparison["Deaths attributable to particulate air pollution"][1].startswith("6.9")
    assert client.get("/indicators/places/E99999999/").status_code == 404


def test_outcome_and_mission_pages_show_statuses_and_roll_up(client, world):
    html = client.get(world.outcome.get_absolute_url()).content.decode()
    assert 'id="outcome-indicators-heading"' in html
    cell = re.search(r'data-indicator="pm25" data-place="E09000007">.*?</tr>', html, re.S).group(0)
    assert "mobilise-status-tag" in cell
    rollup = re.search(r'class="mobilise-card mobilise-rollup" data-status="(\w+)"', html).group(1)
    assert rollup in {"on_track", "at_risk", "off_track", "insufficient_data"}
    assert "1 target:" in html
    html = client.get(world.mission.get_absolute_url()).content.decode()
    assert re.search(f'mobilise-rollup" data-status="{rollup}"', html)
    assert "1 outcome with targets:" in html
    # A mission whose outcomes no indicator measures has no section.
    other = OutcomeFactory(mission=MissionFactory())
    assert "indicators-heading" not in client.get(other.get_absolute_url()).content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_page_query_counts_do_not_grow_with_data(client, world):
    urls = [
        "/indicators/",
        "/indicators/pm25/?place=E09000007",
        "/indicators/pm25/map/",
        "/indicators/places/E09000007/",
        "/places/E09000007/",
        world.mission.get_absolute_url(),
        world.outcome.get_absolute_url(),
    ]
    for url in urls:
        _queries(client, url)  # warm the caches
    before = {url: _queries(client, url) for url in urls}
    camden = world.places["E09000007"]
    for i in range(12):
        series = SeriesFactory(indicator=IndicatorFactory(code=f"more-{i}"))
        series.indicator.outcomes.add(world.outcome)
        for place in world.places.values():
            observations_for(series, place, {"2020": i, "2021": i + 1})
        from mobilise.indicators.tests.factories import TargetFactory

        TargetFactory(
            series=series, place=camden, baseline_period="2020", baseline_value=i, target_year=2030
        )
    cache.clear()
    for url in urls:
        _queries(client, url)
    after = {url: _queries(client, url) for url in urls}
    assert after == before
    # The mission and outcome pages also carry other apps' sections (coalition, deliberation,
    # assurance, budgeting …), whose queries are theirs to count; the cap is for our pages.
    ours = [url for url in urls if url.startswith("/indicators/") or url.startswith("/places/")]
    assert max(after[url] for url in ours) <= 20


def test_csv_download_neutralises_formulas_but_keeps_negative_numbers(client, world):
    evil = '=HYPERLINK("http://evil.example","Click")'
    series = SeriesFactory(indicator=world.indicator, key=f"Sex={evil}", dimensions={"Sex": evil})
    place = Observation.objects.filter(series__indicator=world.indicator).first().place
    observations_for(series, place, {"2021": -3.5})
    response = client.get("/indicators/pm25/data.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    evil_rows = [r for r in rows if r["Sex"] == "'" + evil]
    assert len(evil_rows) == 1 and evil_rows[0]["value"] == "-3.5"
    assert not [r for r in rows if r["Sex"].startswith("=")]
