"""A mission lead's dashboard lists the statements waiting for moderation (deliberation/waiting.py)."""

import pytest
from django.urls import reverse

from mobilise.accounts.tests.factories import OrganisationFactory, UserFactory, mission_lead
from mobilise.deliberation.models import Statement
from mobilise.missions.tests.factories import MissionFactory

from .factories import ConversationFactory, StatementFactory

pytestmark = pytest.mark.django_db


def test_statements_to_moderate_wait_for_the_lead(client):
    council = OrganisationFactory()
    lead = mission_lead(council)
    conversation = ConversationFactory(
        mission=MissionFactory(owner=council), question="How should we cut traffic fumes?"
    )
    StatementFactory.create_batch(2, conversation=conversation, status=Statement.Status.PENDING)
    StatementFactory(conversation=conversation)  # accepted already
    client.force_login(lead)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "2 statements to moderate in ‘How should we cut traffic fumes?’" in page
    assert reverse("deliberation:moderate", args=[conversation.pk]) in page
    client.force_login(UserFactory())
    assert (
        "statements to moderate" not in client.get(reverse("accounts:dashboard")).content.decode()
    )
