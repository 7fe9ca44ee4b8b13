import pytest
from django.contrib.auth import get_user_model

from mobilise.places.models import Place

from .factories import PlaceFactory, square_bbox, square_boundary

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser(
        email="admin@example.org", password="a-long-password-1"
    )
    client.force_login(user)
    return client


def test_changelist_searches_and_filters(admin_client):
    PlaceFactory(code="E09000022", name="Lambeth")
    PlaceFactory(code="E07000178", name="Oxford", kind=Place.Kind.DISTRICT, valid_to=2030)
    html = admin_client.get("/admin/places/place/", {"q": "lambeth"}).content.decode()
    assert "E09000022" in html and "Oxford" not in html
    html = admin_client.get("/admin/places/place/", {"kind__exact": "district"}).content.decode()
    assert "Oxford" in html and "Lambeth" not in html


def test_change_form_summarises_the_boundary(admin_client):
    place = PlaceFactory(
        code="E09000022", name="Lambeth", boundary=square_boundary(0, 51), bbox=square_bbox(0, 51)
    )
    response = admin_client.get(f"/admin/places/place/{place.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Polygon: 1 polygon(s), 5 points" in html
    assert 'name="boundary"' not in html  # no megabyte textarea
    assert 'name="parent"' in html and "vForeignKeyRawIdAdminField" in html
