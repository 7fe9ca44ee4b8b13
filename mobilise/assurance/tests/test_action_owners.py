"""An action can be owned by a member of the council, with or without an account: the secretariat
picks them on the action form, and the reminders reach them by e-mail (once each), unless they
have left the council. Someone named only ("Someone else") gets no reminder."""

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

from .factories import CouncilMemberFactory

pytestmark = pytest.mark.django_db


def _member(b, **kwargs) -> CouncilMember:
    return CouncilMember.objects.get(council=b["council"], **kwargs)


def _action(b, owner_member=None, owner_name="", days=2) -> Action:
    return services.action_create(
        council=b["council"],
        text="Write to the hospital trust about school streets",
        due_date=timezone.localdate() + dt.timedelta(days=days),
        owner_member=owner_member,
        owner_name=owner_name,
    )


def _run(capture) -> None:
    with capture(execute=True):
        call_command("assurance_reminders", stdout=open("/dev/null", "w"))


def _reminders() -> list:
    return [m for m in mail.outbox if "papers for the meeting" not in m.subject]


def test_a_member_without_an_account_is_reminded_once_and_told_whom_to_reply_to(
    borough, django_capture_on_commit_callbacks
):
    chair = _member(borough, name="Dr Amara Okonkwo")  # no account, chair@example.org
    action = _action(borough, owner_member=chair)
    assert (action.owner, action.owner_name) == (None, "Dr Amara Okonkwo")

    _run(django_capture_on_commit_callbacks)
    _run(django_capture_on_commit_callbacks)
    due = [m for m in _reminders() if m.to == ["chair@example.org"]]
    assert [m.subject for m in due] == [
        "Action due soon: Write to the hospital trust about school streets"
    ]
    body = due[0].body
    assert body.startswith("Dear Dr Amara Okonkwo,")
    # No link to the update page (it asks for a sign-in she has not got): the secretariat instead.
    assert "/council/actions/" not in body
    assert "reply to the council's secretariat: Sam Secretary (sec@example.org)." in body
    assert due[0].reply_to == ["sec@example.org"]  # so replying reaches them

    # Once overdue, one more (and only one, however often the command runs).
    Action.objects.filter(pk=action.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    _run(django_capture_on_commit_callbacks)
    _run(django_capture_on_commit_callbacks)
    to_chair = [m.subject.split(":")[0] for m in _reminders() if m.to == ["chair@example.org"]]
    assert to_chair == ["Action due soon", "Overdue action"]


def test_a_member_with_an_account_is_reminded_once_with_the_link(
    borough, django_capture_on_commit_callbacks
):
    seat = _member(borough, user=borough["assessor"])
    seat.email = (
        "margaret@union.example"  # their own address wins over the account's, as in digests
    )
    seat.save()
    action = _action(borough, owner_member=seat)
    assert action.owner == borough["assessor"]  # so she may update it

    _run(django_capture_on_commit_callbacks)
    _run(django_capture_on_commit_callbacks)
    mine = [m for m in _reminders() if "hospital trust" in m.subject]
    assert [m.to for m in mine] == [["margaret@union.example"]]  # not again to the account's
    assert f"/council/actions/{action.pk}/" in mine[0].body
    assert "secretariat" not in mine[0].body and mine[0].reply_to == []


def test_someone_else_and_a_member_who_has_left_get_no_reminder(
    borough, django_capture_on_commit_callbacks
):
    _action(borough, owner_name="The mission team")
    former = CouncilMemberFactory(
        council=borough["council"],
        name="Former Member",
        email="former@example.org",
        term_start=timezone.localdate() - dt.timedelta(days=400),
        term_end=timezone.localdate() - dt.timedelta(days=400) + dt.timedelta(days=300),
    )
    # Minuted while they sat on the council (the admin, or before their term ended).
    Action.objects.create(
        council=borough["council"],
        text="Report back on the freight consolidation trial",
        owner_member=former,
        owner_name=former.name,
        due_date=timezone.localdate() - dt.timedelta(days=2),
    )

    _run(django_capture_on_commit_callbacks)
    subjects = [m.subject for m in _reminders()]
    assert not any("hospital trust" in s or "freight" in s for s in subjects)
    assert [m.subject.split(":")[0] for m in _reminders()] == ["Overdue action"]  # the lead's own


def test_the_service_refuses_a_member_of_another_council_or_one_who_has_left(borough):
    stranger = CouncilMemberFactory(name="Elsewhere", email="elsewhere@example.org")
    with pytest.raises(ValidationError) as error:
        _action(borough, owner_member=stranger)
    assert error.value.message_dict == {
        "owner_member": ["Choose a member of this council to own the action"]
    }
    left = CouncilMemberFactory(
        council=borough["council"],
        name="Gone",
        term_start=timezone.localdate() - dt.timedelta(days=60),
        term_end=timezone.localdate() - dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        _action(borough, owner_member=left)
    with pytest.raises(ValidationError) as error:
        _action(borough, owner_name="  ")
    assert "owner_name" in error.value.message_dict
    assert not Action.objects.filter(text__contains="hospital trust").exists()


def _create_url(b) -> str:
    return reverse("assurance:action_create", args=[b["mission"].slug])


def _post(b, **fields) -> dict:
    due = timezone.localdate() + dt.timedelta(days=20)
    return {
        "text": "Visit the bus depot",
        "due_date-day": due.day,
        "due_date-month": due.month,
        "due_date-year": due.year,
        "meeting": str(b["meeting"].pk),
        **fields,
    }


def test_only_the_secretariat_records_actions(client, borough):
    url = _create_url(borough)
    assert client.get(url).status_code == 302  # to sign in
    for user in (borough["member"], borough["assessor"], borough["lead"]):
        client.force_login(user)
        assert client.get(url).status_code == 403
        posted = _post(borough, owner_member="someone-else", owner_name="X")
        assert client.post(url, posted).status_code == 403
    assert not Action.objects.filter(text="Visit the bus depot").exists()


def test_the_form_offers_the_members_in_term_and_someone_else(client, borough):
    CouncilMemberFactory(
        council=borough["council"],
        name="Left Last Year",
        term_start=timezone.localdate() - dt.timedelta(days=700),
        term_end=timezone.localdate() - dt.timedelta(days=365),
    )
    CouncilMemberFactory(name="Member Of Another Council")
    client.force_login(borough["secretary"])
    page = client.get(_create_url(borough)).content.decode()
    for name in ("Dr Amara Okonkwo", "Margaret Hughes", "Plain Member", "Sam Secretary"):
        assert name in page
    assert "Someone else" in page and "Their name" in page
    assert "Left Last Year" not in page and "Member Of Another Council" not in page


def test_the_secretariat_gives_an_action_to_a_member(client, borough):
    client.force_login(borough["secretary"])
    chair = _member(borough, name="Dr Amara Okonkwo")
    response = client.post(_create_url(borough), _post(borough, owner_member=str(chair.pk)))
    assert response.status_code == 302
    action = Action.objects.get(text="Visit the bus depot")
    assert (action.owner_member, action.owner, action.owner_name) == (chair, None, chair.name)
    assert action.meeting == borough["meeting"]

    seat = _member(borough, user=borough["assessor"])
    client.post(_create_url(borough), _post(borough, owner_member=str(seat.pk), text="Second"))
    second = Action.objects.get(text="Second")
    assert (second.owner_member, second.owner) == (seat, borough["assessor"])

    client.post(
        _create_url(borough),
        _post(borough, owner_member="someone-else", owner_name="Transport for London", text="3rd"),
    )
    third = Action.objects.get(text="3rd")
    assert (third.owner_member, third.owner, third.owner_name) == (
        None,
        None,
        "Transport for London",
    )
    council_page = client.get(borough["council"].get_absolute_url()).content.decode()
    assert "Transport for London" in council_page and "Record an action" in council_page


def test_the_form_refuses_a_member_of_another_council_and_a_missing_name(client, borough):
    client.force_login(borough["secretary"])
    stranger = CouncilMemberFactory(name="Member Of Another Council")
    page = client.post(_create_url(borough), _post(borough, owner_member=str(stranger.pk)))
    assert page.status_code == 200
    assert "Choose a member of this council, or someone else" in page.content.decode()
    page = client.post(_create_url(borough), _post(borough, owner_member="someone-else"))
    assert "Enter the name of the person who will do it" in page.content.decode()
    page = client.post(_create_url(borough), {"owner_member": "someone-else"})
    body = page.content.decode()
    assert "Enter the action" in body and "Enter the name of the person who will do it" in body
    assert not Action.objects.filter(text="Visit the bus depot").exists()


def test_the_member_owner_may_update_the_action(client, borough):
    seat = _member(borough, user=borough["assessor"])
    action = _action(borough, owner_member=seat)
    url = reverse("assurance:action_update", args=[borough["mission"].slug, action.pk])
    client.force_login(borough["member"])  # another member, not the owner
    assert client.post(url, {"status": "done"}).status_code == 403
    client.force_login(borough["assessor"])
    assert client.post(url, {"status": "in_progress"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"

    # A member given an account after the action was minuted may update it too.
    chair = _member(borough, name="Dr Amara Okonkwo")
    later = _action(borough, owner_member=chair)
    chair.user = UserFactory(name="Amara Okonkwo")
    chair.save()
    client.force_login(chair.user)
    url = reverse("assurance:action_update", args=[borough["mission"].slug, later.pk])
    assert client.post(url, {"status": "done"}).status_code == 302
