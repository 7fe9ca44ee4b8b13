"""A failed stocktake pack can be tried again, by the people who may produce one, exactly once at a
time, and the retry prints the facts the first attempt gathered.

The failure is real: the pack's page template is taken away (the Jinja2 engine loses its app
template folders, as a broken deployment would), so ``render_to_string`` raises as it would in
the worker. Nothing is mocked.
"""

import copy
import datetime as dt
import re
import subprocess

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mobilise.accounts.tests.factories import UserFactory
from mobilise.assurance import services
from mobilise.assurance.models import Pack

from .factories import AssessmentFactory
from .test_packs import _request

pytestmark = pytest.mark.django_db


def _without_app_templates() -> list[dict]:
    templates = copy.deepcopy(settings.TEMPLATES)
    for engine in templates:
        if engine["BACKEND"].endswith("Jinja2"):
            engine["APP_DIRS"] = False
    return templates


def _failed_pack(client, borough, capture) -> Pack:
    """The lead asks for a pack while the pack's template is missing: the worker fails."""
    client.force_login(borough["lead"])
    with override_settings(TEMPLATES=_without_app_templates()):
        return _request(client, borough["mission"], capture)


def _has_retry_button(page: str) -> bool:
    return re.search(r"<button[^>]*>\s*Try again", page) is not None


def _retry_url(pack: Pack) -> str:
    return reverse("assurance:pack_retry", args=[pack.mission.slug, pack.pk])


def test_a_failed_pack_shows_why_to_the_lead_and_a_retry_prints_the_first_facts(
    client, borough, django_capture_on_commit_callbacks
):
    pack = _failed_pack(client, borough, django_capture_on_commit_callbacks)
    assert (pack.status, pack.failed_step, pack.attempts) == ("failed", "html", 1)
    assert pack.facts["confidence"]["latest"]["label"] == "Amber"  # gathered before it broke

    page = client.get(pack.get_absolute_url()).content.decode()
    assert "The pack could not be produced" in page
    assert "1 attempt has been made." in page
    assert "stopped while drawing the pack&#39;s pages" in page
    assert "TemplateDoesNotExist: assurance/pack/_content.html" in page
    assert _has_retry_button(page)
    listing = client.get(reverse("assurance:packs", args=[borough["mission"].slug]))
    assert _has_retry_button(listing.content.decode())

    # Meanwhile the data move on: a red rating. The retry still prints the first attempt's facts.
    AssessmentFactory(mission=borough["mission"], rating="red", assessed_on=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_retry_url(pack), follow=True)
    assert "Trying again" in response.content.decode()

    pack.refresh_from_db()
    assert (pack.status, pack.attempts, pack.error, pack.failed_step) == ("ready", 2, "", "")
    text = " ".join(
        subprocess.run(
            ["/usr/bin/pdftotext", "-layout", pack.pdf.path, "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
    )
    assert "Delivery confidence: Amber – Improved from Amber/Red" in text
    page = client.get(pack.get_absolute_url()).content.decode()
    assert "Download the pack as a PDF" in page and "Try again" not in page


def test_the_public_sees_that_it_failed_but_not_the_error_or_the_button(
    client, borough, django_capture_on_commit_callbacks
):
    pack = _failed_pack(client, borough, django_capture_on_commit_callbacks)
    client.logout()
    for who in (None, UserFactory(roles=["resident"])):
        if who:
            client.force_login(who)
        page = client.get(pack.get_absolute_url()).content.decode()
        assert "The pack could not be produced" in page
        assert "The mission team can try again." in page
        assert "TemplateDoesNotExist" not in page and not _has_retry_button(page)
        listing = client.get(reverse("assurance:packs", args=[borough["mission"].slug]))
        assert "Try again" not in listing.content.decode()


def test_a_resident_may_not_retry(client, borough, django_capture_on_commit_callbacks):
    pack = _failed_pack(client, borough, django_capture_on_commit_callbacks)
    client.force_login(UserFactory(roles=["resident"]))
    with django_capture_on_commit_callbacks() as queued:
        assert client.post(_retry_url(pack)).status_code == 403
        assert client.get(_retry_url(pack)).status_code == 403
    assert not queued
    pack.refresh_from_db()
    assert pack.status == "failed"


def test_the_secretariat_may_retry_too(client, borough, django_capture_on_commit_callbacks):
    pack = _failed_pack(client, borough, django_capture_on_commit_callbacks)
    client.force_login(borough["secretary"])
    # Without JavaScript a link to the retry page asks first, showing why it failed.
    confirm = client.get(_retry_url(pack)).content.decode()
    assert "Try again to produce the stocktake pack" in confirm and _has_retry_button(confirm)
    with django_capture_on_commit_callbacks() as queued:
        assert client.post(_retry_url(pack)).status_code == 302
    assert len(queued) == 1


def test_two_clicks_queue_the_pack_once(client, borough, django_capture_on_commit_callbacks):
    pack = _failed_pack(client, borough, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks() as queued:
        first = client.post(_retry_url(pack), follow=True).content.decode()
        second = client.post(_retry_url(pack), follow=True).content.decode()
    assert "Trying again" in first
    assert "already being prepared, so it was not queued again" in second
    assert len(queued) == 1
    pack.refresh_from_db()
    assert pack.status == "pending"
    assert "The pack is being prepared" in client.get(pack.get_absolute_url()).content.decode()

    for callback in queued:
        callback()
    pack.refresh_from_db()
    assert (pack.status, pack.attempts) == ("ready", 2)
    # A ready pack is never queued again either.
    with django_capture_on_commit_callbacks() as queued:
        page = client.post(_retry_url(pack), follow=True).content.decode()
    assert not queued and "there is nothing to try again" in page


def test_the_claim_is_a_conditional_update(borough, django_capture_on_commit_callbacks):
    """The rule the racing test checks on PostgreSQL: only a failed pack turns pending."""
    today = timezone.localdate()
    pack = Pack.objects.create(
        mission=borough["mission"],
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        status=Pack.Status.FAILED,
        attempts=1,
    )
    with django_capture_on_commit_callbacks() as queued:
        assert services.pack_retry(pack=pack) is True
        assert services.pack_retry(pack=pack) is False
    assert len(queued) == 1 and pack.status == "pending"
