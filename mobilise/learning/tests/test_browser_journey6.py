"""Journey 6, end to end in Chromium, with axe-core on every page: a place pilots a scheme; later
the platform compares its trend with similar places and records what was learned for others.

A Camden lead registers a school-streets pilot (places and money typed as people do); sees the
comparison places suggested for its measure and adds them with a reason; once figures after the
start exist, evaluates it (the immediate task backend in tests) and reads the results; records
what was learned. A Hackney lead finds the learning on Hackney's own mission page and starts a
replication with the plan filled in; the original pilot then lists it. Never /admin/.
"""

import re

import pytest
from playwright.sync_api import expect

from mobilise.accounts.tests.factories import PASSWORD, OrganisationFactory, mission_lead
from mobilise.indicators.services import link_places
from mobilise.indicators.tests.factories import ObservationFactory, SeriesFactory
from mobilise.learning.models import Pilot
from mobilise.missions.tests.factories import MissionFactory, OutcomeFactory
from mobilise.places.models import Place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRENDS = {
    "Islington": [60, 59, 58, 57, 56, 55, 54, 53, 52, 51],
    "Hackney": [40, 40, 39, 39, 38, 38, 37, 37, 36, 36],
    "Bromley": [70, 68, 66, 64, 62, 60, 58, 56, 54, 52],
    "Lambeth": [50, 50, 50, 50, 50, 50, 50, 50, 50, 50],
}


@pytest.fixture(autouse=True)
def _plain_http(live_settings):
    pass


def _sign_in(page, base, user):
    page.context.clear_cookies()
    page.goto(base + "/account/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _click(page, role, name, **kwargs):
    page.get_by_role(role, name=name, **kwargs).first.click()
    page.wait_for_load_state()


def _main(page):
    return page.locator("main").inner_text()


@pytest.fixture
def world(mission, camden, indicator):
    series = SeriesFactory(indicator=indicator)
    places = {"Camden": camden}
    for n, name in enumerate(TRENDS):
        code = "E09000012" if name == "Hackney" else f"E0900010{n}"
        places[name] = Place.objects.create(code=code, name=name, kind=Place.Kind.UNITARY)
    for name, values in TRENDS.items():
        for i, value in enumerate(values):
            ObservationFactory(series=series, place=places[name], period=str(2010 + i), value=value)
    for i in range(10):
        mix = (TRENDS["Islington"][i] + TRENDS["Hackney"][i]) / 2
        ObservationFactory(
            series=series, place=camden, period=str(2010 + i), value=mix - (8 if i >= 6 else 0)
        )
    link_places(outcome=OutcomeFactory(mission=mission), indicator=indicator, places=[camden])
    hackney_council = OrganisationFactory(
        name="London Borough of Hackney", home_place=places["Hackney"]
    )
    hackney_mission = MissionFactory(
        owner=hackney_council, title="Clean air in Hackney", slug="hackney-air"
    )
    hackney_mission.places.add(places["Hackney"])
    link_places(
        outcome=OutcomeFactory(mission=hackney_mission),
        indicator=indicator,
        places=[places["Hackney"]],
    )
    return {"hackney_mission": hackney_mission, "hackney_lead": mission_lead(hackney_council)}


def test_journey_6_pilot_compare_learn_and_replicate(live_server, page, axe, lead, mission, world):
    base = live_server.url
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))

    # 1. The Camden lead registers a pilot from the mission page.
    _sign_in(page, base, lead)
    page.goto(f"{base}{mission.get_absolute_url()}")
    axe(page)
    _click(page, "link", "Register a pilot")
    expect(page.locator("h1")).to_have_text("Register a pilot")
    axe(page)
    page.get_by_label("Title").fill("School streets in Camden")
    page.get_by_label("Hypothesis").fill(
        "If we close streets outside schools at drop-off, then NO2 falls, because fewer cars idle."
    )
    page.get_by_label("What will you do?").fill("Timed closures outside five primary schools.")
    page.get_by_label("Places where the pilot runs").fill("Camden")
    for prefix, (d, m, y) in {
        "start_date": (1, 1, 2016),
        "planned_end_date": (31, 12, 2019),
    }.items():
        page.locator(f"input[name='{prefix}-day']").fill(str(d))
        page.locator(f"input[name='{prefix}-month']").fill(str(m))
        page.locator(f"input[name='{prefix}-year']").fill(str(y))
    page.get_by_role("checkbox", name="Nitrogen dioxide").check()
    page.get_by_role("radio", name="Synthetic control").check()
    page.get_by_label("Cost (optional)").fill("£8,000")
    _click(page, "button", "Register pilot")
    expect(page.locator("h1")).to_have_text("School streets in Camden")
    assert "£8,000" in _main(page)
    axe(page)
    pilot = Pilot.objects.get(title="School streets in Camden")

    # 2. Comparison places suggested for the measure, with the reason for each; the lead adds them.
    _click(page, "link", "Comparison places: suggested and chosen")
    expect(page.locator("h1")).to_have_text("Comparison places")
    assert "followed Camden" in _main(page)
    axe(page)
    page.get_by_label("Places to add or remove").fill("Islington, Hackney, Bromley, Lambeth")
    page.get_by_label("Why?").fill("The four boroughs whose trend was closest before 2016.")
    _click(page, "button", "Change comparison places")
    assert "Comparison places updated" in _main(page)
    assert "The four boroughs whose trend was closest" in _main(page)
    axe(page)

    # 3. Figures after the start exist: the lead evaluates, and reads the results.
    page.goto(f"{base}{pilot.get_absolute_url()}")
    _click(page, "link", "Results")
    axe(page)
    _click(page, "button", "Evaluate the pilot")
    expect(page.locator("h1")).to_have_text("Results")
    main = _main(page)
    assert "Evidence of an effect" in main
    assert "Synthetic Camden" in main
    expect(page.get_by_role("table", name="Weights of the comparison places")).to_be_attached()
    # The charts are images drawn on the server, named for screen readers, each by its table.
    expect(page.get_by_role("img", name=re.compile("Camden and Synthetic Camden"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("as if each had run the pilot"))).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("How far each place"))).to_be_visible()
    axe(page)

    # 4. The lead records what was learned.
    page.goto(f"{base}{pilot.get_absolute_url()}")
    _click(page, "button", "Record what was learned")
    axe(page)
    page.get_by_label("What was learned, in a line").fill("School streets cut NO2 at the gate")
    page.get_by_label("What was learned", exact=True).fill("NO2 fell against a synthetic Camden.")
    page.get_by_label("In what conditions?").fill("Streets with another way round")
    _click(page, "button", "Record learning")
    expect(page.locator("h1")).to_have_text("School streets cut NO2 at the gate")
    axe(page)
    # ... and changes it: who it worked for.
    _click(page, "link", "Change this learning")
    expect(page.locator("h1")).to_have_text("Change what was learned")
    axe(page)
    page.get_by_label("For whom did it work, or not?").fill("Children walking to primary school")
    _click(page, "button", "Save changes")
    expect(page.locator("h1")).to_have_text("School streets cut NO2 at the gate")
    assert "Children walking to primary school" in _main(page)

    # 5. A Hackney lead finds it from Hackney's mission page and starts a replication.
    _sign_in(page, base, world["hackney_lead"])
    page.goto(f"{base}{world['hackney_mission'].get_absolute_url()}")
    assert "What other places learned on the same measures" in _main(page)
    axe(page)
    _click(page, "link", "School streets cut NO2 at the gate")
    axe(page)
    _click(page, "button", "Try this in my place")
    expect(page.locator("h1")).to_have_text("Try this in my place")
    axe(page)
    _click(page, "button", "Continue")
    expect(page.locator("h1")).to_have_text("Register a pilot")
    expect(page.get_by_label("Title")).to_have_value("School streets in Camden (replication)")
    assert "This pilot replicates" in _main(page)
    axe(page)
    page.get_by_label("Title").fill("School streets in Hackney")
    for prefix, (d, m, y) in {
        "start_date": (1, 9, 2026),
        "planned_end_date": (31, 7, 2027),
    }.items():
        page.locator(f"input[name='{prefix}-day']").fill(str(d))
        page.locator(f"input[name='{prefix}-month']").fill(str(m))
        page.locator(f"input[name='{prefix}-year']").fill(str(y))
    _click(page, "button", "Register pilot")
    expect(page.locator("h1")).to_have_text("School streets in Hackney")
    assert "This pilot replicates" in _main(page)
    axe(page)

    # The original lists its replication.
    page.goto(f"{base}{pilot.get_absolute_url()}")
    assert "School streets in Hackney" in _main(page)
    axe(page)
    assert not any("/admin/" in url for url in visited)
