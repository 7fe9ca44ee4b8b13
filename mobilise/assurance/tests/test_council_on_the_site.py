"""Journey 7 on the site, without /admin/: the secretariat schedules the council's meetings, sets
their agendas, records decisions (agenda item, proposer, outcome) and adds a stocktake pack to a
meeting's papers; a new pack covers the period since the last one; and where a rating and the
indicators disagree, the pack and the confidence page say so."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from mobilise.assurance import selectors, stocktake
from mobilise.assurance.models import AgendaItem, CouncilMember, Decision, Meeting, Pack, Paper

from .factories import AssessmentFactory, CouncilMemberFactory, MeetingFactory, ready_pack

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


def _url(name, mission, *args):
    return reverse(f"assurance:{name}", args=[mission.slug, *args])


def _text(response) -> str:
    return " ".join(response.content.decode().split())


# --- meetings ------------------------------------------------------------------------------------


def test_the_secretariat_schedules_a_meeting_as_people_type_it_and_the_public_sees_it(
    client, borough
):
    mission = borough["mission"]
    client.force_login(borough["secretary"])
    council_page = _text(client.get(_url("council", mission)))
    assert "Schedule a meeting" in council_page
    day = timezone.localdate() + dt.timedelta(days=21)
    response = client.post(
        _url("meeting_create", mission),
        {
            **_date("day", day),
            "start_time": "6pm",
            "end_time": "8.30 pm",
            "location": "Committee Room 1, 5 Pancras Square",
            "link": "meet.example.org/clean-air",
        },
    )
    meeting = Meeting.objects.get(location="Committee Room 1, 5 Pancras Square")
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert timezone.localtime(meeting.starts_at).time() == dt.time(18, 0)
    assert timezone.localtime(meeting.ends_at).time() == dt.time(20, 30)
    assert meeting.link == "https://meet.example.org/clean-air"

    client.logout()
    page = _text(client.get(meeting.get_absolute_url()))
    assert "at 6pm to 8:30pm" in page and "https://meet.example.org/clean-air" in page
    assert "Committee Room 1, 5 Pancras Square" in _text(client.get(_url("council", mission)))


def test_a_meeting_needs_a_place_or_a_link_and_ends_after_it_starts_losing_nothing(client, borough):
    client.force_login(borough["secretary"])
    day = timezone.localdate() + dt.timedelta(days=7)
    response = client.post(
        _url("meeting_create", borough["mission"]),
        {**_date("day", day), "start_time": "18:00", "end_time": "5pm", "location": ""},
    )
    page = _text(response)
    assert response.status_code == 200
    assert "Enter where the meeting is held, a link to join it, or both" in page
    assert 'value="18:00"' in page and 'value="5pm"' in page  # nothing typed is lost
    response = client.post(
        _url("meeting_create", borough["mission"]),
        {**_date("day", day), "start_time": "18:00", "end_time": "5pm", "location": "Town hall"},
    )
    assert "The end time must be after the start time" in _text(response)
    response = client.post(
        _url("meeting_create", borough["mission"]),
        {**_date("day", day), "start_time": "teatime", "location": "Town hall"},
    )
    assert "Enter a time, like 6pm or 18:00" in _text(response)
    assert Meeting.objects.count() == 1  # the fixture's


def test_the_secretariat_moves_a_meeting(client, borough):
    meeting = borough["meeting"]
    client.force_login(borough["secretary"])
    edit = _url("meeting_edit", borough["mission"], meeting.pk)
    assert 'value="Town hall"' in _text(client.get(edit))
    day = timezone.localdate() + dt.timedelta(days=3)
    client.post(edit, {**_date("day", day), "start_time": "10am", "link": "https://meet.example"})
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at) == dt.datetime.combine(
        day, dt.time(10), tzinfo=timezone.get_current_timezone()
    )
    assert meeting.location == "" and meeting.link == "https://meet.example"


@pytest.mark.parametrize("who", ["lead", "member", "assessor"])
def test_only_the_secretariat_schedules_meetings_and_records_decisions(client, borough, who):
    mission, meeting = borough["mission"], borough["meeting"]
    client.force_login(borough[who])
    assert "Schedule a meeting" not in _text(client.get(_url("council", mission)))
    page = _text(client.get(meeting.get_absolute_url()))
    assert "Record a decision" not in page and "Set the agenda" not in page
    for name, args in (
        ("meeting_create", ()),
        ("meeting_edit", (meeting.pk,)),
        ("agenda_edit", (meeting.pk,)),
        ("decision_create", (meeting.pk,)),
    ):
        assert client.get(_url(name, mission, *args)).status_code == 403, name


# --- agendas -------------------------------------------------------------------------------------


def _agenda(meeting):
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("order"))


def test_the_agenda_is_set_and_edited_in_order_keeping_its_items(client, borough):
    meeting = borough["meeting"]
    client.force_login(borough["secretary"])
    url = _url("agenda_edit", borough["mission"], meeting.pk)
    client.post(url, {"items": "Welcome\n\nStocktake pack\r\nDelivery confidence\n"})
    first = _agenda(meeting)
    assert [i.title for i in first] == ["Welcome", "Stocktake pack", "Delivery confidence"]

    # Moved, reworded in place, one added: the items keep their identity.
    client.post(url, {"items": "Welcome and apologies\nDelivery confidence\nStocktake pack\nAOB"})
    second = _agenda(meeting)
    assert [i.title for i in second] == [
        "Welcome and apologies",
        "Delivery confidence",
        "Stocktake pack",
        "AOB",
    ]
    assert [i.pk for i in second[:3]] == [first[0].pk, first[2].pk, first[1].pk]
    page = _text(client.get(meeting.get_absolute_url()))
    assert "Edit the agenda" in page
    assert page.index("Delivery confidence") < page.index("Stocktake pack")


def test_an_agenda_item_with_a_decision_stays_on_the_agenda(client, borough):
    meeting = borough["meeting"]
    item = AgendaItem.objects.create(meeting=meeting, title="Recovery plan", order=0)
    AgendaItem.objects.create(meeting=meeting, title="AOB", order=1)
    meeting.decisions.update(agenda_item=item)
    client.force_login(borough["secretary"])
    response = client.post(
        _url("agenda_edit", borough["mission"], meeting.pk), {"items": "AOB\nSomething new"}
    )
    page = _text(response)
    assert "“Recovery plan” has a decision recorded under it, so it stays on the agenda" in page
    assert "Something new" in page  # what was typed is shown again
    assert [i.title for i in _agenda(meeting)] == ["Recovery plan", "AOB"]


# --- decisions -----------------------------------------------------------------------------------


def test_the_secretariat_records_a_decision_under_an_agenda_item_with_its_proposer_and_outcome(
    client, borough
):
    mission, meeting = borough["mission"], borough["meeting"]
    item = AgendaItem.objects.create(meeting=meeting, title="Stocktake pack", order=0)
    chair = CouncilMember.objects.get(name="Dr Amara Okonkwo")
    client.force_login(borough["secretary"])
    url = _url("decision_create", mission, meeting.pk)
    form = _text(client.get(url))
    assert "1. Stocktake pack" in form and "Dr Amara Okonkwo, Chair" in form
    assert "Deferred" in form and "Not agreed" in form

    response = client.post(url, {"agenda_item": item.pk, "outcome": "deferred", "text": "Wait"})
    assert "Choose the council member who proposed it" in _text(response)
    response = client.post(
        url,
        {
            "agenda_item": item.pk,
            "proposed_by": chair.pk,
            "outcome": "deferred",
            "text": "Review the recovery plan at the next meeting",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(text="Review the recovery plan at the next meeting")
    assert decision.agenda_item == item and decision.proposed_by == chair
    assert decision.decided_on == timezone.localtime(meeting.starts_at).date()

    client.logout()
    for page in (client.get(meeting.get_absolute_url()), client.get(_url("council", mission))):
        text = _text(page)
        assert "Review the recovery plan at the next meeting" in text
        assert "Stocktake pack" in text and "Dr Amara Okonkwo" in text and "Deferred" in text


def test_a_decision_needs_a_member_of_this_council_and_the_meeting_to_have_come(client, borough):
    mission, meeting = borough["mission"], borough["meeting"]
    item = AgendaItem.objects.create(meeting=meeting, title="AOB", order=0)
    stranger = CouncilMemberFactory(name="Someone Elsewhere")  # another council's
    client.force_login(borough["secretary"])
    url = _url("decision_create", mission, meeting.pk)
    response = client.post(
        url,
        {"agenda_item": item.pk, "proposed_by": stranger.pk, "outcome": "agreed", "text": "X"},
    )
    assert "Choose a member of the council" in _text(response)

    future = MeetingFactory(
        council=borough["council"], starts_at=timezone.now() + dt.timedelta(days=5)
    )
    AgendaItem.objects.create(meeting=future, title="AOB", order=0)
    assert "Record a decision" not in _text(client.get(future.get_absolute_url()))
    page = _text(client.get(_url("decision_create", mission, future.pk)))
    assert "Decisions can be recorded from the day of the meeting." in page
    assert Decision.objects.filter(text="X").count() == 0


# --- the stocktake pack as a paper ---------------------------------------------------------------


def test_the_secretariat_adds_a_ready_pack_to_an_upcoming_meetings_papers_in_one_step(
    client, borough
):
    mission = borough["mission"]
    pack = ready_pack(mission)
    upcoming = MeetingFactory(
        council=borough["council"],
        starts_at=timezone.now() + dt.timedelta(days=5),
        location="Kentish Town Community Centre",
    )
    client.force_login(borough["secretary"])
    pack_page = _text(client.get(pack.get_absolute_url()))
    assert "Add to a meeting" in pack_page and "Kentish Town Community Centre" in pack_page
    url = _url("pack_paper", mission, pack.pk)
    form = _text(client.get(url))
    assert "Kentish Town Community Centre" in form
    assert "Town hall" not in form  # the fixture's meeting is past
    response = client.post(url, {"meeting": upcoming.pk})
    assert response.status_code == 302 and response["Location"] == upcoming.get_absolute_url()

    paper = Paper.objects.get(pack=pack)
    client.logout()
    page = _text(client.get(upcoming.get_absolute_url()))
    assert paper.title in page and paper.title.startswith("Stocktake pack, ")
    download = client.get(reverse("assurance:paper_download", args=[paper.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "the meeting on" in _text(client.get(pack.get_absolute_url()))

    # Once a paper of that meeting, the pack is not offered for it again.
    client.force_login(borough["secretary"])
    assert "Kentish Town Community Centre" not in _text(client.get(url))
    assert "Kentish Town Community Centre" not in _text(client.get(pack.get_absolute_url()))
    assert client.post(url, {"meeting": upcoming.pk}).status_code == 200
    assert Paper.objects.filter(pack=pack).count() == 1


def test_only_the_secretariat_adds_a_pack_to_a_meetings_papers(client, borough):
    pack = ready_pack(borough["mission"])
    client.force_login(borough["lead"])
    assert "Add to a meeting" not in client.get(pack.get_absolute_url()).content.decode()
    assert client.get(_url("pack_paper", borough["mission"], pack.pk)).status_code == 403


# --- the default period --------------------------------------------------------------------------


def _button(client, mission) -> str:
    page = _text(client.get(_url("packs", mission)))
    start = page.index("Produce a stocktake pack for")
    return page[start : page.index("<", start)].strip()


def test_the_first_pack_defaults_to_the_last_quarter(client, borough):
    client.force_login(borough["lead"])
    today = timezone.localdate()
    start, end = selectors.default_pack_period(borough["mission"])
    assert end == today and (today - start).days >= 88
    assert start == selectors._months_before(today, 3) + dt.timedelta(days=1)
    assert _button(client, borough["mission"]) == (
        f"Produce a stocktake pack for {start:%-d %B %Y} to {today:%-d %B %Y}"
    )


def test_a_new_pack_defaults_to_the_period_since_the_last_one(client, borough):
    mission = borough["mission"]
    today = timezone.localdate()
    last = ready_pack(mission)
    Pack.objects.filter(pk=last.pk).update(
        period_start=today - dt.timedelta(days=100), period_end=today - dt.timedelta(days=16)
    )
    client.force_login(borough["lead"])
    since = today - dt.timedelta(days=15)
    assert _button(client, mission) == (
        f"Produce a stocktake pack for {since:%-d %B %Y} to {today:%-d %B %Y}"
    )
    # A pack already reaching today: the next one is for the last quarter again, not one day.
    Pack.objects.filter(pk=last.pk).update(period_end=today)
    start, end = selectors.default_pack_period(mission)
    assert (end - start).days >= 88


def test_three_months_before_keeps_to_the_end_of_a_shorter_month():
    assert selectors._months_before(dt.date(2027, 5, 31), 3) == dt.date(2027, 2, 28)
    assert selectors._months_before(dt.date(2027, 1, 15), 3) == dt.date(2026, 10, 15)
    assert selectors.default_pack_period.__doc__


# --- the rating and the data ---------------------------------------------------------------------


def test_the_rating_and_the_data_disagree_in_plain_words():
    on, off, risk = "on_track", "off_track", "at_risk"
    assert selectors.rating_disagreement("amber_red", [on, on]) == (
        "The rating and the data disagree: both indicators are on track but the rating is "
        "Amber/Red."
    )
    assert selectors.rating_disagreement("red", [on]) == (
        "The rating and the data disagree: the indicator is on track but the rating is Red."
    )
    assert "all 3 indicators are off track but the rating is Green" in (
        selectors.rating_disagreement("green", [off, off, off]) or ""
    )
    assert "1 of 2 indicators is off track but the rating is Green" in (
        selectors.rating_disagreement("green", [off, on]) or ""
    )
    # Agreement, or nothing to compare: nothing said.
    assert selectors.rating_disagreement("amber_red", [on, off]) is None
    assert selectors.rating_disagreement("amber", [on, on]) is None
    assert selectors.rating_disagreement("green", [on, risk]) is None
    assert selectors.rating_disagreement("red", ["insufficient_data", None]) is None
    assert selectors.rating_disagreement(None, [on]) is None


def test_the_confidence_page_and_the_pack_say_when_the_rating_and_the_indicators_disagree(
    client, borough
):
    mission, outcome = borough["mission"], borough["outcomes"][0]
    # The fixture's indicator is on track; the council rates its outcome Amber/Red regardless.
    AssessmentFactory(
        mission=mission,
        outcome=outcome,
        rating="amber_red",
        rationale="Delivery is in doubt because indicators are off track.",
    )
    AssessmentFactory(mission=mission, outcome=borough["outcomes"][1], rating="red")  # no data
    said = (
        "The rating and the data disagree: the indicator is on track but the rating is Amber/Red."
    )
    page = _text(client.get(_url("confidence", mission)))
    assert page.count(said) == 1
    assert page.index(outcome.title) < page.index(said)

    facts = stocktake.gather(
        mission, timezone.localdate() - dt.timedelta(days=30), timezone.localdate()
    )
    html = " ".join(stocktake.render_html(facts).split())
    assert html.count(said) == 1
    assert "Delivery is in doubt because indicators are off track." in html


def test_a_rating_that_agrees_with_the_data_is_shown_without_comment(client, borough):
    mission = borough["mission"]
    AssessmentFactory(mission=mission, outcome=borough["outcomes"][0], rating="amber_green")
    assert "disagree" not in _text(client.get(_url("confidence", mission)))


def test_a_paper_is_a_file_or_a_pack(borough):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Paper.objects.create(meeting=borough["meeting"], title="Nothing", file="")
    Paper.objects.create(
        meeting=borough["meeting"], title="Plan", file=ContentFile(b"x", name="plan.txt")
    )
