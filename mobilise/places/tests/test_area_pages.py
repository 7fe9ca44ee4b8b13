"""ITL/NUTS areas and combined authorities on the place pages, the places search, the place
boxes and the read API for importers."""

import pytest
from django import forms

from mobilise.places import selectors
from mobilise.places.forms import PlaceField

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _places(shipped_places):
    return shipped_places


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("name", ["Greater Manchester", "Leicestershire CC and Rutland"])
def test_search_finds_areas_by_name(client, name):
    html = html_of(client.get("/places/", {"q": name}))
    assert f">{name}</a>" in html
    assert "No places match" not in html


def test_search_shows_each_classification_of_a_name(client):
    html = html_of(client.get("/places/", {"q": "Leicestershire CC and Rutland"}))
    for label in ("ITL 3 area (January 2025)", "ITL 3 area (January 2021)", "NUTS 3 area (2016)"):
        assert label in html
    assert 'href="/places/TLF22-25/"' in html and 'href="/places/UKF22-16/"' in html


def test_itl_area_page_shows_level_parent_members_and_map(client):
    html = html_of(client.get("/places/TLC11-21/"))
    assert "ITL 3 area (January 2021)" in html
    assert "TLC11" in html and "TLC11-21<" not in html  # the code as ONS publishes it
    assert 'href="/places/TLC1-21/"' in html  # parent: Tees Valley and Durham
    assert 'href="/places/E06000001/"' in html and 'href="/places/E06000004/"' in html
    assert "Member local authorities (2)" in html
    assert 'id="place-map-data"' in html and "<svg" in html
    # Retired with the 2021 classification, replaced by 2025's TLC31.
    assert "in use until 2024" in html and 'href="/places/TLC31-25/"' in html


def test_combined_authority_page(client):
    html = html_of(client.get("/places/E47000001/"))
    assert "Combined authority" in html
    assert "Member local authorities (10)" in html
    assert 'href="/places/E08000003/"' in html  # Manchester
    assert "<svg" in html


def test_itl2_page_lists_its_itl3_areas(client):
    html = html_of(client.get("/places/TLD3-25/"))
    assert "ITL 3 areas" in html and "Greater Manchester" in html


def test_split_district_is_marked_as_part(client):
    html = html_of(client.get("/places/TLM61-21/"))
    assert "only part of it lies in" in html and "Highland" in html


def test_code_without_year_goes_to_the_newest_area(client):
    response = client.get("/places/TLF22/")
    assert response.status_code == 302 and response.url == "/places/TLF22-25/"
    assert client.get("/places/TLC11/").url == "/places/TLC11-21/"  # recoded in 2025


def test_local_authority_page_lists_its_areas(client):
    html = html_of(client.get("/places/E06000001/"))  # Hartlepool
    assert "Areas it belongs to" in html
    assert 'href="/places/E47000006/"' in html  # Tees Valley
    assert 'href="/places/TLC31-25/"' in html


class OnePlace(forms.Form):
    place = PlaceField()


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Greater Manchester", "E47000001"),  # the combined authority before ITL 2 TLD3
        ("Leicestershire CC and Rutland", "TLF22-25"),  # the current classification
        ("TLC11", "TLC11-21"),
        ("Tees Valley and Durham (TLC1-21)", "TLC1-21"),
    ],
)
def test_place_box_takes_area_names_and_codes(typed, code):
    form = OnePlace({"place": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["place"].code == code


def test_importer_api():
    names = selectors.place_names()
    by_code = {n.code: n for n in names}
    assert by_code["TLC11-21"].ons_code == "TLC11"
    assert (by_code["TLC11-21"].kind, by_code["TLC11-21"].vintage) == ("itl3", 2021)
    assert (by_code["TLC11-21"].valid_from, by_code["TLC11-21"].valid_to) == (2021, 2024)
    assert by_code["TLC11-21"].parent_code == "TLC1-21"
    assert by_code["E09000007"].ons_code == "E09000007" and by_code["E09000007"].vintage is None
    assert by_code["UKM27-13"].name == "Perth & Kinross and Stirling"
    successors = selectors.successor_map()
    assert successors["UKM22-13"] == ["UKM72-16"]
    assert successors["UKM72-16"] == ["TLM72-21"]
    members = selectors.member_map()
    assert sorted(members["TLC11-21"]) == [("E06000001", True), ("E06000004", True)]


@pytest.mark.parametrize("code", ["TLC11-21", "E47000001"])
def test_indicator_comparison_page_takes_an_area(client, code):
    html = html_of(client.get(f"/indicators/places/{code}/"))
    assert "<h1" in html
