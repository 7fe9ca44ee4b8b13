"""The stocktake pack's "What we learned": the mission's published learnings, as a snapshot."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from mobilise.assurance import stocktake
from mobilise.learning.models import Learning
from mobilise.learning.tests.factories import PilotFactory

pytestmark = pytest.mark.django_db


def _pack_html(mission) -> str:
    today = timezone.localdate()
    facts = stocktake.gather(mission, today - dt.timedelta(days=90), today)
    return re.sub(r">\s+<", "><", " ".join(stocktake.render_html(facts).split()))


def _learning(mission, pilot, **kwargs) -> Learning:
    learning = Learning.objects.create(
        mission=mission,
        title=kwargs.pop("title", "School streets cut NO2 at the gate"),
        summary="NO2 fell by a fifth against the synthetic Camden.",
        evidence_level=4,
        **kwargs,
    )
    learning.pilots.add(pilot)
    return learning


def test_the_pack_lists_what_was_learned_from_published_learnings_only(borough):
    mission = borough["mission"]
    pilot = PilotFactory(mission=mission, places=[borough["place"]], title="School streets")
    _learning(mission, pilot, conditions="Streets with another way round")
    _learning(mission, pilot, title="A draft nobody should read yet", published=False)

    html = _pack_html(mission)
    section = html[html.index("What we learned") : html.index("Decisions and actions")]
    assert "School streets cut NO2 at the gate" in section
    assert "NO2 fell by a fifth against the synthetic Camden." in section
    assert "4 – a close comparison: quasi-random variation or matched controls" in section
    assert 'Learned from</dt><dd class="govuk-summary-list__value">School streets</dd>' in section
    assert 'Places</dt><dd class="govuk-summary-list__value">Camden</dd>' in section
    assert "Streets with another way round" in section
    assert "A draft nobody should read yet" not in html


def test_a_mission_without_published_learnings_says_so(borough):
    mission = borough["mission"]
    pilot = PilotFactory(mission=mission, places=[borough["place"]])
    _learning(mission, pilot, title="Not yet published", published=False)
    html = _pack_html(mission)
    assert "What we learned" in html
    assert "No learnings have been published for this mission yet." in html
    assert "Not yet published" not in html


def test_a_pack_made_before_learnings_were_kept_still_renders(borough):
    today = timezone.localdate()
    facts = stocktake.gather(borough["mission"], today - dt.timedelta(days=90), today)
    del facts["learnings"]
    html = stocktake.render_html(facts)
    assert "What we learned" not in html and "Decisions and actions" in html


def test_the_printed_pack_has_what_was_learned(borough, tmp_path):
    import subprocess

    mission = borough["mission"]
    pilot = PilotFactory(mission=mission, places=[borough["place"]], title="School streets")
    _learning(mission, pilot)
    today = timezone.localdate()
    facts = stocktake.gather(mission, today - dt.timedelta(days=90), today)
    path = tmp_path / "pack.pdf"
    path.write_bytes(stocktake.render_pdf(facts, stocktake.render_html(facts)))
    text = " ".join(
        subprocess.run(
            ["/usr/bin/pdftotext", "-layout", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
    )
    assert "What we learned" in text
    assert "School streets cut NO2 at the gate" in text
