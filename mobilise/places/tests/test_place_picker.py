"""Choosing places by name: the place boxes of every form take "Camden" as well as E09000007."""

import pytest
from django import forms

from mobilise.places.forms import PlaceField, PlacesField
from mobilise.places.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def geography():
    uk = Place.objects.create(code="K02000001", name="United Kingdom", kind=Place.Kind.UK)
    england = Place.objects.create(
        code="E92000001", name="England", kind=Place.Kind.NATION, parent=uk
    )
    wales = Place.objects.create(code="W92000004", name="Wales", kind=Place.Kind.NATION, parent=uk)
    london = Place.objects.create(
        code="E12000007", name="London", kind=Place.Kind.REGION, parent=england
    )
    return {
        "camden": Place.objects.create(
            code="E09000007", name="Camden", kind=Place.Kind.UNITARY, parent=london
        ),
        "bristol": Place.objects.create(
            code="E06000023", name="Bristol, City of", kind=Place.Kind.UNITARY, parent=england
        ),
        "newport_wales": Place.objects.create(
            code="W06000022",
            name="Newport",
            name_cy="Casnewydd",
            kind=Place.Kind.UNITARY,
            parent=wales,
        ),
        "newport_elsewhere": Place.objects.create(
            code="E07999999", name="Newport", kind=Place.Kind.DISTRICT, parent=england
        ),
        "old_bucks": Place.objects.create(
            code="E10000002",
            name="Buckinghamshire",
            kind=Place.Kind.COUNTY,
            parent=england,
            valid_to=2019,
        ),
        "bucks": Place.objects.create(
            code="E06000060", name="Buckinghamshire", kind=Place.Kind.UNITARY, parent=england
        ),
    }


class OnePlace(forms.Form):
    place = PlaceField(label="Place")


class ManyPlaces(forms.Form):
    places = PlacesField(label="Places")


@pytest.mark.parametrize(
    "typed",
    [
        "Camden",
        "camden",
        "  CAMDEN ",
        "London Borough of Camden",
        "Camden Council",
        "E09000007",
        "e09000007",
        "Camden (E09000007)",
    ],
)
def test_a_place_is_found_by_its_name_as_people_write_it_or_its_code(geography, typed):
    form = OnePlace({"place": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["place"] == geography["camden"]


def test_names_with_commas_and_welsh_names_and_current_before_retired(geography):
    assert OnePlace({"place": "Bristol"}).is_valid()
    form = OnePlace({"place": "City of Bristol"})
    assert form.is_valid() and form.cleaned_data["place"] == geography["bristol"]
    form = OnePlace({"place": "Casnewydd"})
    assert form.is_valid() and form.cleaned_data["place"] == geography["newport_wales"]
    form = OnePlace({"place": "Buckinghamshire"})
    assert form.is_valid() and form.cleaned_data["place"] == geography["bucks"]


def test_a_name_of_several_places_lists_them_to_choose_from(geography):
    form = OnePlace({"place": "Newport"})
    assert not form.is_valid()
    message = form.errors["place"][0]
    assert "More than one place is called ‘Newport’" in message
    assert "W06000022" in message and "E07999999" in message and "Wales" in message
    # Typing the code from the list settles it.
    assert OnePlace({"place": "W06000022"}).is_valid()


def test_a_near_miss_suggests_places_and_nothing_found_says_so(geography):
    form = OnePlace({"place": "Camd"})
    assert not form.is_valid()
    assert "Did you mean Camden (E09000007" in form.errors["place"][0]
    form = OnePlace({"place": "Camdem"})  # a slip of the keyboard
    assert not form.is_valid()
    assert "Did you mean Camden (E09000007" in form.errors["place"][0]
    form = OnePlace({"place": "Narnia"})
    assert not form.is_valid()
    assert "There is no place called ‘Narnia’" in form.errors["place"][0]


def test_very_long_text_names_no_place_rather_than_failing(geography):
    # 100,000 characters once made SQLite refuse the search ("LIKE pattern too complex": a 500).
    form = ManyPlaces({"places": "Camden, " + "x" * 100_000})
    assert not form.is_valid()
    assert "There is no place called" in str(form.errors["places"])


def test_several_places_by_name_comma_or_line_with_every_problem_at_once(geography):
    form = ManyPlaces({"places": "Camden, Bristol, City of\nE06000060"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["places"] == [
        geography["camden"],
        geography["bristol"],
        geography["bucks"],
    ]
    form = ManyPlaces({"places": "Camden; Narnia; Newport"})
    assert not form.is_valid()
    errors = " ".join(form.errors["places"])
    assert "Narnia" in errors and "More than one place is called ‘Newport’" in errors


def test_chosen_places_are_shown_back_so_they_read_back_the_same(geography):
    shown = PlacesField().prepare_value([geography["newport_wales"], geography["camden"]])
    assert shown == "Newport (W06000022)\nCamden (E09000007)"
    form = ManyPlaces({"places": shown})
    assert form.is_valid()
    assert form.cleaned_data["places"] == [geography["newport_wales"], geography["camden"]]
