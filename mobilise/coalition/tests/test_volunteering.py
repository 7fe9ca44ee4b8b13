"""Volunteering: places up to capacity, then a waiting list that promotes on cancellation; the
e-mails; attendance and hours; bad input refused with nothing written."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mobilise.accounts.tests.factories import UserFactory
from mobilise.coalition import services
from mobilise.coalition.models import Session, SignUp

from .factories import OpportunityFactory, SessionFactory, SignUpFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunity(mission, council, places):
    return OpportunityFactory(
        mission=mission, organisation=council, place=places["camden"], role="Litter pick"
    )


@pytest.fixture
def session(opportunity):
    return SessionFactory(opportunity=opportunity, capacity=2)


def _people(n):
    return [UserFactory() for _ in range(n)]


def _state(session):
    session.refresh_from_db()
    rows = session.sign_ups.order_by("created_at", "id")
    return (
        session.confirmed_count,
        [s.person_id for s in rows.filter(status="confirmed")],
        [s.person_id for s in rows.filter(status="waiting")],
    )


def test_places_then_a_waiting_list_in_order(session):
    a, b, c, d = _people(4)
    assert services.signup_create(session=session, person=a).status == "confirmed"
    assert services.signup_create(session=session, person=b).status == "confirmed"
    assert services.signup_create(session=session, person=c).status == "waiting"
    assert services.signup_create(session=session, person=d).status == "waiting"
    assert _state(session) == (2, [a.pk, b.pk], [c.pk, d.pk])


def test_cancelling_a_place_promotes_the_first_person_waiting(
    session, django_capture_on_commit_callbacks
):
    a, b, c, d = _people(4)
    signups = [services.signup_create(session=session, person=p) for p in (a, b, c, d)]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.signup_cancel(sign_up=signups[0], user=a)
    assert [s.person for s in promoted] == [c]
    assert _state(session) == (2, [b.pk, c.pk], [d.pk])
    assert {m.to[0]: m.subject for m in mail.outbox} == {
        a.email: "Cancelled: Litter pick",
        c.email: "A place has come up: Litter pick",
    }
    by_person = {m.to[0]: m for m in mail.outbox}
    assert [n for n, _c, _t in by_person[c.email].attachments] == [f"volunteering-{session.pk}.ics"]
    assert by_person[a.email].attachments == []
    # Leaving the waiting list frees no place and promotes nobody.
    assert services.signup_cancel(sign_up=signups[3], user=d) == []
    assert _state(session) == (2, [b.pk, c.pk], [])
    # Cancelling with nobody waiting frees the place.
    services.signup_cancel(sign_up=signups[1], user=b)
    assert _state(session) == (1, [c.pk], [])
    # Cancelling twice (a double click) changes nothing.
    assert services.signup_cancel(sign_up=signups[1], user=b) == []
    assert _state(session) == (1, [c.pk], [])


def test_signing_up_again_after_cancelling_joins_the_back_of_the_queue(session):
    a, b, c = _people(3)
    first = services.signup_create(session=session, person=a)
    services.signup_create(session=session, person=b)
    services.signup_create(session=session, person=c)
    services.signup_cancel(sign_up=first, user=a)  # c is promoted
    assert services.signup_create(session=session, person=a).status == "waiting"
    assert _state(session) == (2, [b.pk, c.pk], [a.pk])


def test_only_the_person_cancels_their_place(session):
    a, b = _people(2)
    sign_up = services.signup_create(session=session, person=a)
    with pytest.raises(PermissionDenied):
        services.signup_cancel(sign_up=sign_up, user=b)
    assert _state(session) == (1, [a.pk], [])


def test_nobody_signs_up_twice(session):
    (a,) = _people(1)
    services.signup_create(session=session, person=a)
    with pytest.raises(ValidationError, match="signed up to this session already"):
        services.signup_create(session=session, person=a)
    assert _state(session) == (1, [a.pk], [])


def test_no_sign_ups_once_started_or_when_closed(session, opportunity):
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="started already"):
        services.signup_create(session=session, person=UserFactory())
    opportunity.status = "closed"
    opportunity.save()
    later = SessionFactory(opportunity=opportunity)
    with pytest.raises(ValidationError, match="not taking sign-ups"):
        services.signup_create(session=later, person=UserFactory())
    assert not SignUp.objects.exists()


def test_no_cancelling_once_started(session):
    (a,) = _people(1)
    sign_up = services.signup_create(session=session, person=a)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="no longer be cancelled"):
        services.signup_cancel(sign_up=sign_up, user=a)


def test_the_database_never_overfills_a_session(session):
    """Even a write that skips the service cannot push the count past capacity."""
    Session.objects.filter(pk=session.pk).update(confirmed_count=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(confirmed_count=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(capacity=1)


def test_the_database_allows_one_active_sign_up_per_person(session):
    a = UserFactory()
    SignUpFactory(session=session, person=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignUpFactory(session=session, person=a, status="waiting")
    SignUpFactory(session=session, person=a, status="cancelled", cancelled_at=timezone.now())


def test_the_confirmation_e_mail(session, django_capture_on_commit_callbacks):
    (a,) = _people(1)
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_create(session=session, person=a, base_url="https://mobilise.example")
    (message,) = mail.outbox
    assert message.subject == "You are volunteering: Litter pick"
    assert f"https://mobilise.example/coalition/sessions/{session.pk}/calendar.ics" in message.body
    assert "Talacre Community Centre" in message.body
    assert "&amp;" not in message.body and "&#" not in message.body  # plain text, not HTML-escaped
    # The calendar file comes attached: the same event as the page's download on this site.
    ((name, content, mimetype),) = message.attachments
    assert (name, mimetype) == (f"volunteering-{session.pk}.ics", "text/calendar")
    (event,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert str(event["UID"]) == f"mobilise-session-{session.pk}@mobilise.example"
    assert event.decoded("DTSTART") == session.starts_at.replace(microsecond=0)
    assert str(event["URL"]) == f"https://mobilise.example/coalition/sessions/{session.pk}/"


def test_the_confirmation_e_mail_gives_the_time_in_london_as_the_pages_do(
    opportunity, django_capture_on_commit_callbacks
):
    starts = dt.datetime(
        timezone.localdate().year + 1, 7, 15, 10, 0, tzinfo=ZoneInfo("Europe/London")
    )
    session = SessionFactory(
        opportunity=opportunity, starts_at=starts, ends_at=starts + dt.timedelta(hours=3.5)
    )
    (a,) = _people(1)
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_create(session=session, person=a)
    (message,) = mail.outbox
    assert f"{starts:%A} 15 July {starts.year}, 10am to 1:30pm" in message.body


def test_the_waiting_list_e_mail(session, django_capture_on_commit_callbacks):
    a, b, c = _people(3)
    services.signup_create(session=session, person=a)
    services.signup_create(session=session, person=b)
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_create(session=session, person=c)
    assert mail.outbox[-1].subject == "You are on the waiting list: Litter pick"
    assert mail.outbox[-1].attachments == []  # no place yet, so nothing for a calendar


def test_nothing_is_sent_when_the_sign_up_is_refused(session, django_capture_on_commit_callbacks):
    (a,) = _people(1)
    services.signup_create(session=session, person=a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.signup_create(session=session, person=a)
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_reminder_waits_in_the_queue_and_skips_cancelled_places(
    settings, mission, council, places
):
    """With the database queue (production's), the reminder is held until a day before; it is
    sent once, and not at all to someone who has cancelled."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    try:
        opportunity = OpportunityFactory(
            mission=mission, organisation=council, place=places["camden"], role="Litter pick"
        )
        session = SessionFactory(
            opportunity=opportunity, starts_at=timezone.now() + dt.timedelta(days=3)
        )
        stays, leaves = _people(2)
        kept = services.signup_create(session=session, person=stays)
        gone = services.signup_create(session=session, person=leaves)
        services.signup_cancel(sign_up=gone, user=leaves)
        reminders = DBTaskResult.objects.filter(task_path__endswith="send_session_reminder")
        assert reminders.count() == 2
        assert all(r.run_after > timezone.now() + dt.timedelta(days=1) for r in reminders)
        call_command("db_worker", batch=True, verbosity=0)
        assert not [m for m in mail.outbox if m.subject.startswith("Tomorrow")]  # not yet due

        reminders.update(run_after=timezone.now() - dt.timedelta(seconds=1))
        call_command(
            "db_worker", batch=True, verbosity=0
        )  # runs the reminders, which queue e-mails
        call_command("db_worker", batch=True, verbosity=0)  # sends them
        sent = [m.to for m in mail.outbox if m.subject == "Tomorrow: Litter pick"]
        assert sent == [[stays.email]]
        kept.refresh_from_db()
        assert kept.reminder_sent_at is not None
        # Running the task again sends nothing more.
        from mobilise.coalition.tasks import send_session_reminder

        assert (
            send_session_reminder.call(sign_up_id=kept.pk, starts_at=session.starts_at.isoformat())
            is False
        )
    finally:
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }


def test_a_moved_session_gets_new_reminders_and_old_ones_stand_down(session, lead):
    from mobilise.coalition.tasks import send_session_reminder

    (a,) = _people(1)
    sign_up = services.signup_create(session=session, person=a)
    old_start = session.starts_at
    services.session_update(
        session=session,
        user=lead,
        starts_at=old_start + dt.timedelta(days=2),
        ends_at=old_start + dt.timedelta(days=2, hours=3),
        capacity=2,
    )
    assert (
        send_session_reminder.call(sign_up_id=sign_up.pk, starts_at=old_start.isoformat()) is False
    )
    session.refresh_from_db()
    assert (
        send_session_reminder.call(sign_up_id=sign_up.pk, starts_at=session.starts_at.isoformat())
        is True
    )


def test_more_places_go_to_the_waiting_list_at_once(session, lead):
    a, b, c, d = _people(4)
    for person in (a, b, c, d):
        services.signup_create(session=session, person=person)
    services.session_update(
        session=session, user=lead, starts_at=session.starts_at, ends_at=session.ends_at, capacity=3
    )
    assert _state(session) == (3, [a.pk, b.pk, c.pk], [d.pk])


def test_fewer_places_than_people_confirmed_is_refused(session, lead):
    a, b = _people(2)
    services.signup_create(session=session, person=a)
    services.signup_create(session=session, person=b)
    with pytest.raises(ValidationError) as exc:
        services.session_update(
            session=session,
            user=lead,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            capacity=1,
        )
    assert exc.value.message_dict["capacity"] == ["2 people have a place already: enter 2 or more"]
    session.refresh_from_db()
    assert session.capacity == 2


@pytest.mark.parametrize(
    "starts, hours, capacity, field, message",
    [
        (-1, 2, 5, "starts_at", "The session must start in the future"),
        (2, -1, 5, "ends_at", "The session must end after it starts"),
        (2, 25, 5, "ends_at", "A session can last 24 hours at most"),
        (2, 2, 0, "capacity", "Enter at least 1 place"),
        (2, 2, -3, "capacity", "Enter at least 1 place"),
        (2, 2, 5000, "capacity", "Enter 1000 places or fewer"),
    ],
)
def test_bad_sessions_are_refused(opportunity, lead, starts, hours, capacity, field, message):
    starts_at = timezone.now() + dt.timedelta(days=starts)
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            opportunity=opportunity,
            user=lead,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=hours),
            capacity=capacity,
        )
    assert message in exc.value.message_dict[field]
    assert not Session.objects.exists()


def test_only_organisers_and_leads_add_sessions(opportunity, partner):
    starts = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(PermissionDenied):
        services.session_create(
            opportunity=opportunity,
            user=partner,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            capacity=4,
        )


def test_attendance_and_hours(session, lead):
    a, b = _people(2)
    first = services.signup_create(session=session, person=a)
    second = services.signup_create(session=session, person=b)
    with pytest.raises(ValidationError, match="once the session has started"):
        services.attendance_record(
            session=session, user=lead, records=[services.Attendance(first.pk, True)]
        )
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(minutes=30),
    )
    session.refresh_from_db()
    with pytest.raises(ValidationError):
        services.attendance_record(
            session=session, user=lead, records=[services.Attendance(first.pk, True, Decimal(30))]
        )
    first.refresh_from_db()
    assert first.attended is None  # nothing written
    count = services.attendance_record(
        session=session,
        user=lead,
        records=[
            services.Attendance(first.pk, True),
            services.Attendance(second.pk, False, Decimal(2)),
        ],
    )
    assert count == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.attended is True and first.hours == Decimal("2.50")  # the session's length
    assert second.attended is False and second.hours is None


def test_only_organisers_record_attendance(session, resident):
    with pytest.raises(PermissionDenied):
        services.attendance_record(session=session, user=resident, records=[])
