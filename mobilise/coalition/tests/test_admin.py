"""The Django admin pages for coalitions load, list, search and show their objects."""

import pytest
from django.utils import timezone

from mobilise.accounts.tests.factories import UserFactory
from mobilise.coalition.models import PledgeUpdate

from .factories import (
    CoalitionMemberFactory,
    MatchFactory,
    OpportunityFactory,
    PledgeFactory,
    SessionFactory,
    SignUpFactory,
)

pytestmark = pytest.mark.django_db

MODELS = ["coalitionmember", "pledge", "ask", "offer", "match", "opportunity", "signup"]


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def objects(mission, business):
    pledge = PledgeFactory(mission=mission, organisation=business)
    PledgeUpdate.objects.create(
        pledge=pledge, amount=5, reported_on=timezone.localdate(), note="Q1"
    )
    session = SessionFactory(opportunity=OpportunityFactory(mission=mission), confirmed_count=1)
    return {
        "coalitionmember": CoalitionMemberFactory(mission=mission, organisation=business),
        "pledge": pledge,
        "match": MatchFactory(),
        "opportunity": session.opportunity,
        "signup": SignUpFactory(session=session),
    }


@pytest.mark.parametrize("model", MODELS)
def test_each_model_has_an_admin(staff_client, objects, model):
    assert staff_client.get(f"/admin/coalition/{model}/?q=a").status_code == 200
    assert staff_client.get(f"/admin/coalition/{model}/add/").status_code == 200
    if model in objects:
        response = staff_client.get(f"/admin/coalition/{model}/{objects[model].pk}/change/")
        assert response.status_code == 200


def test_the_pledge_admin_shows_updates_read_only(staff_client, objects):
    html = staff_client.get(
        f"/admin/coalition/pledge/{objects['pledge'].pk}/change/"
    ).content.decode()
    assert "Q1" in html and 'name="updates-0-amount"' not in html
