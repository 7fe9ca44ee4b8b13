"""The secretariat corrects an action on its page: its words, owner (the choices and rules of
recording it) and due date. The owner and mission leads keep the status alone. Reminders follow:
a new due date allows one more of each, and a new owner gets their own, once."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mobilise.accounts.tests.factories import UserFactory
from mobilise.assurance import services
from mobilise.assurance.models import Action, CouncilMember

from .factories import CouncilFactory, CouncilMemberFactory

pytestmark = pytest.mark.django_db


def _member(b, **kwargs) -> CouncilMember:
    return CouncilMember.objects.get(council=b["council"], **kwargs)


def _url(b, action: Action) -> str:
    return reverse("assurance:action_update", args=[b["mission"].slug, action.pk])


def _chairs_action(b, days: int = 2) -> Action:
    return services.action_create(
        council=b["council"],
        text="Write to the hospital trust about school streets",
        due_date=timezone.localdate() + dt.timedelta(days=days),
        owner_member=_member(b, name="Dr Amara Okonkwo"),
    )


def _edit(action: Action, *, due: dt.date | None = None, **fields) -> dict:
    due = due or action.due_date
    return {
        "text": action.text,
        "owner_member": str(action.owner_member_id) if action.owner_member_id else "someone-else",
        "owner_name": "" if action.owner_member_id else action.owner_name,
        "due_date-day": due.day,
        "due_date-month": due.month,
        "due_date-year": due.year,
        "status": action.status,
        "status_shown": action.status,
        **fields,
    }


def _run(capture) -> None:
    with capture(execute=True):
        call_command("assurance_reminders", stdout=open("/dev/null", "w"))


def _reminders_to(email: str) -> list[str]:
    return [
        m.subject.split(":")[0]
        for m in mail.outbox
        if m.to == [email] and "papers for the meeting" not in m.subject
    ]


def test_the_secretariat_changes_the_owner_and_due_date(client, borough):
    action = _chairs_action(borough)
    client.force_login(borough["secretary"])
    page = client.get(_url(borough, action)).content.decode()
    # The recording form's choices, the current owner chosen, and the status too.
    for name in ("Dr Amara Okonkwo", "Margaret Hughes", "Plain Member", "Someone else", "Status"):
        assert name in page
    assert f'value="{action.owner_member_id}" checked' in page

    seat = _member(borough, user=borough["assessor"])
    due = timezone.localdate() + dt.timedelta(days=40)
    response = client.post(
        _url(borough, action),
        _edit(action, due=due, owner_member=str(seat.pk), text="Write to the trust and the CCG"),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.owner_member, action.owner, action.owner_name) == (
        seat,
        borough["assessor"],
        "Margaret Hughes",
    )
    assert (action.due_date, action.text, action.status) == (
        due,
        "Write to the trust and the CCG",
        "open",
    )

    council_page = client.get(borough["council"].get_absolute_url()).content.decode()
    row = council_page[council_page.index("Write to the trust and the CCG") :]
    row = row[: row.index("</tr>")]
    assert "Margaret Hughes" in row and f"{due:%-d %b %Y}" in row

    # Then to someone outside the council, named.
    client.post(
        _url(borough, action),
        _edit(action, owner_member="someone-else", owner_name="Transport for London"),
    )
    action.refresh_from_db()
    assert (action.owner_member, action.owner, action.owner_name) == (
        None,
        None,
        "Transport for London",
    )


def test_an_older_action_owned_by_an_account_keeps_it_when_only_its_date_moves(client, borough):
    overdue = borough["overdue"]  # owner=the lead, no council member: recorded before members
    client.force_login(borough["secretary"])
    page = client.get(_url(borough, overdue)).content.decode()
    assert 'value="someone-else" checked' in page and 'value="Priya Shah"' in page
    due = timezone.localdate() + dt.timedelta(days=10)
    assert client.post(_url(borough, overdue), _edit(overdue, due=due)).status_code == 302
    overdue.refresh_from_db()
    assert (overdue.owner, overdue.owner_name, overdue.due_date) == (
        borough["lead"],
        "Priya Shah",
        due,
    )


def test_the_owner_and_leads_only_change_the_status(client, borough):
    seat = _member(borough, user=borough["assessor"])
    action = services.action_create(
        council=borough["council"],
        text="Count the cycle lanes",
        due_date=timezone.localdate() + dt.timedelta(days=5),
        owner_member=seat,
    )
    for user, status in ((borough["assessor"], "in_progress"), (borough["lead"], "done")):
        client.force_login(user)
        page = client.get(_url(borough, action)).content.decode()
        assert "Status" in page
        assert "Who will do it?" not in page and "Due date" not in page
        posted = _edit(
            action,
            status=status,
            text="Something else",
            owner_member="someone-else",
            owner_name="Me",
            due=timezone.localdate() + dt.timedelta(days=90),
        )
        assert client.post(_url(borough, action), posted).status_code == 302
        action.refresh_from_db()
        assert (action.status, action.text, action.owner_member, action.owner_name) == (
            status,
            "Count the cycle lanes",
            seat,
            "Margaret Hughes",
        )
        assert action.due_date == timezone.localdate() + dt.timedelta(days=5)


def test_a_member_of_another_council_or_one_who_has_left_is_refused_as_owner(client, borough):
    action = _chairs_action(borough)
    stranger = CouncilMemberFactory(name="Member Of Another Council")
    left = CouncilMemberFactory(
        council=borough["council"],
        name="Left Last Month",
        term_start=timezone.localdate() - dt.timedelta(days=400),
        term_end=timezone.localdate() - dt.timedelta(days=30),
    )
    client.force_login(borough["secretary"])
    page = client.get(_url(borough, action)).content.decode()
    assert "Member Of Another Council" not in page and "Left Last Month" not in page
    for member in (stranger, left):
        response = client.post(_url(borough, action), _edit(action, owner_member=str(member.pk)))
        assert response.status_code == 200
        assert "Choose a member of this council, or someone else" in response.content.decode()
    response = client.post(_url(borough, action), _edit(action, owner_member="someone-else"))
    assert "Enter the name of the person who will do it" in response.content.decode()

    # The service keeps the rules of recording, whoever calls it.
    with pytest.raises(ValidationError) as error:
        services.action_update(
            action=action, text=action.text, due_date=action.due_date, owner_member=stranger
        )
    assert error.value.message_dict == {
        "owner_member": ["Choose a member of this council to own the action"]
    }
    with pytest.raises(ValidationError) as error:
        services.action_update(
            action=action, text=action.text, due_date=action.due_date, owner_member=left
        )
    assert "Left Last Month is no longer on the council" in error.value.messages[0]
    action.refresh_from_db()
    assert action.owner_member.name == "Dr Amara Okonkwo"


def test_an_owner_who_has_left_is_named_and_must_be_replaced(client, borough):
    action = _chairs_action(borough)
    CouncilMember.objects.filter(pk=action.owner_member_id).update(
        term_end=timezone.localdate() - dt.timedelta(days=1)
    )
    client.force_login(borough["secretary"])
    page = client.get(_url(borough, action)).content.decode()
    assert "Dr Amara Okonkwo owned this action but is no longer on the council" in page
    response = client.post(_url(borough, action), _edit(action, owner_member=""))
    assert "Choose who will do it" in response.content.decode()


def test_only_the_secretariat_in_term_of_this_council_may_correct(client, borough):
    action = _chairs_action(borough)
    elsewhere = UserFactory(name="Secretary Elsewhere")
    CouncilMemberFactory(council=CouncilFactory(), user=elsewhere, role="secretariat")
    former = UserFactory(name="Former Secretary")
    CouncilMemberFactory(
        council=borough["council"],
        user=former,
        role="secretariat",
        term_start=timezone.localdate() - dt.timedelta(days=400),
        term_end=timezone.localdate() - dt.timedelta(days=1),
    )
    posted = _edit(action, owner_member="someone-else", owner_name="Nobody")
    for user in (elsewhere, former, borough["member"]):
        client.force_login(user)
        assert client.get(_url(borough, action)).status_code == 403
        assert client.post(_url(borough, action), posted).status_code == 403
    action.refresh_from_db()
    assert action.owner_name == "Dr Amara Okonkwo"


def test_a_status_the_owner_changed_meanwhile_is_not_put_back(client, borough):
    action = _chairs_action(borough)
    client.force_login(borough["secretary"])
    posted = _edit(action, due=timezone.localdate() + dt.timedelta(days=9))  # status "open"
    Action.objects.filter(pk=action.pk).update(status="done")  # the owner, in between
    assert client.post(_url(borough, action), posted).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.due_date) == ("done", timezone.localdate() + dt.timedelta(days=9))

    # Changed on this page, it is written.
    page = client.get(_url(borough, action)).content.decode()
    assert 'name="status_shown" value="done"' in page
    client.post(_url(borough, action), _edit(action, status="in_progress"))
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_a_new_owner_and_a_new_due_date_get_their_reminders_once(
    client, borough, django_capture_on_commit_callbacks
):
    action = _chairs_action(borough, days=2)  # due soon: the chair is reminded
    _run(django_capture_on_commit_callbacks)
    assert _reminders_to("chair@example.org") == ["Action due soon"]

    # The secretariat gives it to Margaret, who sits on the council with her own address.
    seat = _member(borough, user=borough["assessor"])
    seat.email = "margaret@union.example"
    seat.save()
    client.force_login(borough["secretary"])
    client.post(_url(borough, action), _edit(action, owner_member=str(seat.pk)))
    _run(django_capture_on_commit_callbacks)
    _run(django_capture_on_commit_callbacks)
    assert _reminders_to("margaret@union.example") == ["Action due soon"]
    assert _reminders_to("chair@example.org") == ["Action due soon"]  # nothing more to the chair

    # Moved into the past: one overdue reminder. Moved again: one more.
    action.refresh_from_db()
    for days_ago in (1, 2):
        due = timezone.localdate() - dt.timedelta(days=days_ago)
        client.post(_url(borough, action), _edit(action, due=due))
        _run(django_capture_on_commit_callbacks)
        _run(django_capture_on_commit_callbacks)
    assert _reminders_to("margaret@union.example") == [
        "Action due soon",
        "Overdue action",
        "Overdue action",
    ]
    assert _reminders_to("chair@example.org") == ["Action due soon"]
