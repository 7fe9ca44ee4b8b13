"""Place pages on a handful of made-up places: query counts and escaping."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mobilise.places.models import Place

from .factories import PlaceFactory, square_bbox, square_boundary

pytestmark = pytest.mark.django_db

Kind = Place.Kind


def make_region(code: str, children: int) -> Place:
    region = PlaceFactory(
        code=code,
        name=f"Region {code}",
        kind=Kind.REGION,
        boundary=square_boundary(0, 50, 1),
        bbox=square_bbox(0, 50, 1),
    )
    for i in range(children):
        lon = (i % 10) / 10
        lat = 50 + (i // 10) / 10
        PlaceFactory(
            code=f"E06{code[-3:]}{i:03d}",
            kind=Kind.UNITARY,
            parent=region,
            boundary=square_boundary(lon, lat),
            bbox=square_bbox(lon, lat),
            valid_to=2019 if i % 3 == 0 else None,
        )
    return region


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_children(client):
    few = make_region("E12000101", children=2)
    many = make_region("E12000102", children=30)
    assert queries_for(client, few.get_absolute_url()) == queries_for(
        client, many.get_absolute_url()
    )
    # And when the map comes from the cache.
    assert queries_for(client, few.get_absolute_url()) == queries_for(
        client, many.get_absolute_url()
    )


def test_search_query_count_does_not_grow_with_results(client):
    make_region("E12000103", children=3)
    make_region("E12000104", children=30)
    few = queries_for(client, "/places/?q=E06103")
    many = queries_for(client, "/places/?q=E06104")
    assert few == many


def test_names_are_escaped_in_the_page_and_the_data_island(client):
    evil = PlaceFactory(
        code="E06000999",
        name='</script><script>alert("x")</script> & Co',
        boundary=square_boundary(0, 50),
        bbox=square_bbox(0, 50),
    )
    html = client.get(evil.get_absolute_url()).content.decode()
    assert '<script>alert("x")</script>' not in html
    island = html.split('<script id="place-map-data" type="application/json">')[1].split(
        "</script>"
    )[0]
    assert "\\u003C/script\\u003E" in island and "\\u0026 Co" in island


def test_place_without_boundary_has_no_map(client):
    place = PlaceFactory(code="E06000998", name="Nowhere in particular")
    html = client.get(place.get_absolute_url()).content.decode()
    assert "Nowhere in particular" in html
    assert "mobilise-map" not in html and "place-map-data" not in html


def test_empty_index_explains_how_to_load(client):
    html = client.get("/places/").content.decode()
    assert "mobilise places load" in html
