"""Every write in assurance: validate first, then one transaction."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mobilise.missions.models import Mission, Outcome

from . import stocktake
from .models import Action, Assessment, Meeting, Pack, Paper

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
        pack = Pack.objects.create(
            mission=mission, period_start=period_start, period_end=period_end, requested_by=user
        )
        _enqueue(pack.pk, base_url)
    return pack


def _enqueue(pack_id: int, base_url: str) -> None:
    from .tasks import generate_pack

    transaction.on_commit(lambda: generate_pack.enqueue(pack_id=pack_id, base_url=base_url))


def pack_retry(*, pack: Pack, base_url: str = "") -> bool:
    """Queue a failed pack again, for the same period. True if this call queued it.

    The claim is one conditional UPDATE (failed → pending): of two clicks, or two people, only
    one changes a row, so the pack is queued once; the other is told it is already being made.
    Facts stored by an earlier attempt are kept, so the retry prints that same snapshot.
    """
    with transaction.atomic():
        claimed = Pack.objects.filter(pk=pack.pk, status=Pack.Status.FAILED).update(
            status=Pack.Status.PENDING, updated_at=timezone.now()
        )
        if claimed:
            _enqueue(pack.pk, base_url)
    pack.refresh_from_db()
    return bool(claimed)


def pack_generate(*, pack_id: int, base_url: str = "") -> Pack:
    """Gather, render and print a pack. A pack that is ready is never redrawn: it is a snapshot.

    The facts are stored as soon as they are gathered, so when drawing or printing fails a retry
    prints the facts of the first attempt rather than the data of the day of the retry.
    """
    pack = Pack.objects.select_related("mission", "mission__owner").get(pk=pack_id)
    if pack.status == Pack.Status.READY:
        return pack
    Pack.objects.filter(pk=pack_id).update(attempts=F("attempts") + 1, updated_at=timezone.now())
    step = Pack.Step.FACTS
    try:
        facts = pack.facts
        if not facts:
            facts = stocktake.gather(
                pack.mission, pack.period_start, pack.period_end, base_url=base_url
            )
            Pack.objects.filter(pk=pack_id).exclude(status=Pack.Status.READY).update(facts=facts)
        step = Pack.Step.HTML
        body = stocktake.render_html(facts)
        step = Pack.Step.PDF
        pdf = stocktake.render_pdf(facts, body)
    except Exception as exc:  # a failed pack says so on its page rather than staying "pending"
        logger.exception("Stocktake pack %s failed while %s", pack_id, step.label)
        Pack.objects.filter(pk=pack_id).exclude(status=Pack.Status.READY).update(
            status=Pack.Status.FAILED,
            failed_step=step,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            updated_at=timezone.now(),
        )
        raise
    with transaction.atomic():
        # Conditional: if two workers ran the same pack, only the first one's snapshot is kept.
        locked = Pack.objects.select_for_update().get(pk=pack_id)
        if locked.status == Pack.Status.READY:
            return locked
        locked.facts, locked.html = facts, body
        locked.status, locked.generated_at = Pack.Status.READY, timezone.now()
        locked.error, locked.failed_step = "", ""
        locked.pdf.save(
            f"stocktake-{pack.mission.slug}-{pack.period_end.isoformat()}-{pack.pk}.pdf",
            ContentFile(pdf),
            save=False,
        )
        locked.save()
    return locked
