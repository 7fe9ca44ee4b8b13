"""Every write in assurance: validate first, then one transaction."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mobilise.missions.models import Mission, Outcome

from . import stocktake
from .models import (
    PACK_STALE_AFTER,
    Action,
    AgendaItem,
    Assessment,
    Council,
    CouncilMember,
    Decision,
    Meeting,
    Pack,
    Paper,
)

logger = logging.getLogger(__name__)


def assessment_create(
    *,
    mission: Mission,
    assessor: Any,
    rating: str,
    rationale: str,
    assessed_on: dt.date,
    outcome: Outcome | None = None,
) -> Assessment:
    if outcome is not None and outcome.mission_id != mission.pk:
        raise ValidationError({"outcome": _("Choose an outcome of this mission")})
    if assessed_on > timezone.localdate():
        raise ValidationError(
            {"assessed_on": _("The date of assessment must be today or in the past")}
        )
    assessment = Assessment(
        mission=mission,
        outcome=outcome,
        rating=rating,
        rationale=rationale.strip(),
        assessor=assessor,
        assessed_on=assessed_on,
    )
    assessment.full_clean()
    with transaction.atomic():
        assessment.save()
    return assessment


# --- meetings, agendas and decisions (the secretariat) -------------------------------------------


def _meeting_times(
    day: dt.date, start: dt.time, end: dt.time | None, errors: dict[str, str]
) -> tuple[dt.datetime, dt.datetime | None]:
    tz = timezone.get_current_timezone()
    starts_at = dt.datetime.combine(day, start, tzinfo=tz)
    ends_at = dt.datetime.combine(day, end, tzinfo=tz) if end is not None else None
    if ends_at is not None and ends_at <= starts_at:
        errors["end_time"] = _("The end time must be after the start time")
    return starts_at, ends_at


def _meeting_place(location: str, link: str, errors: dict[str, str]) -> tuple[str, str]:
    location, link = location.strip(), link.strip()
    if not location and not link:
        errors["location"] = _("Enter where the meeting is held, a link to join it, or both")
    return location, link


def meeting_schedule(
    *,
    council: Council,
    day: dt.date,
    start_time: dt.time,
    end_time: dt.time | None = None,
    location: str = "",
    link: str = "",
) -> Meeting:
    """Put a meeting of the council in the diary: a day, its times, and a place or a link."""
    errors: dict[str, str] = {}
    starts_at, ends_at = _meeting_times(day, start_time, end_time, errors)
    location, link = _meeting_place(location, link, errors)
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(
        council=council, starts_at=starts_at, ends_at=ends_at, location=location, link=link
    )
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
    return meeting


def meeting_update(
    *,
    meeting: Meeting,
    day: dt.date,
    start_time: dt.time,
    end_time: dt.time | None = None,
    location: str = "",
    link: str = "",
) -> Meeting:
    """Move a meeting, or change where it is held."""
    errors: dict[str, str] = {}
    starts_at, ends_at = _meeting_times(day, start_time, end_time, errors)
    location, link = _meeting_place(location, link, errors)
    if errors:
        raise ValidationError(errors)
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.location, meeting.link = location, link
    meeting.full_clean()
    with transaction.atomic():
        meeting.save(update_fields=["starts_at", "ends_at", "location", "link", "updated_at"])
    return meeting


def _same(title: str) -> str:
    return " ".join(title.split()).casefold()


def agenda_set(*, meeting: Meeting, titles: list[str]) -> list[AgendaItem]:
    """Make the meeting's agenda these items, in this order.

    An item whose words are unchanged keeps its identity (and the decisions recorded under it),
    wherever it moves. An item whose words changed while it kept its place is the same item,
    reworded. Any other item no longer listed is removed, unless decisions were recorded under
    it: then the agenda is not changed and the secretariat is told which item must stay.
    """
    titles = [" ".join(t.split()) for t in titles if t.strip()]
    errors = []
    if not titles:
        errors.append(_("Enter at least one agenda item"))
    too_long = [t for t in titles if len(t) > 200]
    if too_long:
        errors.append(
            _("“%(item)s…” is too long: an agenda item must be 200 characters or fewer")
            % {"item": too_long[0][:40]}
        )
    if errors:
        raise ValidationError({"items": errors})
    with transaction.atomic():
        current = list(
            AgendaItem.objects.select_for_update().filter(meeting=meeting).order_by("order", "id")
        )
        by_title: dict[str, list[AgendaItem]] = {}
        for item in current:
            by_title.setdefault(_same(item.title), []).append(item)
        kept: list[AgendaItem | None] = []
        for title in titles:
            same = by_title.get(_same(title))
            kept.append(same.pop(0) if same else None)
        left = [item for item in current if item not in kept]
        for n, item in enumerate(kept):  # reworded in place
            if item is None and n < len(current) and current[n] in left:
                kept[n] = current[n]
                left.remove(current[n])
        blocked = [item for item in left if item.decisions.exists()]
        if blocked:
            raise ValidationError(
                {
                    "items": _(
                        "“%(item)s” has a decision recorded under it, so it stays on the agenda"
                    )
                    % {"item": blocked[0].title}
                }
            )
        AgendaItem.objects.filter(pk__in=[item.pk for item in left]).delete()
        result = []
        for order, (title, item) in enumerate(zip(titles, kept, strict=True)):
            if item is None:
                item = AgendaItem.objects.create(meeting=meeting, title=title, order=order)
            else:
                item.title, item.order = title, order
                item.save(update_fields=["title", "order", "updated_at"])
            result.append(item)
    return result


def decision_record(
    *,
    meeting: Meeting,
    agenda_item: AgendaItem | None,
    proposed_by: CouncilMember | None,
    outcome: str,
    text: str,
) -> Decision:
    """Record what the council decided at a meeting, once the meeting's day has come."""
    errors: dict[str, str] = {}
    meeting_day = timezone.localtime(meeting.starts_at).date()
    if meeting_day > timezone.localdate():
        errors["text"] = _("Decisions can be recorded from the day of the meeting")
    if agenda_item is None or agenda_item.meeting_id != meeting.pk:
        errors["agenda_item"] = _("Choose the agenda item the decision was made under")
    if proposed_by is None or proposed_by.council_id != meeting.council_id:
        errors["proposed_by"] = _("Choose the council member who proposed it")
    elif not proposed_by.in_term(meeting_day):
        errors["proposed_by"] = _("%(name)s was not on the council on the day of the meeting") % {
            "name": proposed_by.name
        }
    if outcome not in Decision.Outcome.values:
        errors["outcome"] = _("Choose whether it was agreed, not agreed or deferred")
    if not text.strip():
        errors["text"] = _("Enter the decision")
    if errors:
        raise ValidationError(errors)
    assert proposed_by is not None  # for the type checker: checked above
    decision = Decision(
        meeting=meeting,
        agenda_item=agenda_item,
        proposed_by=proposed_by,
        proposer_name=proposed_by.name,
        outcome=outcome,
        text=text.strip(),
        decided_on=meeting_day,
    )
    decision.full_clean()
    with transaction.atomic():
        decision.save()
    return decision


def pack_add_to_meeting(*, pack: Pack, meeting: Meeting, user: Any) -> Paper:
    """Make a ready stocktake pack one of a meeting's papers: its PDF, not a copy of it."""
    errors: dict[str, str] = {}
    if pack.status != Pack.Status.READY:
        errors["meeting"] = _("Only a pack that is ready can be a paper")
    elif meeting.council.mission_id != pack.mission_id:
        errors["meeting"] = _("Choose a meeting of this mission's council")
    elif Paper.objects.filter(meeting=meeting, pack=pack).exists():
        errors["meeting"] = _("This pack is already one of that meeting's papers")
    if errors:
        raise ValidationError(errors)
    title = _("Stocktake pack, %(start)s to %(end)s") % {
        "start": formats.date_format(pack.period_start, "j F Y"),
        "end": formats.date_format(pack.period_end, "j F Y"),
    }
    paper = Paper(meeting=meeting, title=title, pack=pack, uploaded_by=user)
    paper.full_clean()
    with transaction.atomic():
        paper.save()
    return paper


def minutes_update(*, meeting: Meeting, user: Any, minutes: str) -> Meeting:
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(
            minutes=minutes.strip(), minutes_updated_by=user, minutes_updated_at=timezone.now()
        )
    meeting.refresh_from_db()
    return meeting


def paper_add(*, meeting: Meeting, user: Any, title: str, file: Any) -> Paper:
    paper = Paper(meeting=meeting, title=title.strip(), file=file, uploaded_by=user)
    paper.full_clean()
    with transaction.atomic():
        paper.save()
    return paper


def _action_owner(
    council: Council,
    owner_member: CouncilMember | None,
    owner_name: str,
    errors: dict[str, str],
) -> tuple[CouncilMember | None, Any, str]:
    """The owner fields for an action of ``council``: ``(owner_member, owner, owner_name)``.

    Recording and correcting an action share these rules: a member of this council in term (who
    brings their account, if any, as ``owner`` and their name), or someone else, named. Problems
    are added to ``errors``.
    """
    if owner_member is not None:
        if owner_member.council_id != council.pk:
            errors["owner_member"] = _("Choose a member of this council to own the action")
        elif not owner_member.in_term():
            errors["owner_member"] = _(
                "%(name)s is no longer on the council: choose a current member or someone else"
            ) % {"name": owner_member.name}
        return owner_member, owner_member.user, owner_member.name.strip()
    if not owner_name.strip():
        errors["owner_name"] = _("Enter the name of the person who will do it")
    return None, None, owner_name.strip()


def action_create(
    *,
    council: Council,
    text: str,
    due_date: dt.date,
    owner_member: CouncilMember | None = None,
    owner_name: str = "",
    meeting: Meeting | None = None,
) -> Action:
    """Minute an action, owned by a member of the council or by someone else, named.

    A member owner brings their account (when they have one) as ``owner``, so they may update
    the action, and their name as the minutes give it; reminders go to them either way.
    """
    errors: dict[str, str] = {}
    owner_member, owner, owner_name = _action_owner(council, owner_member, owner_name, errors)
    if meeting is not None and meeting.council_id != council.pk:
        errors["meeting"] = _("Choose a meeting of this council")
    if errors:
        raise ValidationError(errors)
    action = Action(
        council=council,
        meeting=meeting,
        text=text.strip(),
        owner_member=owner_member,
        owner=owner,
        owner_name=owner_name,
        due_date=due_date,
    )
    action.full_clean()
    with transaction.atomic():
        action.save()
    return action


def action_update(
    *,
    action: Action,
    text: str,
    due_date: dt.date,
    owner_member: CouncilMember | None = None,
    owner_name: str = "",
    status: str | None = None,
) -> Action:
    """Correct an action's words, owner and due date (the secretariat), and its status if given.

    The owner follows the rules of recording. An action kept with someone else under the same
    name keeps the account it names, so actions recorded before members could own them (owned by
    an account) are still reminded after their due date moves. ``status`` is None when the form
    left it as it was, so a status the owner changed meanwhile is not put back.

    Reminders need nothing here: a ``Notice`` key holds the due date and the recipient's
    address, so a new due date allows one more of each, and a new owner gets their own.
    """
    council = action.council
    errors: dict[str, str] = {}
    previous_owner = action.owner if action.owner_member_id is None else None
    previous_name = action.owner_name
    owner_member, owner, owner_name = _action_owner(council, owner_member, owner_name, errors)
    if owner_member is None and owner_name == previous_name:
        owner = previous_owner
    if status is not None and status not in Action.Status.values:
        errors["status"] = _("Choose a status")
    if errors:
        raise ValidationError(errors)
    action.text = text.strip()
    action.due_date = due_date
    action.owner_member, action.owner, action.owner_name = owner_member, owner, owner_name
    if status is not None:
        action.status = status
    action.full_clean()
    fields = ["text", "due_date", "owner_member", "owner", "owner_name", "updated_at"]
    with transaction.atomic():
        action.save(update_fields=fields + (["status"] if status is not None else []))
    return action


def action_status_update(*, action: Action, status: str) -> Action:
    if status not in Action.Status.values:
        raise ValidationError({"status": _("Choose a status")})
    with transaction.atomic():
        Action.objects.filter(pk=action.pk).update(status=status, updated_at=timezone.now())
    action.status = status
    return action


def pack_request(
    *, mission: Mission, user: Any, period_start: dt.date, period_end: dt.date, base_url: str = ""
) -> Pack:
    """Record the request and hand the work to the background worker.

    ``base_url`` (``https://host``) lets the printed pack say where its indicators' full series
    are; the worker has no request to ask.
    """
    if period_end < period_start:
        raise ValidationError({"period_end": _("The end of the period must be after its start")})
    if period_end > timezone.localdate():
        raise ValidationError(
            {"period_end": _("The end of the period must be today or in the past")}
        )
    with transaction.atomic():
        # Dated from the request, so a pack whose worker never picks it up also stalls.
        pack = Pack.objects.create(
            mission=mission,
            period_start=period_start,
            period_end=period_end,
            requested_by=user,
            attempt_started_at=timezone.now(),
        )
        _enqueue(pack.pk, base_url)
    return pack


def _enqueue(pack_id: int, base_url: str) -> None:
    from .tasks import generate_pack

    transaction.on_commit(lambda: generate_pack.enqueue(pack_id=pack_id, base_url=base_url))


def pack_retry(*, pack: Pack, base_url: str = "") -> bool:
    """Queue a failed or stalled pack again, for the same period. True if this call queued it.

    Stalled: still pending ``PACK_STALE_AFTER`` after its current attempt started, as when the
    worker died mid-run. The claim is one conditional UPDATE (failed, or pending and started
    before the cutoff → pending, started now): of two clicks, or two people, only one changes a
    row, because the winner's new start time takes the pack out of the condition. The other is
    told it is already being made. The worker counts the attempt when it starts, as for the
    first run, so ``attempts`` keeps meaning "times the worker started on it".
    Facts stored by an earlier attempt are kept, so the retry prints that same snapshot.
    """
    now = timezone.now()
    retryable = Q(status=Pack.Status.FAILED) | Q(
        status=Pack.Status.PENDING, attempt_started_at__lt=now - PACK_STALE_AFTER
    )
    with transaction.atomic():
        claimed = Pack.objects.filter(retryable, pk=pack.pk).update(
            status=Pack.Status.PENDING, attempt_started_at=now, updated_at=now
        )
        if claimed:
            _enqueue(pack.pk, base_url)
    pack.refresh_from_db()
    return bool(claimed)


@dataclass(frozen=True)
class PackOutput:
    """What one attempt produced, before it is stored."""

    facts: dict[str, Any]
    body: str
    pdf: bytes


def pack_generate(*, pack_id: int, base_url: str = "") -> Pack:
    """Gather, render and print a pack. A pack that is ready is never redrawn: it is a snapshot.

    The facts are stored as soon as they are gathered, so when drawing or printing fails a retry
    prints the facts of the first attempt rather than the data of the day of the retry.
    """
    attempt = pack_attempt_start(pack_id=pack_id)
    if attempt is not None:
        output = pack_attempt_produce(pack_id=pack_id, attempt=attempt, base_url=base_url)
        pack_attempt_finish(pack_id=pack_id, output=output)
    return Pack.objects.select_related("mission").get(pk=pack_id)


def pack_attempt_start(*, pack_id: int) -> int | None:
    """Count and date a new attempt; its number, or None when the pack is ready already."""
    with transaction.atomic():
        pack = Pack.objects.select_for_update().get(pk=pack_id)
        if pack.status == Pack.Status.READY:
            return None
        now = timezone.now()
        Pack.objects.filter(pk=pack_id).update(
            attempts=F("attempts") + 1, attempt_started_at=now, updated_at=now
        )
    return pack.attempts + 1


def pack_attempt_produce(*, pack_id: int, attempt: int, base_url: str = "") -> PackOutput:
    """Gather (or reuse) the facts, draw the pages and print the PDF; record a failure and raise.

    Writes made here are conditional on ``attempts`` still being this attempt's number: a worker
    that was only slow, and has since been superseded by a retry, must not mark the retry's pack
    failed nor swap the facts under it.
    """
    pack = Pack.objects.select_related("mission", "mission__owner").get(pk=pack_id)
    this_attempt = Pack.objects.filter(pk=pack_id, attempts=attempt).exclude(
        status=Pack.Status.READY
    )
    step = Pack.Step.FACTS
    try:
        facts = pack.facts
        if not facts:
            facts = stocktake.gather(
                pack.mission, pack.period_start, pack.period_end, base_url=base_url
            )
            this_attempt.update(facts=facts)
        step = Pack.Step.HTML
        body = stocktake.render_html(facts)
        step = Pack.Step.PDF
        pdf = stocktake.render_pdf(facts, body)
    except Exception as exc:  # a failed pack says so on its page rather than staying "pending"
        logger.exception("Stocktake pack %s failed while %s", pack_id, step.label)
        this_attempt.update(
            status=Pack.Status.FAILED,
            failed_step=step,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            updated_at=timezone.now(),
        )
        raise
    return PackOutput(facts=facts, body=body, pdf=pdf)


def pack_attempt_finish(*, pack_id: int, output: PackOutput) -> bool:
    """Store an attempt's pack and mark it ready, unless another attempt did first. True if kept.

    When a stalled worker was only slow, two attempts can finish. The first to finish wins, by
    a conditional UPDATE on "not ready yet", and the other's result is discarded (its PDF file
    removed). Why the first rather than the latest: either is a whole, consistent snapshot (facts,
    pages and PDF are written in the one UPDATE), and a pack people may already have opened or
    downloaded must never change under them. Preferring the latest would need every earlier
    finisher to wait or be overwritten, and the stalled worker may never finish at all.
    """
    pack = Pack.objects.select_related("mission").get(pk=pack_id)
    field = Pack._meta.get_field("pdf")
    filename = f"stocktake-{pack.mission.slug}-{pack.period_end.isoformat()}-{pack.pk}.pdf"
    stored = field.storage.save(field.generate_filename(pack, filename), ContentFile(output.pdf))
    now = timezone.now()
    with transaction.atomic():
        won = (
            Pack.objects.filter(pk=pack_id)
            .exclude(status=Pack.Status.READY)
            .update(
                status=Pack.Status.READY,
                facts=output.facts,
                html=output.body,
                pdf=stored,
                generated_at=now,
                error="",
                failed_step="",
                updated_at=now,
            )
        )
    if not won:
        field.storage.delete(stored)
        logger.info(
            "Stocktake pack %s was finished by another attempt; this one is discarded", pack_id
        )
    return bool(won)
