"""E-mails the coalition sends, through the task queue (``mobilise.core.tasks.send_email``).

Each is queued only once the transaction that caused it commits, so a refused or rolled-back write
never tells anyone anything. Links are absolute: ``base_url`` comes from the request that caused
the e-mail (``https://mobilise.example``), or is empty in tests and scripts, giving relative links.
"""

import logging
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilise.core.tasks import send_email

from . import calendar

logger = logging.getLogger(__name__)

REMINDER_BEFORE = timedelta(days=1)


def _send(
    *,
    to: str | None,
    subject: str,
    template: str,
    context: dict[str, Any],
    attachments: list[tuple[str, str, str]] | None = None,
) -> None:
    if not to:
        return
    body = render_to_string(f"coalition/email/{template}.txt", context)

    def enqueue() -> None:
        send_email.enqueue(subject=subject, body=body, to=[to], attachments=attachments or [])

    transaction.on_commit(enqueue)


def _session_context(sign_up: Any, base_url: str) -> dict[str, Any]:
    session = sign_up.session
    return {
        "person": sign_up.person,
        "session": session,
        "opportunity": session.opportunity,
        "session_url": base_url + session.get_absolute_url(),
        "calendar_url": base_url + reverse("coalition:session_calendar", args=[session.pk]),
        "mine_url": base_url + reverse("coalition:mine"),
    }


def _calendar_attachment(sign_up: Any, base_url: str) -> list[tuple[str, str, str]]:
    """The session's calendar file, the same event (UID) as the page's download on this site."""
    session = sign_up.session
    ics = calendar.session_calendar(
        session,
        host=urlsplit(base_url).hostname or "",
        url=base_url + session.get_absolute_url(),
    )
    return [(calendar.file_name(session), ics.decode(), "text/calendar")]


def signed_up(sign_up: Any, *, base_url: str) -> None:
    confirmed = sign_up.status == sign_up.Status.CONFIRMED
    _send(
        to=sign_up.person.email,
        subject=(
            _("You are volunteering: %(role)s")
            if confirmed
            else _("You are on the waiting list: %(role)s")
        )
        % {"role": sign_up.session.opportunity.role},
        template="signed_up",
        context={**_session_context(sign_up, base_url), "confirmed": confirmed},
        attachments=_calendar_attachment(sign_up, base_url) if confirmed else None,
    )
    if confirmed:
        schedule_reminder(sign_up, base_url=base_url)


def promoted(sign_up: Any, *, base_url: str) -> None:
    _send(
        to=sign_up.person.email,
        subject=_("A place has come up: %(role)s") % {"role": sign_up.session.opportunity.role},
        template="promoted",
        context=_session_context(sign_up, base_url),
        attachments=_calendar_attachment(sign_up, base_url),
    )
    schedule_reminder(sign_up, base_url=base_url)


def cancelled(sign_up: Any, *, base_url: str) -> None:
    _send(
        to=sign_up.person.email,
        subject=_("Cancelled: %(role)s") % {"role": sign_up.session.opportunity.role},
        template="cancelled",
        context=_session_context(sign_up, base_url),
    )


def reminder(sign_up: Any, *, base_url: str) -> None:
    _send(
        to=sign_up.person.email,
        subject=_("Tomorrow: %(role)s") % {"role": sign_up.session.opportunity.role},
        template="reminder",
        context=_session_context(sign_up, base_url),
    )


def schedule_reminder(sign_up: Any, *, base_url: str) -> None:
    """Queue a reminder for a day before the session, if that is still to come.

    The reminder task checks again when it runs, so a cancelled place gets no reminder. A queue that
    cannot hold a task until later (the immediate backend, in tests) gets no reminder either.
    """
    from .tasks import send_session_reminder

    run_after = sign_up.session.starts_at - REMINDER_BEFORE
    if run_after <= timezone.now():
        return  # the session is less than a day away: the confirmation is the reminder
    if not send_session_reminder.get_backend().supports_defer:
        logger.info("Task backend cannot defer; no reminder for sign-up %s", sign_up.pk)
        return
    task = send_session_reminder.using(run_after=run_after)
    sign_up_id, starts_at = sign_up.pk, sign_up.session.starts_at.isoformat()
    transaction.on_commit(
        lambda: task.enqueue(sign_up_id=sign_up_id, starts_at=starts_at, base_url=base_url)
    )


def member_requested(member: Any, *, leads: list[Any], base_url: str) -> None:
    url = base_url + reverse("coalition:members", args=[member.mission.slug])
    for lead in leads:
        _send(
            to=lead.email,
            subject=_("%(organisation)s asks to join %(mission)s")
            % {"organisation": member.organisation.name, "mission": member.mission.title},
            template="member_requested",
            context={"member": member, "url": url},
        )


def member_decided(member: Any, *, base_url: str) -> None:
    if member.requested_by is None:
        return
    _send(
        to=member.requested_by.email,
        subject=(
            _("Welcome to the coalition for %(mission)s")
            if member.status == member.Status.ACCEPTED
            else _("Your request to join %(mission)s")
        )
        % {"mission": member.mission.title},
        template="member_decided",
        context={
            "member": member,
            "accepted": member.status == member.Status.ACCEPTED,
            "url": base_url + reverse("coalition:mission", args=[member.mission.slug]),
        },
    )


def match_news(match: Any, *, to: list[Any], base_url: str) -> None:
    """Tell people on either side that a match was proposed, accepted or declined."""
    for person in to:
        _send(
            to=getattr(person, "email", None),
            subject=_("Match: %(ask)s") % {"ask": match.ask.title},
            template="match",
            context={"match": match, "url": base_url + match.get_absolute_url()},
        )


def handover(match: Any, *, to: str, contact: dict[str, str], listing: Any) -> None:
    """A mission lead hands an organisation with nobody on the site the other side's contact
    details, at the address the lead holds for it."""
    _send(
        to=to,
        subject=_("Someone can help: %(title)s") % {"title": listing.title},
        template="handover",
        context={"match": match, "listing": listing, "contact": contact},
    )
