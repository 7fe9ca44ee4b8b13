"""Place pages on the shipped boundaries."""

import json
import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _places(shipped_places):
    return shipped_places


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def data_island(html: str) -> dict:
    match = re.search(
        r'<script id="place-map-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, "no map data island"
    return json.loads(match.group(1))


def test_index_lists_the_uk_nations_and_regions(client):
    html = html_of(client.get("/places/"))
    for name in (
        "United Kingdom",
        "England",
        "Wales",
        "Scotland",
        "Northern Ireland",
        "London",
        "South East",
    ):
        assert f">{name}</a>" in html
    assert 'href="/places/E12000007/"' in html
    assert 'role="search"' in html and 'name="q"' in html
    assert "Search results" not in html


def test_search_by_name_lists_current_and_retired(client):
    html = html_of(client.get("/places/", {"q": "northamptonshire"}))
    assert "Search results" in html
    for code in ("E06000061", "E06000062", "E10000021", "E07000152"):
        assert code in html
    # Current first, and each row says which it is.
    assert html.index("E06000061") < html.index("E10000021")
    assert "Current" in html and "Retired" in html


def test_search_by_code_is_case_blind(client):
    html = html_of(client.get("/places/", {"q": "e09000022"}))
    assert 'href="/places/E09000022/"' in html
    assert "1 place matches" in html


def test_search_with_no_match_says_so(client):
    html = html_of(client.get("/places/", {"q": "Atlantis"}))
    assert "No places match “Atlantis”" in html


def test_search_too_long_shows_an_error(client):
    html = html_of(client.get("/places/", {"q": "x" * 101}))
    assert "govuk-error-summary" in html
    assert "<title>Error:" in html


def test_detail_shows_facts_breadcrumbs_and_neighbours(client):
    html = html_of(client.get("/places/E09000022/"))
    assert "<h1" in html and "Lambeth</h1>" in html
    assert "E09000022" in html and "Unitary authority" in html
    crumbs = re.search(r'<nav class="govuk-breadcrumbs.*?</nav>', html, re.S).group(0)
    assert [c for c in re.findall(r">\s*([^<>]+?)\s*<", crumbs) if c.strip()] == [
        "Places",
        "United Kingdom",
        "England",
        "London",
        "Lambeth",
    ]
    assert 'href="/missions/?place=E09000022"' in html
    assert "Neighbouring areas" in html
    for neighbour in ("Southwark", "Wandsworth", "Croydon"):
        assert f">{neighbour}</a>" in html
    assert ">Camden</a>" not in html


def test_detail_draws_an_svg_and_a_data_island(client):
    html = html_of(client.get("/places/E09000022/"))
    assert (
        '<div class="mobilise-map" data-module="mobilise-place-map" data-geojson="place-map-data">'
        in html
    )
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="place-map-title"' in svg
    assert '<title id="place-map-title">Outline map of Lambeth' in svg
    assert "style=" not in svg  # the CSP allows no inline styles
    assert re.search(r'<path d="M\d+ \d+l', svg)
    data = data_island(html)
    roles = {f["properties"]["code"]: f["properties"]["role"] for f in data["features"]}
    assert roles["E09000022"] == "focus"
    assert roles["E09000028"] == "neighbour"  # Southwark
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in data["features"])


def test_region_lists_its_children_by_kind(client):
    html = html_of(client.get("/places/E12000008/"))
    assert "Areas in South East" in html
    assert "Counties (7)" in html  # six current and Buckinghamshire County Council, retired
    assert "Unitary authorities (13)" in html
    assert 'href="/places/E10000014/"' in html  # Hampshire
    roles = [f["properties"]["role"] for f in data_island(html)["features"]]
    assert roles.count("child") == 19  # only the areas in use now are drawn


def test_region_neighbours_include_wales_but_not_england(client):
    html = html_of(client.get("/places/E12000009/"))  # South West
    neighbours = html.split("Neighbouring areas")[1].split("</ul>")[0]
    assert ">Wales</a>" in neighbours and ">South East</a>" in neighbours
    assert ">England</a>" not in neighbours


def test_retired_place_links_to_its_successors(client):
    html = html_of(client.get("/places/E10000021/"))  # Northamptonshire County Council
    assert "was last used in 2020" in html
    assert 'href="/places/E06000061/"' in html and 'href="/places/E06000062/"' in html
    assert "Retired" in html
    # Drawn with the districts it had when it ended.
    assert [f["properties"]["role"] for f in data_island(html)["features"]].count("child") == 7


def test_new_place_lists_what_it_was_formed_from(client):
    html = html_of(client.get("/places/E06000060/"))  # Buckinghamshire Council, 2020
    assert "Formed from" in html
    assert 'href="/places/E07000004/"' in html  # Aylesbury Vale
    assert "Since 2020" in html


def test_uk_page(client):
    html = html_of(client.get("/places/K02000001/"))
    assert "Nations (4)" in html
    # A simplified outline: the UK's page must stay light.
    assert len(html) < 250_000


def test_welsh_names_in_welsh(client):
    client.post("/i18n/setlang/", {"language": "cy", "next": "/"})
    html = html_of(client.get("/places/W06000015/"))
    assert "Caerdydd" in html
    assert '<span lang="cy">Caerdydd</span>' in html


def test_lower_case_code_redirects(client):
    response = client.get("/places/e09000022/")
    assert response.status_code == 301
    assert response["Location"] == "/places/E09000022/"


def test_unknown_code_is_404(client):
    assert client.get("/places/E99999999/").status_code == 404
