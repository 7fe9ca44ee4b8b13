"""Journey 1, end to end in a browser, never through /admin/: Camden's mission lead adopts the
national clean-energy mission for Camden (typing "Camden"), adds the local outcome "Halve
transport emissions by 2035" under the national outcome, finds and links the transport CO2
indicator for Camden, sets the target and milestones typing numbers as people do, and sees the
status, which does not call a line through the 2020 lockdown "On track". Axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from mobilise.accounts.tests.factories import PASSWORD, OrganisationFactory, mission_lead
from mobilise.indicators.models import Indicator, IndicatorLink, Target
from mobilise.indicators.tests.factories import IndicatorFactory, SeriesFactory, observations_for
from mobilise.missions.models import Mission, Outcome
from mobilise.missions.tests.factories import MissionFactory, OutcomeFactory
from mobilise.places.models import Place

pytestmark = pytest.mark.django_db(transaction=True)

# Camden's road transport CO2 (tonnes): falling, the 2020 lockdown dip, a partial rebound.
CAMDEN_CO2 = {
    "2015": 330_000.0,
    "2016": 318_000.0,
    "2017": 305_000.0,
    "2018": 290_000.0,
    "2019": 280_000.0,
    "2020": 195_000.0,
    "2021": 240_000.0,
}


@pytest.fixture
def world(db):
    uk = Place.objects.create(code="K02000001", name="United Kingdom", kind=Place.Kind.UK)
    england = Place.objects.create(
        code="E92000001", name="England", kind=Place.Kind.NATION, parent=uk
    )
    london = Place.objects.create(
        code="E12000007", name="London", kind=Place.Kind.REGION, parent=england
    )
    camden = Place.objects.create(
        code="E09000007", name="Camden", kind=Place.Kind.UNITARY, parent=london
    )
    board = OrganisationFactory(name="National Mission Board")
    national = MissionFactory(
        owner=board,
        title="Clean energy",
        slug="clean-energy",
        scope=Mission.Scope.NATIONAL,
        statement="Make Britain a clean energy superpower, with clean power by 2030.",
        horizon_year=2030,
    )
    OutcomeFactory(mission=national, title="Clean power by 2030", slug="clean-power")
    indicator = IndicatorFactory(
        code="co2-transport",
        title="CO2 emissions from road transport",
        unit="tonnes of CO2",
        polarity=Indicator.Polarity.LOWER,
    )
    IndicatorFactory(code="co2-domestic", title="CO2 emissions from homes", unit="tonnes of CO2")
    observations_for(SeriesFactory(indicator=indicator), camden, CAMDEN_CO2)
    lead = mission_lead(OrganisationFactory(name="London Borough of Camden"))
    return {"lead": lead, "camden": camden}


def _sign_in(page, base, email):
    page.goto(base + "/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_camden_adopts_clean_energy_links_co2_sets_milestones_and_sees_status(
    live_server, page, axe, world
):
    base = live_server.url
    _sign_in(page, base, world["lead"].email)

    # The national mission, and its "Adopt for your place" action.
    page.goto(base + "/missions/clean-energy/")
    axe(page)
    page.get_by_role("button", name="Adopt for your place").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Adopt ‘Clean energy’")
    axe(page)
    expect(page.get_by_label("Title of your local mission")).to_have_value("Clean energy")
    # A place name that is not one: the error says so and keeps what was typed.
    page.get_by_label("Place", exact=True).fill("Camdem")
    page.get_by_role("button", name="Adopt the mission").click()
    expect_error = page.locator(".govuk-error-summary")
    expect(expect_error).to_contain_text("No place is called ‘Camdem’")
    axe(page)
    page.get_by_label("Place", exact=True).fill("camden")
    page.get_by_role("button", name="Adopt the mission").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clean energy in Camden")
    axe(page)
    local = Mission.objects.get(title="Clean energy in Camden")
    assert local.contributes_to.slug == "clean-energy"
    assert list(local.places.all()) == [world["camden"]]

    # Its own outcome, contributing to the national outcome.
    page.get_by_role("button", name="Add an outcome").click()
    page.wait_for_load_state()
    axe(page)
    page.get_by_label("Name").fill("Halve transport emissions by 2035")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2035")
    page.get_by_label("Clean power by 2030").check()
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Halve transport emissions by 2035")
    axe(page)
    expect(page.locator(".govuk-summary-list")).to_contain_text("Clean power by 2030")
    outcome = Outcome.objects.get(mission=local)
    assert outcome.parent.slug == "clean-power"

    # Find the CO2 indicator by words of its name and link it for Camden.
    page.get_by_role("button", name="Link an indicator").click()
    page.wait_for_load_state()
    axe(page)
    page.get_by_label("Search for an indicator").fill("transport CO2")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-heading")).to_have_text("1 indicator matches ‘transport CO2’")
    axe(page)
    page.get_by_label("CO2 emissions from road transport (co2-transport)").check()
    expect(page.get_by_label("Places")).to_have_value("Camden (E09000007)")
    page.get_by_label("Places").fill("Camden")
    page.get_by_role("button", name="Link indicator").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "now measures this outcome in Camden"
    )
    axe(page)
    link = IndicatorLink.objects.get(outcome=outcome)
    assert (link.indicator.code, link.place.name) == ("co2-transport", "Camden")

    # Target and milestones, typed as people type them; a mistake first.
    page.get_by_role("link", name=re.compile("^Set target")).click()
    page.wait_for_load_state()
    axe(page)
    page.get_by_label("Baseline period").fill("2019")
    page.get_by_label("Target year").fill("2035")
    page.get_by_label("Target value").fill("140,000")
    milestones = page.locator(".mobilise-milestone")
    milestones.nth(0).get_by_label("Year").fill("2025")
    milestones.nth(0).get_by_label("Value").fill("two hundred thousand")
    page.get_by_role("button", name="Save target").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the value of milestone 1 as a number"
    )
    axe(page)
    expect(page.get_by_label("Target value")).to_have_value("140,000")
    milestones.nth(0).get_by_label("Value").fill(" 230,000 ")
    milestones.nth(1).get_by_label("Year").fill("2030")
    milestones.nth(1).get_by_label("Value").fill("185,000.5")
    page.get_by_role("button", name="Save target").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Target saved")
    axe(page)
    target = Target.objects.get(link=link)
    assert (target.baseline_value, target.target_year, target.target_value) == (
        280_000.0,
        2035,
        140_000.0,
    )
    assert [(m.year, m.value) for m in target.milestones.all()] == [
        (2025, 230_000.0),
        (2030, 185_000.5),
    ]

    # The status: not "On track" on a line through the lockdown year, and why.
    row = page.locator('tr[data-indicator="co2-transport"][data-place="E09000007"]').first
    expect(row).to_contain_text("Uncertain")
    row.get_by_text("Why").click()
    expect(row).to_contain_text("2020")
    expect(page.locator(".mobilise-rollup")).to_contain_text("Uncertain")

    # The indicator opens on Camden, the place the outcome page came from.
    row.get_by_role("link", name="Camden").click()
    expect(page.locator("#series-heading")).to_contain_text("Camden")
    axe(page)

    # Published, the local outcome shows on the national outcome's page with its status.
    page.goto(base + f"/missions/{local.slug}/edit/")
    axe(page)
    page.get_by_label("Active").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Mission updated")
    page.goto(base + "/missions/clean-energy/outcomes/clean-power/")
    axe(page)
    contribution = page.locator("#outcome-contributions tr", has_text="Halve transport emissions")
    expect(contribution).to_contain_text("Clean energy in Camden")
    expect(contribution).to_contain_text("Uncertain")
    assert "/admin/" not in page.url
