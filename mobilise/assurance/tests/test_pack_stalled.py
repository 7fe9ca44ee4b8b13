"""A pack whose worker died mid-run (machine restarted, out of memory, deploy) stays pending; an
hour after its attempt started it counts as stalled and the people who may retry failed packs may
try it again, once. A worker that was only slow cannot spoil the retried pack when it finishes.

The death is real as far as the database can tell: the worker starts an attempt
(``pack_attempt_start``) and never writes again. Time passes by moving the attempt's start time
back in the row; the clock is not mocked.
"""

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mobilise.accounts.tests.factories import UserFactory
from mobilise.assurance import services
from mobilise.assurance.models import Pack

from .test_pack_retry import _without_app_templates

pytestmark = pytest.mark.django_db

STALLED = "This pack has been being prepared for more than an hour; the process producing it may have stopped."
PUBLIC_STALLED = (
    "This pack has been being prepared for more than an hour. The mission team can try again."
)


def _dead_worker_pack(borough, capture) -> Pack:
    """The lead asks for a pack; the worker starts on it and dies without another write."""
    today = timezone.localdate()
    with capture() as queued:
        pack = services.pack_request(
            mission=borough["mission"],
            user=borough["lead"],
            period_start=today - dt.timedelta(days=90),
            period_end=today,
        )
    assert len(queued) == 1  # the task that died; never run here
    assert services.pack_attempt_start(pack_id=pack.pk) == 1
    return pack


def _started(pack: Pack, minutes_ago: int) -> Pack:
    Pack.objects.filter(pk=pack.pk).update(
        attempt_started_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    pack.refresh_from_db()
    return pack


def _has_retry_button(page: str) -> bool:
    return re.search(r"<button[^>]*>\s*Try again", page) is not None


def _retry_url(pack: Pack) -> str:
    return reverse("assurance:pack_retry", args=[pack.mission.slug, pack.pk])


def _page(client, pack: Pack) -> str:
    return " ".join(client.get(pack.get_absolute_url()).content.decode().split())


def _squeezed(html: str) -> str:
    """The HTML without the whitespace between tags and text, so a tag's words can be found."""
    return re.sub(r">\s+|\s+<", lambda m: m.group(0).strip(), html)


def _listing(client, pack: Pack) -> str:
    return client.get(reverse("assurance:packs", args=[pack.mission.slug])).content.decode()


def test_the_secretariat_sees_a_stalled_pack_and_can_try_again(
    client, borough, django_capture_on_commit_callbacks
):
    pack = _started(_dead_worker_pack(borough, django_capture_on_commit_callbacks), 61)
    client.force_login(borough["secretary"])
    page = _page(client, pack)
    assert STALLED in page
    assert "1 attempt has been made." in page
    assert _has_retry_button(page)
    listing = _listing(client, pack)
    assert _has_retry_button(listing) and ">Stalled<" in _squeezed(listing)
    confirm = client.get(_retry_url(pack)).content.decode()
    assert STALLED in confirm and _has_retry_button(confirm)


def test_within_the_hour_the_pack_is_just_being_prepared(
    client, borough, django_capture_on_commit_callbacks
):
    pack = _started(_dead_worker_pack(borough, django_capture_on_commit_callbacks), 59)
    client.force_login(borough["secretary"])
    page = _page(client, pack)
    assert "The pack is being prepared. Refresh this page in a minute." in page
    assert "more than an hour" not in page and not _has_retry_button(page)
    listing = _listing(client, pack)
    assert not _has_retry_button(listing) and ">Being prepared<" in _squeezed(listing)
    confirm = client.get(_retry_url(pack)).content.decode()
    assert "there is nothing to try again yet" in confirm and not _has_retry_button(confirm)


def test_the_public_sees_a_plain_sentence_and_no_button(
    client, borough, django_capture_on_commit_callbacks
):
    pack = _started(_dead_worker_pack(borough, django_capture_on_commit_callbacks), 120)
    for who in (None, UserFactory(roles=["resident"])):
        if who:
            client.force_login(who)
        page = _page(client, pack)
        assert PUBLIC_STALLED in page
        assert "may have stopped" not in page and not _has_retry_button(page)
        assert "Try again" not in _listing(client, pack)
        if who:
            assert client.post(_retry_url(pack)).status_code == 403


def test_trying_a_stalled_pack_again_produces_it(
    client, borough, django_capture_on_commit_callbacks
):
    pack = _started(_dead_worker_pack(borough, django_capture_on_commit_callbacks), 90)
    client.force_login(borough["secretary"])
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(_retry_url(pack), follow=True)
    assert len(queued) == 1
    assert "Trying again" in response.content.decode()
    assert "Download the pack as a PDF" in _page(client, pack)

    pack.refresh_from_db()
    assert (pack.status, pack.attempts, pack.error) == ("ready", 2, "")
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", pack.pdf.path, "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Clean air and net zero travel in Camden" in " ".join(text.split())


def test_a_retry_within_the_hour_is_refused(client, borough, django_capture_on_commit_callbacks):
    pack = _started(_dead_worker_pack(borough, django_capture_on_commit_callbacks), 59)
    started = pack.attempt_started_at
    client.force_login(borough["lead"])
    with django_capture_on_commit_callbacks() as queued:
        page = " ".join(client.post(_retry_url(pack), follow=True).content.decode().split())
    assert not queued
    assert "already being prepared, so it was not queued again" in page
    assert "If it is still not ready an hour after it started, you can try again." in page
    pack.refresh_from_db()
    assert (pack.status, pack.attempts, pack.attempt_started_at) == ("pending", 1, started)


def test_two_retries_of_a_stalled_pack_queue_it_once(
    client, borough, django_capture_on_commit_callbacks
):
    pack = _started(_dead_worker_pack(borough, django_capture_on_commit_callbacks), 90)
    client.force_login(borough["secretary"])
    with django_capture_on_commit_callbacks() as queued:
        first = client.post(_retry_url(pack), follow=True).content.decode()
        client.force_login(borough["lead"])
        second = client.post(_retry_url(pack), follow=True).content.decode()
    assert "Trying again" in first
    assert "already being prepared, so it was not queued again" in second
    assert len(queued) == 1
    # The claim restarted the clock: the pack is no longer stalled.
    assert "The pack is being prepared" in _page(client, pack)


def test_a_slow_first_worker_finishing_late_cannot_overwrite_the_retried_pack(
    client, borough, django_capture_on_commit_callbacks
):
    pack = _dead_worker_pack(borough, django_capture_on_commit_callbacks)
    # The first worker was only slow: it has its pack in hand but has not stored it yet.
    late = services.pack_attempt_produce(pack_id=pack.pk, attempt=1)
    _started(pack, 90)
    client.force_login(borough["secretary"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_retry_url(pack))
    pack.refresh_from_db()
    assert (pack.status, pack.attempts) == ("ready", 2)
    kept = (pack.pdf.name, pack.html, pack.generated_at, pack.pdf.read())

    assert services.pack_attempt_finish(pack_id=pack.pk, output=late) is False
    pack.refresh_from_db()
    assert (pack.pdf.name, pack.html, pack.generated_at, pack.pdf.read()) == kept
    # The late attempt's PDF is not left lying in storage either.
    printed = list(Path(settings.MEDIA_ROOT, "assurance", "packs").rglob("*.pdf"))
    assert [p.name for p in printed] == [Path(pack.pdf.name).name]


def test_a_superseded_worker_failing_late_does_not_mark_the_retry_failed(
    client, borough, django_capture_on_commit_callbacks
):
    pack = _started(_dead_worker_pack(borough, django_capture_on_commit_callbacks), 90)
    client.force_login(borough["secretary"])
    with django_capture_on_commit_callbacks() as queued:
        client.post(_retry_url(pack))
    assert services.pack_attempt_start(pack_id=pack.pk) == 2  # the retry's worker begins
    # Now the first worker, superseded, breaks (its templates gone, as in a broken deploy).
    with override_settings(TEMPLATES=_without_app_templates()), pytest.raises(TemplateDoesNotExist):
        services.pack_attempt_produce(pack_id=pack.pk, attempt=1)
    pack.refresh_from_db()
    assert (pack.status, pack.error, pack.failed_step) == ("pending", "", "")
    assert "could not be produced" not in _page(client, pack)

    output = services.pack_attempt_produce(pack_id=pack.pk, attempt=2)
    assert services.pack_attempt_finish(pack_id=pack.pk, output=output) is True
    pack.refresh_from_db()
    assert (pack.status, pack.attempts) == ("ready", 2)
    assert len(queued) == 1
