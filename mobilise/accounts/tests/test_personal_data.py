"""Download my data, within the accounts app: one download per person, asked for once."""

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone

from mobilise.accounts import services
from mobilise.accounts.models import DataExport

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_asking_twice_while_it_is_being_prepared_queues_one_download(
    django_capture_on_commit_callbacks,
):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = services.data_export_request(user=person)
        second = services.data_export_request(user=person)
    assert first.pk == second.pk and len(queued) == 1
    assert DataExport.objects.filter(user=person).count() == 1


def test_a_stalled_download_can_be_asked_for_again_and_the_new_one_replaces_it(
    django_capture_on_commit_callbacks,
):
    person = UserFactory()
    stalled = services.data_export_request(user=person)
    DataExport.objects.filter(pk=stalled.pk).update(
        created_at=timezone.now() - services.DATA_EXPORT_STALE_AFTER - dt.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        fresh = services.data_export_request(user=person)
    assert fresh.pk != stalled.pk
    assert list(DataExport.objects.filter(user=person).values_list("status", flat=True)) == [
        DataExport.Status.READY
    ]


def test_the_zip_s_spreadsheets_never_run_a_formula(django_capture_on_commit_callbacks):
    person = UserFactory(name='=HYPERLINK("http://evil","x")')
    with django_capture_on_commit_callbacks(execute=True):
        export = services.data_export_request(user=person)
    export.refresh_from_db()
    archive = zipfile.ZipFile(io.BytesIO(bytes(export.content)))
    profile = archive.read("accounts/profile.csv").decode()
    assert "'=HYPERLINK" in profile
    assert "\n=HYPERLINK" not in profile and ",=HYPERLINK" not in profile


def test_a_download_for_an_account_deleted_meanwhile_is_skipped():
    assert services.data_export_build(export_id=999_999) == "gone"
