"""The admin pages for indicators and targets open for staff."""

import pytest

from mobilise.accounts.tests.factories import UserFactory

from .pages_world import build_world

pytestmark = pytest.mark.django_db


def test_admin_lists_and_edits_indicators_and_targets(client):
    world = build_world()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for url in [
        "/admin/indicators/indicator/",
        f"/admin/indicators/indicator/{world.indicator.pk}/change/",
        "/admin/indicators/target/",
        f"/admin/indicators/target/{world.target.pk}/change/",
    ]:
        assert client.get(url).status_code == 200, url
