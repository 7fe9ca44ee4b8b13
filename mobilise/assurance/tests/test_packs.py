"""Stocktake packs: produced in the background from one POST, readable as a PDF, and frozen."""

import datetime as dt
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from mobilise.assurance import services, stocktake
from mobilise.assurance.models import Pack
from mobilise.indicators.models import Observation
from mobilise.indicators.tests.factories import observations_for

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


def test_indicator_tables_show_the_baseline_and_the_last_ten_years_and_say_what_is_left_out(
    client, borough, django_capture_on_commit_callbacks
):
    # The series reaches back to 2005 (the fixture has 2015-2022): 18 years observed.
    series = Observation.objects.filter(place=borough["place"]).first().series
    observations_for(
        series, borough["place"], {str(y): 250 - 8 * (y - 2015) for y in range(2005, 2015)}
    )
    client.force_login(borough["lead"])
    pack = _request(client, borough["mission"], django_capture_on_commit_callbacks)

    text = " ".join(_pdf_text(pack).split())
    left_out = "8 earlier years (2005 to 2012) are left out of this table."
    assert left_out in text
    page_link = "Every year is on the indicator's page: http://testserver/indicators/co2-transport/"
    assert page_link in text.replace("/ ", "/")  # the printed address may wrap after a slash
    assert "2013 266.0" in text and "2022 194.0" in text  # the last ten years observed
    assert "290.0" not in text and "330.0" not in text  # 2010 and 2005 are not listed
    assert "2019 218.0 218.0" in text and "2035 – 109.0" in text  # the baseline and the target
    page = client.get(pack.get_absolute_url()).content.decode()
    assert left_out in page
    assert 'href="http://testserver/indicators/co2-transport/"' in page


def test_an_early_baseline_keeps_its_row_above_the_last_ten_years():
    actual = [[float(y), 100.0 - y + 2005] for y in range(2005, 2023)]
    plan = [[2005.0, 100.0], [2010.0, 90.0], [2035.0, 50.0]]  # baseline, a milestone, target

    table = stocktake.year_table(actual, plan)

    assert [row[0] for row in table.rows] == [2005.0, *range(2013, 2023), 2035.0]
    assert table.rows[0] == (2005.0, 100.0, 100.0) and table.rows[-1] == (2035.0, None, 50.0)
    assert table.left_out == [float(y) for y in range(2006, 2013)]  # the 2010 milestone with them
