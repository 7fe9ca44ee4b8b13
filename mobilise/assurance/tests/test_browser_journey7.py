"""Journey 7 in Chromium, step by step as its users, with axe-core on every page and never
/admin/: before the quarterly council meeting the mission lead (who holds the council's
secretariat seat) schedules the meeting and sets its agenda, produces the stocktake pack for the
period since the last one, downloads its tagged PDF and adds the pack to the meeting's papers; a
council member records the delivery-confidence judgement; the lead records the council's decision
under an agenda item; and the public council page shows the meeting, its paper and the decision.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mobilise.accounts.tests.factories import PASSWORD
from mobilise.assurance.models import Assessment, Decision, Meeting, Pack, Paper

from .factories import AssessmentFactory, CouncilMemberFactory, ready_pack
from .test_pack_pdf_ua import assert_tagged_pdf_ua

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MISSION = "Clean air and net zero travel in Camden"


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


def _go(page, axe, link_name):
    page.get_by_role("link", name=link_name).first.click()
    page.wait_for_load_state()
    axe(page)


def _submit(page, axe, button_name):
    page.get_by_role("button", name=button_name).click()
    page.wait_for_load_state()
    axe(page)


def test_journey_7_the_quarterly_council_meeting(live_server, page, axe, borough, tmp_path):
    base, mission, lead = live_server.url, borough["mission"], borough["lead"]
    today = timezone.localdate()
    # The lead holds the council's secretariat seat, as in the demo.
    CouncilMemberFactory(
        council=borough["council"], user=lead, name="Priya Shah", role="secretariat"
    )
    # Last quarter's pack, for the meeting a fortnight ago.
    last = ready_pack(mission)
    Pack.objects.filter(pk=last.pk).update(
        period_start=today - dt.timedelta(days=106), period_end=today - dt.timedelta(days=16)
    )
    # The council rated the first outcome Amber/Red, though its indicator is on track.
    AssessmentFactory(
        mission=mission,
        outcome=borough["outcomes"][0],
        rating="amber_red",
        rationale="Delivery is in doubt because indicators are off track.",
        assessed_on=today - dt.timedelta(days=20),
    )

    # 1. The lead opens the council from the mission and schedules the quarterly meeting.
    _sign_in(page, base, lead)
    page.goto(base + mission.get_absolute_url())
    axe(page)
    _go(page, axe, re.compile("Mission council"))
    _go(page, axe, "Schedule a meeting")
    _submit(page, axe, "Schedule the meeting")  # nothing filled in: the errors say what to do
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the meeting")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Start time").fill("6pm")
    page.get_by_label("End time (optional)").fill("8pm")
    page.get_by_label("Place").fill("Committee Room 1, 5 Pancras Square")
    page.get_by_label("Link to join online").fill("meet.example.org/camden-clean-air")
    _submit(page, axe, "Schedule the meeting")
    main = page.locator("main")
    expect(main).to_contain_text("Meeting scheduled")
    expect(main).to_contain_text("at 6pm to 8pm")
    expect(main).to_contain_text("https://meet.example.org/camden-clean-air")
    meeting = Meeting.objects.get(location="Committee Room 1, 5 Pancras Square")

    # 2. … and sets its agenda, in order.
    _go(page, axe, "Set the agenda")
    page.get_by_label("Agenda items").fill(
        "Minutes and actions\nStocktake pack\nDelivery confidence\nAny other business"
    )
    _submit(page, axe, "Save the agenda")
    agenda = page.locator("main ol.govuk-list--number li")
    expect(agenda).to_have_text(
        ["Minutes and actions", "Stocktake pack", "Delivery confidence", "Any other business"]
    )

    # 3. The lead produces the stocktake pack: by default, for the period since the last one.
    page.goto(base + f"/assurance/missions/{mission.slug}/stocktakes/")
    axe(page)
    since = today - dt.timedelta(days=15)
    produce = page.get_by_role(
        "button",
        name=f"Produce a stocktake pack for {since:%-d %B %Y} to {today:%-d %B %Y}",
    )
    expect(produce).to_be_visible()
    produce.click()
    page.wait_for_load_state()
    axe(page)
    pack = Pack.objects.exclude(pk=last.pk).get()
    assert pack.status == Pack.Status.READY  # the worker runs at once in tests
    assert (pack.period_start, pack.period_end) == (since, today)
    expect(main).to_contain_text(
        "The rating and the data disagree: the indicator is on track but the rating is Amber/Red."
    )

    # 4. … downloads the PDF: a tagged PDF/UA document with the mission as its title.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pack as a PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert_tagged_pdf_ua(pdf, MISSION)

    # 5. … and adds it to the meeting's papers in one step, on the pack's page.
    # The pack's page lists the meetings coming up (today's included).
    page.get_by_role("group", name="Which meeting?").get_by_label(
        re.compile("Committee Room 1, 5 Pancras Square")
    ).check()
    _submit(page, axe, "Add to the meeting's papers")
    assert page.url.endswith(meeting.get_absolute_url())
    expect(main).to_contain_text("The stocktake pack is now one of the meeting's papers")
    paper = Paper.objects.get(meeting=meeting, pack=pack)
    expect(page.get_by_role("link", name=paper.title, exact=True)).to_be_visible()

    # 6. A council member who assesses delivery confidence records the council's judgement.
    _sign_in(page, base, borough["assessor"])
    page.goto(base + f"/assurance/missions/{mission.slug}/confidence/")
    axe(page)
    expect(main).to_contain_text("The rating and the data disagree")
    page.get_by_role("button", name="Record an assessment").click()
    page.wait_for_load_state()
    axe(page)
    page.get_by_label("Successful delivery is feasible but there are significant issues").check()
    page.get_by_label("Rationale").fill(
        "Transport emissions are on their trajectory; the school streets programme is late."
    )
    _submit(page, axe, "Record the assessment")
    expect(main).to_contain_text("Assessment recorded")
    assert Assessment.objects.filter(
        mission=mission, outcome=None, rating="amber", assessor=borough["assessor"]
    ).exists()

    # 7. The lead, for the secretariat, records the decision under its agenda item.
    _sign_in(page, base, lead)
    page.goto(base + meeting.get_absolute_url())
    axe(page)
    _go(page, axe, "Record a decision")
    _submit(page, axe, "Record the decision")  # nothing chosen: the errors say what to do
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose the agenda item the decision was made under"
    )
    page.get_by_label("3. Delivery confidence").check()
    page.get_by_label("Proposed by").select_option(label="Dr Amara Okonkwo, Chair")
    page.get_by_label("Agreed", exact=True).check()
    page.get_by_label("Decision", exact=True).fill(
        "Keep delivery confidence at Amber and ask for the recovery plan by the next meeting"
    )
    _submit(page, axe, "Record the decision")
    expect(main).to_contain_text("Decision recorded")
    decision = Decision.objects.get(meeting=meeting)
    assert decision.agenda_item.title == "Delivery confidence"
    assert (decision.outcome, decision.proposer_name) == ("agreed", "Dr Amara Okonkwo")

    # 8. Anyone reads the record: the meeting, its paper and the decision.
    page.context.clear_cookies()
    page.goto(base + f"/assurance/missions/{mission.slug}/council/")
    axe(page)
    council_page = main.inner_text()
    assert "Committee Room 1, 5 Pancras Square" in council_page
    assert "Keep delivery confidence at Amber" in council_page
    assert "Dr Amara Okonkwo" in council_page and "Agreed" in council_page
    assert "Schedule a meeting" not in council_page
    page.get_by_role("link", name=re.compile(f"{today:%-d %B %Y}")).first.click()
    page.wait_for_load_state()
    axe(page)
    meeting_page = main.inner_text()
    assert paper.title in meeting_page and "Keep delivery confidence at Amber" in meeting_page
    assert "Record a decision" not in meeting_page and "Set the agenda" not in meeting_page
    assert "/admin/" not in page.url
