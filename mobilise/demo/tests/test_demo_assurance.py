"""The demo's assurance: Camden's council has meetings, decisions and actions (two overdue, one
owned by a member without an account); every mission has a confidence history; a stocktake pack PDF exists and reads; the clean energy
mission's roll-up shows Camden, Manchester and Cardiff."""

import subprocess

import pytest
from django.utils import timezone

from mobilise.assurance.models import Action, Assessment, Council, Decision, Pack
from mobilise.assurance.rollup import national_rollup
from mobilise.assurance.selectors import default_pack_period
from mobilise.demo.assurance import demo_assurance
from mobilise.demo.services import demo_build
from mobilise.missions.models import Mission

pytestmark = pytest.mark.django_db


def test_demo_assurance_is_complete_and_repeatable():
    demo_build()
    counts = [m.objects.count() for m in (Council, Decision, Action, Assessment, Pack)]
    demo_assurance()
    assert [m.objects.count() for m in (Council, Decision, Action, Assessment, Pack)] == counts

    council = Council.objects.get(mission__slug="camden-clean-air")
    assert {m.sector for m in council.members.all()} == {
        "public",
        "business",
        "charity",
        "union",
        "anchor",
        "resident",
    }
    assert (
        council.meetings.count() == 3 and Decision.objects.filter(meeting__council=council).exists()
    )
    overdue = [a for a in council.actions.all() if a.is_overdue()]
    assert len(overdue) == 2
    assert any(a.owner_member and a.owner_member.user_id is None for a in overdue)
    for mission in Mission.objects.all():
        assert Assessment.objects.filter(mission=mission, outcome__isnull=True).exists(), mission
    pack = Pack.objects.get(status="ready")
    text = subprocess.run(
        ["/usr/bin/pdftotext", pack.pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Clean air and net zero travel in Camden" in text
    # Journey 7: the next pack covers the weeks since this one, not a single day; the pack says
    # where the council's rating and the indicators disagree; decisions sit under agenda items.
    start, end = default_pack_period(pack.mission)
    assert end == timezone.localdate() and (end - start).days == 15
    assert "The rating and the data disagree" in pack.html
    assert all(
        d.agenda_item and d.proposed_by for d in Decision.objects.filter(meeting__council=council)
    )
    places = {r.place.name for r in national_rollup(Mission.objects.get(slug="clean-energy")).rows}
    assert places == {"Camden", "Manchester", "Cardiff"}
