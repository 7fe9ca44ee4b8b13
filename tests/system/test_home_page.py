"""The home page draws on several apps (mobilise/views.py), so its tests live at project level."""

import pytest

from mobilise.places.models import Place

pytestmark = pytest.mark.django_db


def test_the_home_page_searches_for_a_place(client):
    Place.objects.create(code="E09000022", name="Lambeth", kind=Place.Kind.UNITARY)
    html = client.get("/").content.decode()
    assert 'action="/places/"' in html and 'name="q"' in html
    assert "Search for a place" in html
    # The form's answer is the places page's search.
    assert "Lambeth" in client.get("/places/", {"q": "lamb"}).content.decode()
