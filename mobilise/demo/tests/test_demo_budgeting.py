"""The demo's budget rounds: one per Camden mission, in different phases, and a real closed round."""

import pytest

from mobilise.accounts.tests.factories import OrganisationFactory
from mobilise.budgeting.models import BudgetRound, DeliveryItem, Phase
from mobilise.demo.budgeting import PABULIB_FILE, PABULIB_TITLE, demo_budgeting
from mobilise.engines.budgeting import read_pb
from mobilise.missions.tests.factories import MissionFactory
from mobilise.places.models import Place

pytestmark = pytest.mark.django_db


def test_demo_rounds_cover_every_phase_and_show_a_real_mes_outcome():
    camden = Place.objects.create(code="E09000007", name="Camden", kind=Place.Kind.UNITARY)
    council = OrganisationFactory(slug="camden-council")
    for slug in ("camden-clean-air", "camden-healthy-lives", "camden-good-work"):
        MissionFactory(owner=council, slug=slug).places.add(camden)

    demo_budgeting()
    demo_budgeting()  # safe to run again

    phases = dict(BudgetRound.objects.values_list("mission__slug", "phase"))
    assert phases == {
        "camden-healthy-lives": Phase.IDEAS,
        "camden-clean-air": Phase.VOTING,
        "camden-good-work": Phase.DELIVERY,
    }
    real = BudgetRound.objects.get(title=PABULIB_TITLE)
    assert "Pabulib" in real.source_note and real.currency == "PLN"
    assert real.ballots.count() == 2553
    # The count agrees with Świecie's official outcome, recorded in the file's `selected` column.
    official = {p.project_id for p in read_pb(PABULIB_FILE).projects if p.extra["selected"] == "1"}
    funded = set(
        real.projects.filter(pk__in=real.result.selected).values_list("external_id", flat=True)
    )
    assert funded == official
    assert DeliveryItem.objects.filter(project__round=real).count() == len(official)
    # Every started project has its update on its timeline, once however often the demo runs.
    started = DeliveryItem.objects.filter(project__round=real).exclude(status="not_started")
    assert started.exists()
    assert all(item.updates.count() == 1 for item in started)
    voting = BudgetRound.objects.get(mission__slug="camden-clean-air")
    assert "highways budget" in voting.unspent_note
