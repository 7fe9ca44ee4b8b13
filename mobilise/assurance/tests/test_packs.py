"""Stocktake packs: produced in the background from one POST, readable as a PDF, and frozen."""

import datetime as dt
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from mobilise.assurance import services
from mobilise.assurance.models import Pack
from mobilise.indicators.models import Observation

from .factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def _pdf_text(pack: Pack) -> str:
    return subprocess.run(
        ["/usr/bin/pdftotext", "-layout", pack.pdf.path, "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _request(client, mission, capture):
    today = timezone.localdate()
    start = today - dt.timedelta(days=90)
    with capture(execute=True):
        response = client.post(
            reverse("assurance:pack_create", args=[mission.slug]),
            {
                "period_start-day": start.day,
                "period_start-month": start.month,
                "period_start-year": start.year,
                "period_end-day": today.day,
                "period_end-month": today.month,
                "period_end-year": today.year,
            },
        )
    assert response.status_code == 302
    return Pack.objects.get(mission=mission)


def test_one_post_produces_a_pdf_with_the_mission_every_outcome_and_the_confidence(
    client, borough, django_capture_on_commit_callbacks
):
    client.force_login(borough["lead"])
    pack = _request(client, borough["mission"], django_capture_on_commit_callbacks)

    assert pack.status == Pack.Status.READY
    text = " ".join(_pdf_text(pack).split())
    assert "Clean air and net zero travel in Camden" in text
    for outcome in borough["outcomes"]:
        assert outcome.title in text
    assert "Delivery confidence: Amber – Improved from Amber/Red" in text
    assert "Page 2 of" in text  # numbered pages after the title page
    assert "Bring the recovery plan" in text and "Overdue" in text  # actions and risks
    assert "Transport CO2 emissions" in text  # the indicator against its trajectory

    page = client.get(pack.get_absolute_url())
    assert page.status_code == 200
    assert "Halve transport emissions by 2035" in page.content.decode()
    pdf = client.get(reverse("assurance:pack_pdf", args=[borough["mission"].slug, pack.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_pack_is_a_snapshot_that_does_not_change_when_the_data_do(
    client, borough, django_capture_on_commit_callbacks
):
    client.force_login(borough["lead"])
    pack = _request(client, borough["mission"], django_capture_on_commit_callbacks)
    html, facts = pack.html, pack.facts
    with pack.pdf.open("rb") as f:
        pdf = f.read()
    page_before = client.get(pack.get_absolute_url()).content.decode()

    # Later: a red rating, a renamed outcome, a new observation, the action done.
    AssessmentFactory(mission=borough["mission"], rating="red", assessed_on=timezone.localdate())
    outcome = borough["outcomes"][1]
    outcome.title = "Renamed outcome"
    outcome.save()
    obs = Observation.objects.filter(place=borough["place"]).first()
    Observation.objects.create(
        series=obs.series, place=obs.place, period="2023", time=2023.0, value=1.0
    )
    borough["overdue"].status = "done"
    borough["overdue"].save()
    services.pack_generate(pack_id=pack.pk)  # a second run of the task changes nothing

    pack.refresh_from_db()
    assert (pack.html, pack.facts) == (html, facts)
    with pack.pdf.open("rb") as f:
        assert f.read() == pdf
    page_after = client.get(pack.get_absolute_url()).content.decode()
    assert "Renamed outcome" not in page_after and "Cleaner air near schools" in page_after
    assert page_after.count("Amber") == page_before.count("Amber")
    assert "Red" not in pack.facts["confidence"]["latest"]["label"]


def test_the_period_must_make_sense(client, borough):
    client.force_login(borough["lead"])
    today = timezone.localdate()
    response = client.post(
        reverse("assurance:pack_create", args=[borough["mission"].slug]),
        {
            "period_start-day": today.day,
            "period_start-month": today.month,
            "period_start-year": today.year,
            "period_end-day": 1,
            "period_end-month": 1,
            "period_end-year": 2020,
        },
    )
    assert response.status_code == 200
    assert "The end of the period must be after its start" in response.content.decode()
    assert not Pack.objects.exists()
