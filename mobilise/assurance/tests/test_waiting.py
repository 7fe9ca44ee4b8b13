"""A mission lead's dashboard lists overdue council actions and failed stocktake packs
(assurance/waiting.py)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mobilise.accounts.tests.factories import OrganisationFactory, UserFactory, mission_lead
from mobilise.assurance.models import Pack
from mobilise.missions.tests.factories import MissionFactory

from .factories import ActionFactory, CouncilFactory

pytestmark = pytest.mark.django_db


def test_overdue_actions_and_failed_packs_wait_for_the_lead(client):
    council_org = OrganisationFactory()
    lead = mission_lead(council_org)
    mission = MissionFactory(owner=council_org, title="Clean air")
    council = CouncilFactory(mission=mission)
    ActionFactory(council=council, due_date=timezone.localdate() - dt.timedelta(days=3))
    ActionFactory(council=council)  # not due yet
    today = timezone.localdate()
    Pack.objects.create(
        mission=mission,
        status=Pack.Status.FAILED,
        period_start=today - dt.timedelta(days=90),
        period_end=today,
        error="The PDF could not be drawn",
    )
    client.force_login(lead)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "1 overdue action for the Clean air council" in page
    assert reverse("assurance:council", args=[mission.slug]) in page
    assert "1 stocktake pack for Clean air failed" in page
    assert reverse("assurance:packs", args=[mission.slug]) in page
    client.force_login(UserFactory())
    assert "overdue action" not in client.get(reverse("accounts:dashboard")).content.decode()
