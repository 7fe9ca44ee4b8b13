"""E-mails for mission councils, sent by ``mobilise assurance_reminders`` (run it daily from cron):

* a **digest** to every council member in term, once per meeting, in the week before it: open
  actions due by the meeting, assessments and stocktake packs since the previous meeting;
* a **reminder** to an action's owner, once when it falls due within three days and once when it
  becomes overdue (again if the due date is moved). The owner is the council member who owns it
  (while in term, at the address the digest uses, with or without an account), else the account
  it names; someone outside the council, named only, gets none. A member without an account is
  told to reply to the secretariat rather than sent to a page they cannot sign in to.

Each e-mail is first recorded as a ``Notice`` under a unique key; only the run that creates the
record sends it, so running the command twice — or two at once — never sends anything twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilise.core.tasks import send_email

from . import selectors
from .models import Action, Assessment, CouncilMember, Meeting, Notice, Pack

DIGEST_BEFORE = dt.timedelta(days=7)
REMIND_BEFORE = dt.timedelta(days=3)


@dataclass
class Sent:
    digests: int = 0
    reminders: int = 0


def _claim(kind: str, key: str, email: str) -> bool:
    """Record the e-mail; False if it was already recorded (so already sent)."""
    try:
        with transaction.atomic():
            Notice.objects.create(kind=kind, subject_key=key, email=email)
    except IntegrityError:
        return False
    return True


def _send(*, to: str, subject: str, body: str, reply_to: list[str] | None = None) -> None:
    transaction.on_commit(
        lambda: send_email.enqueue(subject=subject, body=body, to=[to], reply_to=reply_to)
    )


def _digest_body(meeting: Meeting, member: CouncilMember, base_url: str) -> str:
    council = meeting.council
    mission = council.mission
    previous = (
        Meeting.objects.filter(council=council, starts_at__lt=meeting.starts_at)
        .order_by("-starts_at")
        .first()
    )
    since = previous.starts_at if previous else meeting.starts_at - dt.timedelta(days=90)
    due = Action.objects.filter(
        council=council,
        status__in=Action.OPEN_STATUSES,
        due_date__lte=timezone.localdate(meeting.starts_at),
    ).order_by("due_date")
    assessments = Assessment.objects.filter(mission=mission, created_at__gt=since).select_related(
        "outcome"
    )
    packs = Pack.objects.filter(
        mission=mission, status=Pack.Status.READY, generated_at__gt=since
    ).defer("html", "facts")
    today = timezone.localdate()
    lines = [
        _("Dear %(name)s,") % {"name": member.name},
        "",
        _("The %(council)s meets on %(when)s at %(where)s.")
        % {
            "council": council.name,
            "when": timezone.localtime(meeting.starts_at).strftime("%A %-d %B %Y, %H:%M"),
            "where": meeting.location or meeting.link,
        },
        base_url + meeting.get_absolute_url(),
        "",
    ]
    if meeting.location and meeting.link:
        lines[-1:-1] = [_("To join online: %(link)s") % {"link": meeting.link}]
    agenda = list(meeting.agenda.all())
    if agenda:
        lines += [_("Agenda:")] + [f"{n}. {item.title}" for n, item in enumerate(agenda, 1)] + [""]
    lines.append(_("Actions due by the meeting:"))
    lines += [
        f"- {a.text} ({a.owner_name}, {_('due')} {a.due_date:%-d %B %Y})"
        + (f" – {_('OVERDUE')}" if a.is_overdue(today) else "")
        for a in due
    ] or [_("None.")]
    lines += ["", _("New delivery confidence assessments:")]
    lines += [
        f"- {a.outcome.title if a.outcome else mission.title}: {selectors.rating_label(a.rating)}"
        f" ({a.assessed_on:%-d %B %Y})"
        for a in assessments
    ] or [_("None.")]
    lines += ["", _("New stocktake packs:")]
    lines += [
        f"- {p.period_start:%-d %b %Y} – {p.period_end:%-d %b %Y}: {base_url}{p.get_absolute_url()}"
        for p in packs
    ] or [_("None.")]
    lines += [
        "",
        _("You receive this because you sit on the %(council)s.") % {"council": council.name},
    ]
    return "\n".join(lines)


def send_digests(now: dt.datetime, base_url: str) -> int:
    sent = 0
    meetings = Meeting.objects.filter(
        starts_at__gt=now, starts_at__lte=now + DIGEST_BEFORE
    ).select_related("council", "council__mission")
    for meeting in meetings:
        day = timezone.localdate(meeting.starts_at)
        members = (
            CouncilMember.objects.filter(council=meeting.council)
            .in_term(day)
            .select_related("user")
        )
        for member in members:
            email = member.contact
            if not email or not _claim(Notice.Kind.DIGEST, f"meeting:{meeting.pk}", email):
                continue
            _send(
                to=email,
                subject=_("%(council)s: papers for the meeting on %(date)s")
                % {"council": meeting.council.name, "date": f"{day:%-d %B %Y}"},
                body=_digest_body(meeting, member, base_url),
            )
            sent += 1
    return sent


@dataclass(frozen=True)
class _Owner:
    name: str
    email: str
    can_sign_in: bool


def _owner(action: Action, today: dt.date) -> _Owner | None:
    """Who is reminded about the action: its member owner (by the address the digest uses), or
    the account it names; nobody for someone outside the council, or a member whose term ended."""
    member = action.owner_member
    if member is not None:
        if not member.in_term(today):
            return None
        return _Owner(member.name, member.contact, can_sign_in=member.user_id is not None)
    if action.owner is not None:
        return _Owner(action.owner_name, action.owner.email, can_sign_in=True)
    return None


def _secretariat(council_id: int, today: dt.date) -> list[CouncilMember]:
    return [
        m
        for m in CouncilMember.objects.filter(
            council_id=council_id, role=CouncilMember.Role.SECRETARIAT
        )
        .in_term(today)
        .select_related("user")
        .order_by("name")
        if m.contact
    ]


def _how_to_update(
    action: Action, owner: _Owner, secretariat: list[CouncilMember], base_url: str
) -> list[str]:
    if owner.can_sign_in:
        return [
            _("Update its status here:"),
            base_url
            + reverse("assurance:action_update", args=[action.council.mission.slug, action.pk]),
        ]
    # Without an account the update page is a sign-in wall: they tell the secretariat instead.
    people = ", ".join(f"{m.name} ({m.contact})" for m in secretariat)
    if people:
        return [
            _(
                "To say how it is going, or that it is done, reply to the council's "
                "secretariat: %(people)s."
            )
            % {"people": people}
        ]
    return [_("To say how it is going, or that it is done, tell the council's secretariat.")]


def send_action_reminders(today: dt.date, base_url: str) -> int:
    sent = 0
    actions = Action.objects.filter(
        Q(owner__isnull=False) | Q(owner_member__isnull=False),
        status__in=Action.OPEN_STATUSES,
        due_date__lte=today + REMIND_BEFORE,
    ).select_related("owner", "owner_member__user", "council", "council__mission")
    for action in actions:
        owner = _owner(action, today)
        if owner is None:
            continue
        overdue = action.due_date < today
        key = f"action:{action.pk}:{'overdue' if overdue else 'due'}:{action.due_date.isoformat()}"
        if not owner.email or not _claim(Notice.Kind.REMINDER, key, owner.email):
            continue
        # A member without an account answers by replying: the reply goes to the secretariat.
        secretariat = [] if owner.can_sign_in else _secretariat(action.council_id, today)
        subject = (_("Overdue action: %(text)s") if overdue else _("Action due soon: %(text)s")) % {
            "text": action.text[:80]
        }
        body = "\n".join(
            [
                _("Dear %(name)s,") % {"name": owner.name},
                "",
                (
                    _("This action for the %(council)s was due on %(date)s and is still open:")
                    if overdue
                    else _("This action for the %(council)s is due on %(date)s:")
                )
                % {"council": action.council.name, "date": f"{action.due_date:%-d %B %Y}"},
                "",
                action.text,
                "",
                *_how_to_update(action, owner, secretariat, base_url),
            ]
        )
        reply_to = [m.contact for m in secretariat] or None
        _send(to=owner.email, subject=subject, body=body, reply_to=reply_to)
        sent += 1
    return sent


def send_all(*, now: dt.datetime | None = None, base_url: str = "") -> Sent:
    now = now or timezone.now()
    return Sent(
        digests=send_digests(now, base_url),
        reminders=send_action_reminders(timezone.localdate(now), base_url),
    )
