"""Indicator pages open on the place you came from: links from mission and outcome pages carry it."""

import re

import pytest
from django.core.cache import cache

from mobilise.indicators import services

from .pages_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _series_heading(html: str) -> str:
    return re.search(r'id="series-heading">(.*?)</h2>', html, re.S).group(1)


def test_links_from_mission_and_outcome_pages_carry_the_place(client):
    world = build_world()
    # Islington's mission: the indicator page, opened bare, would show another place.
    world.mission.places.set([world.places["E09000019"]])
    services.link_places(
        outcome=world.outcome, indicator=world.indicator, places=[world.places["E09000019"]]
    )
    for url in ("/missions/clean-air-camden/", "/missions/clean-air-camden/outcomes/cleaner-air/"):
        html = client.get(url).content.decode()
        hrefs = re.findall(r'href="(/indicators/pm25/[^"]*)"', html)
        assert hrefs and all("place=E09000019" in h for h in hrefs), (url, hrefs)
    page = client.get("/indicators/pm25/?place=E09000019").content.decode()
    assert "Islington" in _series_heading(page)


def test_the_indicator_page_takes_a_place_by_name(client):
    build_world()
    page = client.get("/indicators/pm25/?place=islington").content.decode()
    assert "Islington" in _series_heading(page)
    assert "Select a place from the list" not in page
