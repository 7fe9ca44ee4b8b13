"""The upload page in Chromium: a bad file's problems, then a good file, with axe-core finding no
serious problems in any state; and the same upload with JavaScript off. ``make test-browser``."""

import pytest
from django.urls import path

from mobilise import urls as root_urls
from mobilise.accounts.tests.factories import PASSWORD, OrganisationFactory, mission_lead
from mobilise.core.testing.browser import assert_accessible
from mobilise.indicators import views_import
from mobilise.indicators.models import Observation
from mobilise.places.models import Place
from mobilise.places.tests.factories import PlaceFactory

urlpatterns = [
    path("indicators/import/", views_import.upload, name="indicator_import_test"),
    *root_urls.urlpatterns,
]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls(__name__),
]

META = "indicators:\n  co2:\n    title: Carbon dioxide\n    unit: kt CO2\n"


@pytest.fixture
def files(tmp_path, live_settings):
    PlaceFactory(code="E09000007", name="Camden")
    bad, good, meta = tmp_path / "bad.csv", tmp_path / "good.csv", tmp_path / "co2.yaml"
    bad.write_text(
        "indicator,geocode,period,value\nco2,E09000007,2019,ten\nco2,E09000007,20x9,1\n"
        "co2,Camdon,2019,1\nco2,Camdon,2020,1\nco2,Camdon,2021,1\n"
    )
    good.write_text("indicator,geocode,period,value\nco2,E09000007,2019,10\n")
    meta.write_text(META)
    return bad, good, meta


def sign_in_and_open(page, live_server):
    camden = Place.objects.get(code="E09000007")
    lead = mission_lead(OrganisationFactory(home_place=camden))
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email address").fill(lead.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/indicators/import/")


def upload(page, data, meta):
    page.get_by_label("Data file", exact=True).set_input_files(str(data))
    page.get_by_label("Metadata file (optional)", exact=True).set_input_files(str(meta))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and check").click()


def test_upload_states_are_accessible(live_server, page, files):
    bad, good, meta = files
    sign_in_and_open(page, live_server)
    assert_accessible(page)

    upload(page, bad, meta)
    assert page.locator(".govuk-error-summary").count() == 1
    assert page.locator("#problem-1 td").first.inner_text() == "2"
    assert page.locator("#problem-2").count() == 1
    # The three rows of one unknown name are one line, with their rows as a range and a hint.
    assert page.locator("#problem-3 td").first.inner_text() == "4–6"
    assert "Did you mean “Camden” (E09000007)?" in page.locator("#problem-3").inner_text()
    assert page.locator("#problem-4").count() == 0
    assert not Observation.objects.exists()
    assert_accessible(page)

    upload(page, good, meta)
    assert page.locator(".govuk-notification-banner--success").count() == 1
    assert Observation.objects.count() == 1
    assert_accessible(page)


def test_upload_works_without_javascript(live_server, browser, files):
    bad, good, meta = files
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in_and_open(page, live_server)
    upload(page, bad, meta)
    assert page.locator(".govuk-error-summary").count() == 1
    upload(page, good, meta)
    assert page.locator(".govuk-notification-banner--success").count() == 1
    assert Observation.objects.count() == 1
    context.close()
