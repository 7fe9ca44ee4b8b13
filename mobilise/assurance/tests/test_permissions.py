"""Only the secretariat edits minutes and adds papers; only leads and assessors assess; the
action's owner, the secretariat and leads update actions. Everyone else gets 403."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mobilise.accounts.tests.factories import UserFactory
from mobilise.assurance.models import Assessment, CouncilMember, Paper

pytestmark = pytest.mark.django_db


def _minutes_url(b):
    return reverse("assurance:minutes_edit", args=[b["mission"].slug, b["meeting"].pk])


def test_only_the_secretariat_edits_the_minutes(client, borough):
    url = _minutes_url(borough)
    for who in ("lead", "assessor", "member"):
        client.force_login(borough[who])
        assert client.get(url).status_code == 403, who
        assert client.post(url, {"minutes": "Mine"}).status_code == 403, who
    client.force_login(UserFactory(roles=["resident"]))
    assert client.post(url, {"minutes": "Mine"}).status_code == 403

    client.force_login(borough["secretary"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"minutes": "All members present.\n\nThe plan was agreed."})
    assert response.status_code == 302
    page = client.get(borough["meeting"].get_absolute_url()).content.decode()
    assert "The plan was agreed." in page


def test_a_secretary_whose_term_has_ended_cannot_edit(client, borough):
    CouncilMember.objects.filter(user=borough["secretary"]).update(
        term_end=timezone.localdate() - dt.timedelta(days=1),
        term_start=timezone.localdate() - dt.timedelta(days=100),
    )
    client.force_login(borough["secretary"])
    assert client.get(_minutes_url(borough)).status_code == 403


def test_leads_and_assessors_assess_others_get_403(client, borough):
    url = reverse("assurance:assess", args=[borough["mission"].slug])
    today = timezone.localdate()
    data = {
        "outcome": borough["outcomes"][0].pk,
        "rating": "amber_green",
        "rationale": "Recovery plan agreed.",
        "assessed_on-day": today.day,
        "assessed_on-month": today.month,
        "assessed_on-year": today.year,
    }
    for who in ("secretary", "member"):
        client.force_login(borough[who])
        assert client.get(url).status_code == 403, who
        assert client.post(url, data).status_code == 403, who
    client.force_login(UserFactory(roles=["resident"]))
    assert client.get(url).status_code == 403

    client.force_login(borough["assessor"])
    page = client.get(url).content.decode()
    # The evidence is beside the form: indicators, the coalition and open actions.
    assert "Indicators against their trajectories" in page
    assert "Coalition and volunteering" in page
    assert "Bring the recovery plan" in page
    assert client.post(url, data).status_code == 302
    made = Assessment.objects.get(rating="amber_green")
    assert made.outcome == borough["outcomes"][0] and made.assessor == borough["assessor"]

    client.force_login(borough["lead"])
    assert client.post(url, {**data, "outcome": "", "rating": "green"}).status_code == 302
    history = client.get(reverse("assurance:confidence", args=[borough["mission"].slug]))
    assert "Recovery plan agreed." in history.content.decode()


def test_an_assessment_needs_a_rating_and_a_rationale(client, borough):
    client.force_login(borough["lead"])
    response = client.post(reverse("assurance:assess", args=[borough["mission"].slug]), {})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose a delivery confidence rating" in body
    assert "Enter the rationale for the rating" in body


def test_papers_are_checked_for_type_and_size(client, borough, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("assurance:paper_add", args=[borough["mission"].slug, borough["meeting"].pk])
    client.force_login(borough["lead"])
    assert client.get(url).status_code == 403

    client.force_login(borough["secretary"])
    bad = SimpleUploadedFile("run.exe", b"MZ...")
    response = client.post(url, {"title": "Program", "file": bad})
    assert "The file must be a PDF" in response.content.decode()
    big = SimpleUploadedFile("big.pdf", b"0" * (10 * 1024 * 1024 + 1))
    response = client.post(url, {"title": "Big", "file": big})
    assert "smaller than 10 MB" in response.content.decode()
    assert not Paper.objects.exists()

    good = SimpleUploadedFile("report.pdf", b"%PDF-1.4 report")
    assert client.post(url, {"title": "Progress report", "file": good}).status_code == 302
    paper = Paper.objects.get()
    client.logout()
    download = client.get(reverse("assurance:paper_download", args=[paper.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 report"


def test_the_owner_updates_their_action(client, borough):
    action = borough["overdue"]
    url = reverse("assurance:action_update", args=[borough["mission"].slug, action.pk])
    client.force_login(borough["member"])
    assert client.post(url, {"status": "done"}).status_code == 403
    client.force_login(borough["lead"])  # the owner
    assert client.post(url, {"status": "done"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


def test_the_council_page_highlights_overdue_actions(client, borough):
    page = client.get(reverse("assurance:council", args=[borough["mission"].slug]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "1 action is overdue." in body
    assert "govuk-tag--red" in body and "Overdue" in body
    for sector in ("Anchor institution", "Business", "Charity or community"):
        assert sector in body
