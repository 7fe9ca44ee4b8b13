"""Every write in assurance: validate first, then one transaction."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
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
    *, mission: Mission, user: Any, period_start: dt.date, period_end: dt.date
) -> Pack:
    """Record the request and hand the work to the background worker."""
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
        from .tasks import generate_pack

        transaction.on_commit(lambda: generate_pack.enqueue(pack_id=pack.pk))
    return pack


def pack_generate(*, pack_id: int) -> Pack:
    """Gather, render and print a pack. A pack that is ready is never redrawn: it is a snapshot."""
    pack = Pack.objects.select_related("mission", "mission__owner").get(pk=pack_id)
    if pack.status == Pack.Status.READY:
        return pack
    try:
        facts = stocktake.gather(pack.mission, pack.period_start, pack.period_end)
        body = stocktake.render_html(facts)
        pdf = stocktake.render_pdf(facts, body)
    except Exception as exc:  # a failed pack says so on its page rather than staying "pending"
        logger.exception("Stocktake pack %s failed", pack_id)
        Pack.objects.filter(pk=pack_id).update(status=Pack.Status.FAILED, error=str(exc)[:2000])
        raise
    with transaction.atomic():
        # Conditional: if two workers ran the same pack, only the first one's snapshot is kept.
        locked = Pack.objects.select_for_update().get(pk=pack_id)
        if locked.status == Pack.Status.READY:
            return locked
        locked.facts, locked.html = facts, body
        locked.status, locked.generated_at, locked.error = Pack.Status.READY, timezone.now(), ""
        locked.pdf.save(
            f"stocktake-{pack.mission.slug}-{pack.period_end.isoformat()}-{pack.pk}.pdf",
            ContentFile(pdf),
            save=False,
        )
        locked.save()
    return locked
