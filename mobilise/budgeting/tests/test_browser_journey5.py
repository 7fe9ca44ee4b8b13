"""Journey 5, end to end in Chromium, as its users do it, with axe-core on every page:

residents propose projects, officers cost them, residents vote, and the proportional count (Method
of Equal Shares) funds a fair set; each funded project is then tracked to delivery.

A resident proposes an idea; the lead reviews it and costs it, typing "£8,000", says what happens
to money not spent, and opens voting; two residents vote (one giving the whole postcode
"NW5 1TL"); the lead closes voting and the count runs (the immediate task backend in tests); the
results page shows the funded projects and what happens to the money left; a resident asks for
updates by e-mail; the lead posts a dated delivery update with a photo; the resident gets the
e-mail and reads the update on the project's timeline. No page of the journey is under /admin/.
"""

import io

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from mobilise.accounts.models import Role
from mobilise.accounts.tests.factories import PASSWORD, UserFactory, mission_lead
from mobilise.budgeting.models import Ballot, BudgetRound, Phase, Project

from .factories import BudgetRoundFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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


def _main(page):
    return page.locator("main").inner_text()


def _click(page, role, name, **kwargs):
    page.get_by_role(role, name=name, **kwargs).click()
    page.wait_for_load_state()


def _banner(page):
    return page.locator(".govuk-notification-banner").inner_text()


@pytest.fixture
def people(council, camden):
    return {
        "lead": mission_lead(council, email="lead@camden.example", name="Priya Shah"),
        "jo": UserFactory(roles=[Role.RESIDENT], home_place=camden, name="Jo Resident"),
        "sam": UserFactory(roles=[Role.RESIDENT], home_place=camden, name="Sam Okoro"),
    }


@pytest.fixture
def round_(mission, camden):
    """A £20,000 round taking ideas, with one idea already costed."""
    round_ = BudgetRoundFactory(
        mission=mission,
        place=camden,
        phase=Phase.IDEAS,
        title="Kentish Town streets",
        budget=20_000,
        postcode_districts="NW1, NW3, NW5",
    )
    ProjectFactory(round=round_, title="Water fountains", cost=5_000, position=1)
    ProjectFactory(round=round_, title="A mural on the railway bridge", cost=15_000, position=2)
    return round_


def _photo(tmp_path):
    path = tmp_path / "benches.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 140, 60)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_journey_5_from_an_idea_to_a_funded_project_tracked_to_delivery(
    live_server, page, axe, round_, people, tmp_path
):
    base = live_server.url
    lead, jo, sam = people["lead"], people["jo"], people["sam"]
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))

    # 1. A resident proposes a project.
    _sign_in(page, base, jo)
    page.goto(f"{base}/budgets/{round_.pk}/")
    axe(page)
    _click(page, "button", "Propose an idea")
    axe(page)
    page.get_by_label("Name your idea").fill("Benches on Queen's Crescent")
    page.get_by_label("Describe your idea").fill("Somewhere to sit on the way to the market.")
    _click(page, "button", "Send your idea")
    assert "your idea is in" in _banner(page)
    assert "Benches on Queen's Crescent" in page.locator("main").inner_text()
    axe(page)

    # 2. The lead reviews the idea and costs it as people write money: "£8,000".
    _sign_in(page, base, lead)
    page.goto(f"{base}/budgets/{round_.pk}/")
    _click(page, "link", "Review Benches on Queen's Crescent")
    axe(page)
    page.get_by_role("radio", name="Yes: put it on the ballot").check()
    page.get_by_label("Cost").fill("£8,000")
    _click(page, "button", "Save")
    assert "Decision recorded for Benches on Queen's Crescent" in _banner(page)
    on_ballot = page.get_by_role("table", name="Projects on the ballot")
    expect(on_ballot.get_by_role("row", name="Benches on Queen's Crescent")).to_contain_text(
        "£8,000"
    )
    axe(page)

    # 3. The lead says what happens to money not spent, on the round's own edit page.
    _click(page, "link", "Edit round details")
    axe(page)
    page.get_by_label("What happens to money not spent (optional)").fill(
        "Money not spent returns to the council's highways budget."
    )
    _click(page, "button", "Save changes")
    assert "Round updated" in _banner(page)

    # 4. The lead closes ideas, then opens voting.
    for button in ("Move to review", "Move to voting"):
        _click(page, "link", "Move the round on")
        axe(page)
        _click(page, "button", button)
    assert "The round is now in its voting phase." in _banner(page)
    assert BudgetRound.objects.get(pk=round_.pk).phase == Phase.VOTING
    axe(page)

    # 5. Residents vote: Jo gives her district, Sam his whole postcode.
    for voter, postcode, choices in [
        (jo, "NW3", ["Benches on Queen's Crescent – £8,000", "Water fountains – £5,000"]),
        (sam, "NW5 1TL", ["Benches on Queen's Crescent – £8,000"]),
    ]:
        _sign_in(page, base, voter)
        page.goto(f"{base}/budgets/{round_.pk}/")
        assert "Voting is open." in _main(page)
        _click(page, "button", "Vote")
        axe(page)
        page.get_by_label("Your postcode").fill(postcode)
        _click(page, "button", "Continue")
        expect(page.locator("h1")).to_have_text("Choose projects")
        axe(page)
        for choice in choices:
            page.get_by_role("checkbox", name=choice).check()
        _click(page, "button", "Continue")
        expect(page.locator("h1")).to_have_text("Check your choices")
        axe(page)
        _click(page, "button", "Cast my ballot")
        assert "Ballot recorded" in _main(page)
        assert "Method of Equal Shares" in _main(page)
        axe(page)
    assert Ballot.objects.get(round=round_, user=sam).postcode_district == "NW5"

    # 6. The lead closes voting; the count runs at once.
    _sign_in(page, base, lead)
    page.goto(f"{base}/budgets/{round_.pk}/")
    _click(page, "link", "Move the round on")
    expect(page.locator("h1")).to_have_text("Close voting and count the ballots")
    axe(page)
    _click(page, "button", "Close voting")
    axe(page)

    # 7. Everyone reads the results: the funded set and what happens to the money left.
    page.context.clear_cookies()
    page.goto(f"{base}/budgets/{round_.pk}/")
    _click(page, "button", "See the results")
    main = _main(page)
    assert "2 projects are funded, costing £13,000 of the £20,000 budget." in main
    funded = page.locator(".mobilise-pb-results")
    expect(funded).to_contain_text("Benches on Queen's Crescent")
    expect(funded).to_contain_text("Water fountains")
    expect(funded).not_to_contain_text("A mural on the railway bridge")
    assert "Money not spent" in main
    assert "£7,000 of the budget is not spent on these projects." in main
    assert "Money not spent returns to the council's highways budget." in main
    axe(page)

    # 8. Jo asks for updates on the benches by e-mail.
    _sign_in(page, base, jo)
    page.goto(f"{base}/budgets/{round_.pk}/results/")
    _click(page, "link", "Follow its delivery of Benches on Queen's Crescent")
    expect(page.locator("h1")).to_have_text("Benches on Queen's Crescent")
    assert "No updates yet" in _main(page)
    axe(page)
    _click(page, "button", "Get updates by e-mail")
    assert "You will get an e-mail when Benches on Queen's Crescent is updated." in _banner(page)
    axe(page)

    # 9. The lead posts a dated delivery update, with a photo and its description.
    _sign_in(page, base, lead)
    page.goto(f"{base}/budgets/{round_.pk}/results/")
    _click(page, "link", "Post a delivery update on Benches on Queen's Crescent")
    axe(page)
    page.get_by_role("radio", name="In progress").check()
    page.get_by_role("textbox", name="Progress").fill("40")
    page.get_by_label("Spent so far (optional)").fill("£3,500")
    page.get_by_label("What has happened since the last update?").fill(
        "The first three benches are in, outside the library."
    )
    page.get_by_label("Photo (optional)").set_input_files(_photo(tmp_path))
    # Forgetting to describe the photo is caught, and nothing typed is lost but the file.
    _click(page, "button", "Post the update")
    assert (
        "Describe the photo for people who cannot see it"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert page.get_by_label("Spent so far (optional)").input_value() == "£3,500"
    axe(page)
    page.get_by_label("Photo (optional)").set_input_files(_photo(tmp_path))
    page.get_by_label("Describe the photo (needed with a photo)").fill(
        "Two new wooden benches on a pavement"
    )
    planned = page.get_by_role("group", name="Planned finish")
    planned.get_by_label("Day").fill("30")
    planned.get_by_label("Month").fill("9")
    planned.get_by_label("Year").fill("2027")
    _click(page, "button", "Post the update")
    assert "Update posted for Benches on Queen's Crescent" in _banner(page)
    axe(page)
    assert [m.to for m in mail.outbox] == [[jo.email]]
    assert "Benches on Queen's Crescent" in mail.outbox[0].subject

    # 10. Jo finds the update on the project's timeline.
    _sign_in(page, base, jo)
    page.goto(f"{base}/budgets/{round_.pk}/")
    _click(page, "link", "Benches on Queen's Crescent")
    main = _main(page)
    assert "In progress" in main and "40% done" in main
    assert "£3,500 spent so far" in main
    assert "The first three benches are in, outside the library." in main
    assert "30 September 2027" in main  # the planned finish
    photo = page.get_by_role("img", name="Two new wooden benches on a pavement")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.naturalWidth") == 40  # the photo itself loads
    assert "Stop getting updates by e-mail" in main
    axe(page)

    assert Project.objects.get(title="Benches on Queen's Crescent").delivery.progress == 40
    assert visited and not [url for url in visited if "/admin/" in url]
