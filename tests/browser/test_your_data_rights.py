"""People's rights end to end in Chromium, axe on every page: a resident downloads everything
held about them (prepared by the background worker, as in production) and then deletes their
account. Without JavaScript the pages work the same: a refresh shows the download once ready."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command

from mobilise.accounts.models import User
from mobilise.accounts.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from mobilise.coalition.models import Pledge
from mobilise.coalition.tests.factories import PledgeFactory
from mobilise.missions.tests.factories import MissionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "rosa.okafor@example.org"
OWN_PLEDGE = "Walk the children to school every day"
FOR_ORGANISATION = "Run a monthly repair café"


@pytest.fixture(autouse=True)
def _database_queue(live_settings, settings):
    # Production's queue: nothing is built until the worker runs.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    yield
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_resident_downloads_their_data_then_deletes_their_account(live_server, page, axe):
    base = live_server.url
    mission = MissionFactory(title="Cleaner air for Camden")
    rosa = UserFactory(email=EMAIL, name="Rosa Okafor", roles=["resident"])
    group = OrganisationFactory(name="Queen's Crescent Community Association")
    MembershipFactory(user=rosa, organisation=group, role="admin")
    MembershipFactory(organisation=group, role="admin")
    PledgeFactory(mission=mission, organisation=None, person=rosa, made_by=rosa, title=OWN_PLEDGE)
    kept = PledgeFactory(mission=mission, organisation=group, made_by=rosa, title=FOR_ORGANISATION)

    page.goto(base + "/account/login/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(base + "/account/dashboard/")
    axe(page)

    page.get_by_role("button", name="Download your data").click()
    page.wait_for_load_state()
    assert "Your data is being prepared" in page.locator("main").inner_text()
    axe(page)

    call_command("db_worker", batch=True, verbosity=0)  # the background worker builds the ZIP
    page.reload()
    link = page.get_by_role("link", name="Download your data")
    with page.expect_download() as download:
        link.click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    everything = json.loads(archive.read("your-data.json"))
    titles = {row["title"] for row in everything["coalition"]["pledges"]}
    assert {OWN_PLEDGE, FOR_ORGANISATION} <= titles
    assert OWN_PLEDGE in archive.read("coalition/pledges.csv").decode()
    axe(page)

    page.goto(base + "/account/dashboard/")
    page.get_by_role("link", name="Delete your account").click()
    page.wait_for_load_state()
    axe(page)
    page.get_by_role("button", name="Delete your account").click()  # without typing the address
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    axe(page)
    page.get_by_label("Type your email address to confirm").fill(EMAIL)
    page.get_by_role("button", name="Delete your account").click()
    page.wait_for_load_state()
    assert "Your account and your personal data have been deleted" in page.inner_text("body")
    axe(page)

    assert not User.objects.filter(email=EMAIL).exists()
    assert not Pledge.objects.filter(title=OWN_PLEDGE).exists()
    kept.refresh_from_db()
    assert kept.made_by is None  # the organisation's pledge stays, no longer linked to her
    page.goto(base + "/account/dashboard/")
    assert "/account/login/" in page.url
