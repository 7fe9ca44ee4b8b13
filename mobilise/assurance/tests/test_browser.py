"""The assurance journeys in Chromium, with axe-core on every page (no serious or critical
problems): the secretariat minutes a meeting and adds a paper; an assessor records delivery
confidence with the evidence beside the form; the lead produces a stocktake pack; the national
mission shows the borough in its roll-up; the secretariat tries a failed pack again, and a pack
whose worker died (stalled); the secretariat records an action owned by a council member, and
corrects an action's owner and due date while its owner changes only the status."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mobilise.accounts.tests.factories import PASSWORD
from mobilise.assurance.models import Action, Assessment, Pack, Paper
from mobilise.core.testing.browser import expect_error_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _plain_http(live_settings, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _sign_in(page, base, user):
    page.context.clear_cookies()
    page.goto(base + "/account/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_council_confidence_stocktake_and_roll_up(live_server, page, axe, borough, tmp_path):
    base = live_server.url
    slug = borough["mission"].slug

    # Anyone can read the council's record; the overdue action stands out.
    page.goto(base + borough["mission"].get_absolute_url())
    axe(page)
    page.get_by_role("link", name=re.compile("Mission council")).click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "1 action is overdue." in main and "Overdue" in main
    axe(page)

    # The secretariat writes the minutes and adds a paper.
    _sign_in(page, base, borough["secretary"])
    page.goto(base + f"/assurance/missions/{slug}/council/")
    page.locator("a[href*='/council/meetings/']").first.click()
    axe(page)
    page.get_by_role("link", name="Edit the minutes").click()
    axe(page)
    page.get_by_label("Minutes").fill("All present.\n\nThe recovery plan was agreed.")
    page.get_by_role("button", name="Save the minutes").click()
    page.wait_for_load_state()
    assert "The recovery plan was agreed." in page.locator("main").inner_text()
    axe(page)
    page.get_by_role("link", name="Add a paper").click()
    axe(page)
    paper = tmp_path / "plan.pdf"
    paper.write_bytes(b"%PDF-1.4 recovery plan")
    page.get_by_label("Title").fill("Recovery plan")
    page.get_by_label("Upload a file").set_input_files(str(paper))
    page.get_by_role("button", name="Add the paper").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Recovery plan", exact=True).is_visible()
    assert Paper.objects.count() == 1
    axe(page)

    # An assessor records delivery confidence, seeing the evidence beside the form.
    _sign_in(page, base, borough["assessor"])
    page.goto(base + f"/assurance/missions/{slug}/confidence/")
    axe(page)
    page.get_by_role("button", name="Record an assessment").click()
    page.wait_for_load_state()
    evidence = page.locator(".mobilise-assurance-evidence").inner_text()
    assert "Indicators against their trajectories" in evidence
    assert "Bring the recovery plan" in evidence
    axe(page)
    page.get_by_role("button", name="Record the assessment").click()
    expect_error_page(page)
    axe(page)
    page.get_by_label("Successful delivery is probable").check()
    page.get_by_label("Rationale").fill("The recovery plan is agreed and funded.")
    page.get_by_role("button", name="Record the assessment").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "The recovery plan is agreed and funded." in main
    assert "Improved from Amber" in main
    assert Assessment.objects.filter(rating="amber_green").exists()
    axe(page)

    # The lead produces a stocktake pack and updates the overdue action.
    _sign_in(page, base, borough["lead"])
    page.goto(base + f"/assurance/missions/{slug}/stocktakes/")
    axe(page)
    page.get_by_role("link", name="Choose another period").click()
    axe(page)
    page.go_back()
    page.get_by_role("button", name=re.compile("Produce a stocktake pack for")).click()
    page.wait_for_load_state()
    assert Pack.objects.get().status == Pack.Status.READY
    main = page.locator("main").inner_text()
    assert "Download the pack as a PDF" in main and "Amber/Green" in main
    axe(page)
    page.goto(base + f"/assurance/missions/{slug}/council/actions/{borough['overdue'].pk}/")
    axe(page)
    page.get_by_label("Status").select_option(label="Done")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "action is overdue" not in page.locator("main").inner_text()

    # The national mission shows the borough in its roll-up.
    page.goto(base + borough["national"].get_absolute_url())
    rollup = page.locator(".mobilise-assurance-rollup").inner_text()
    assert "Camden" in rollup and "Amber/Green" in rollup
    page.wait_for_load_state("networkidle")
    axe(page)


def test_every_assurance_page_passes_axe(live_server, page, axe):
    """The sweep of tests/browser/test_every_page_accessible.py for this app's pages: as a
    visitor for public pages, as the owning lead (also the secretariat) for the rest."""
    from tests.url_catalogue import PUBLIC, build_world, our_patterns, url_for

    world = build_world()
    not_html = {"assurance:pack_pdf", "assurance:paper_download"}
    pages = [
        (name, url_for(name, pattern, world))
        for name, pattern in our_patterns()
        if name.startswith("assurance:") and name not in not_html
    ]
    assert len(pages) == 17
    for name, url in [(n, u) for n, u in pages if n in PUBLIC]:
        assert page.goto(live_server.url + url).status == 200, name
        axe(page)
    _sign_in(page, live_server.url, world["lead"])
    for name, url in [(n, u) for n, u in pages if n not in PUBLIC]:
        assert page.goto(live_server.url + url).status == 200, name
        axe(page)


def _no_button_for_the_public_but_one_in_the_secretariats_list(page, axe, base, borough, pack):
    assert page.get_by_role("button", name="Try again").count() == 0
    axe(page)
    _sign_in(page, base, borough["secretary"])
    page.goto(base + f"/assurance/missions/{borough['mission'].slug}/stocktakes/")
    assert (
        page.get_by_role("button", name=re.compile("^Try again to produce the pack")).count() == 1
    )
    axe(page)
    page.goto(base + pack.get_absolute_url())


def _try_again_produces_it(page, axe, pack):
    page.get_by_role("button", name="Try again").click()
    page.wait_for_load_state()
    main = page.locator("main")
    expect(main).to_contain_text("Trying again.")
    expect(main).to_contain_text("Download the pack as a PDF")
    pack.refresh_from_db()
    assert (pack.status, pack.attempts) == ("ready", 2)
    axe(page)


def test_the_secretariat_tries_a_failed_pack_again(live_server, page, axe, borough):
    # As the worker leaves a pack whose printing failed (the failure itself: test_pack_retry.py).
    today = timezone.localdate()
    pack = Pack.objects.create(
        mission=borough["mission"],
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        requested_by=borough["lead"],
        status=Pack.Status.FAILED,
        attempts=1,
        failed_step=Pack.Step.PDF,
        error="OSError: cannot load the font",
    )
    base = live_server.url

    # The public sees that it failed, not why, and no button.
    page.goto(base + pack.get_absolute_url())
    main = page.locator("main").inner_text()
    assert "The pack could not be produced" in main and "OSError" not in main
    _no_button_for_the_public_but_one_in_the_secretariats_list(page, axe, base, borough, pack)
    main = page.locator("main").inner_text()
    assert "1 attempt has been made." in main and "The PDF could not be printed." in main
    page.get_by_text("The error, for the platform team").click()
    expect(page.locator("main")).to_contain_text("OSError: cannot load the font")
    axe(page)
    _try_again_produces_it(page, axe, pack)


def test_the_secretariat_tries_a_stalled_pack_again(live_server, page, axe, borough):
    # As a worker that died mid-run leaves a pack: pending, its attempt started two hours ago.
    today = timezone.localdate()
    pack = Pack.objects.create(
        mission=borough["mission"],
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        requested_by=borough["lead"],
        attempts=1,
    )
    Pack.objects.filter(pk=pack.pk).update(
        attempt_started_at=timezone.now() - dt.timedelta(hours=2)
    )
    base = live_server.url

    # The public reads a plain sentence, and no button.
    page.goto(base + pack.get_absolute_url())
    expect(page.locator("main")).to_contain_text(
        "This pack has been being prepared for more than an hour. The mission team can try again."
    )
    _no_button_for_the_public_but_one_in_the_secretariats_list(page, axe, base, borough, pack)
    expect(page.locator("main")).to_contain_text(
        "This pack has been being prepared for more than an hour; "
        "the process producing it may have stopped."
    )
    axe(page)
    _try_again_produces_it(page, axe, pack)


def test_the_secretariat_gives_an_action_to_a_council_member(live_server, page, axe, borough):
    base, slug = live_server.url, borough["mission"].slug
    _sign_in(page, base, borough["secretary"])
    page.goto(base + borough["meeting"].get_absolute_url())
    page.get_by_role("link", name="Record an action agreed at this meeting").click()
    page.wait_for_load_state()
    owners = page.get_by_role("group", name="Who will do it?")
    for name in ("Dr Amara Okonkwo", "Margaret Hughes", "Plain Member", "Sam Secretary"):
        expect(owners.get_by_label(name)).to_be_visible()
    # "Their name" belongs to "Someone else", shown when that is chosen.
    expect(page.get_by_label("Their name")).to_be_hidden()
    page.get_by_label("Someone else").check()
    expect(page.get_by_label("Their name")).to_be_visible()
    axe(page)

    page.get_by_role("button", name="Record the action").click()
    expect_error_page(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the action")
    expect(summary).to_contain_text("Enter the name of the person who will do it")
    axe(page)

    due = timezone.localdate() - dt.timedelta(days=2)
    page.get_by_label("Action", exact=True).fill("Ask the hospital trust for its travel plan")
    owners.get_by_label("Dr Amara Okonkwo").check()
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Record the action").click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Action recorded")
    row = page.get_by_role("row").filter(has_text="Ask the hospital trust for its travel plan")
    expect(row).to_contain_text("Dr Amara Okonkwo")
    expect(row).to_contain_text("Overdue")
    action = Action.objects.get(text="Ask the hospital trust for its travel plan")
    assert action.owner_member.name == "Dr Amara Okonkwo"
    assert action.meeting == borough["meeting"]
    assert page.url == base + f"/assurance/missions/{slug}/council/"
    axe(page)


def test_the_secretariat_corrects_an_action_and_the_owner_updates_its_status(
    live_server, page, axe, borough
):
    from mobilise.assurance import services

    chair = borough["council"].members.get(name="Dr Amara Okonkwo")
    action = services.action_create(
        council=borough["council"],
        text="Ask the hospital trust for its travel plan",
        due_date=timezone.localdate() + dt.timedelta(days=2),
        owner_member=chair,
    )
    base, slug = live_server.url, borough["mission"].slug
    _sign_in(page, base, borough["secretary"])
    page.goto(base + f"/assurance/missions/{slug}/council/")
    page.get_by_role("link", name="Update Ask the hospital trust for its travel plan").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Update an action")).to_be_visible()
    owners = page.get_by_role("group", name="Who will do it?")
    expect(owners.get_by_label("Dr Amara Okonkwo")).to_be_checked()
    expect(page.get_by_label("Action", exact=True)).to_have_value(action.text)
    expect(page.get_by_role("group", name="Due date")).to_be_visible()
    axe(page)

    # Someone else needs a name, as when recording.
    page.get_by_label("Someone else").check()
    page.get_by_label("Their name").fill("")
    page.get_by_role("button", name="Save").click()
    expect_error_page(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the name of the person who will do it"
    )
    axe(page)

    due = timezone.localdate() + dt.timedelta(days=30)
    page.get_by_role("group", name="Who will do it?").get_by_label("Margaret Hughes").check()
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Action updated")
    row = page.get_by_role("row").filter(has_text="Ask the hospital trust for its travel plan")
    expect(row).to_contain_text("Margaret Hughes")
    expect(row).to_contain_text(f"{due:%-d %b %Y}")
    axe(page)

    # The new owner sees the status alone, and changes it.
    _sign_in(page, base, borough["assessor"])
    page.goto(base + f"/assurance/missions/{slug}/council/actions/{action.pk}/")
    expect(page.get_by_label("Status")).to_be_visible()
    expect(page.get_by_role("group", name="Who will do it?")).to_have_count(0)
    expect(page.get_by_role("group", name="Due date")).to_have_count(0)
    axe(page)
    page.get_by_label("Status").select_option(label="In progress")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    row = page.get_by_role("row").filter(has_text="Ask the hospital trust for its travel plan")
    expect(row).to_contain_text("In progress")
    expect(row).to_contain_text("Margaret Hughes")
    axe(page)
