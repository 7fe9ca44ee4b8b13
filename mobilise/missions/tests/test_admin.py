"""The Django admin pages for missions load, with their inlines, filters and search."""

import pytest

from mobilise.accounts.tests.factories import UserFactory

from .factories import LinkFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_mission_admin_lists_filters_searches_and_edits(staff_client, mission):
    OutcomeFactory(mission=mission)
    link = LinkFactory(mission=mission)
    listing = staff_client.get("/admin/missions/mission/?scope=local&status=active&q=Lambeth")
    assert listing.status_code == 200 and mission.title in listing.content.decode()
    change = staff_client.get(f"/admin/missions/mission/{mission.pk}/change/")
    html = change.content.decode()
    assert change.status_code == 200
    assert (
        "outcomes-TOTAL_FORMS" in html
        and "toc_nodes-TOTAL_FORMS" in html
        and "toc_links-TOTAL_FORMS" in html
    )
    assert link.source.title in html


@pytest.mark.parametrize("model", ["outcome", "theoryofchangenode", "theoryofchangelink"])
def test_each_model_has_an_admin(staff_client, mission, model):
    LinkFactory(mission=mission)
    OutcomeFactory(mission=mission)
    assert staff_client.get(f"/admin/missions/{model}/?q=a").status_code == 200
    assert staff_client.get(f"/admin/missions/{model}/add/").status_code == 200
