"""Every write in a budget round. Each service validates first, then writes in one transaction.

Phases move one step at a time, by a conditional UPDATE, so two leads pressing "Close voting" at
once close it once. A ballot takes a shared lock on its round (PostgreSQL ``FOR SHARE``): voters do
not wait for each other, but closing the vote waits for ballots being written and no ballot can be
written after it. The published dates bind too (timetable.py): no idea after ideas close, no
ballot before voting opens or after it closes (checked under that same lock). One ballot per voter
is the database's unique constraint; two first ballots for the same voter at once end as one row,
the later choices replacing the earlier.
"""

import copy
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import emails, history, timetable
from .models import (
    PHASE_ORDER,
    Ballot,
    BallotChoice,
    BallotType,
    BudgetRound,
    DeliveryItem,
    DeliverySubscription,
    DeliveryUpdate,
    Phase,
    Project,
    Result,
    VoterCode,
)

POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
# A whole postcode with its spaces taken out: the district, then a digit and two letters.
FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})$")
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: codes are read aloud and typed
CODE_LENGTH = 10


def money(amount: Any, currency: str = "GBP") -> str:
    """£1,250 or 1,250 PLN: whole units when whole."""
    value = Decimal(amount)
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"£{text}" if currency == "GBP" else f"{text} {currency}"


def postcode_district(text: str) -> str | None:
    """The district of a postcode as people type it: "NW5 1TL", "nw51tl" and "NW5" all give NW5.
    None when the text is neither a postcode nor a district (so "NW5 1" is refused, not read as
    NW51)."""
    parts = text.upper().split()
    if len(parts) == 2:  # typed with its space: the halves must each be right
        return parts[0] if FULL_POSTCODE.match("".join(parts)) and len(parts[1]) == 3 else None
    if len(parts) != 1:
        return None
    if POSTCODE_DISTRICT.match(parts[0]):
        return parts[0]
    match = FULL_POSTCODE.match(parts[0])
    return match.group(1) if match else None


# --- rounds and phases ---------------------------------------------------------------------------


def normalise_districts(text: str) -> str:
    districts = [d for d in (p.strip().upper() for p in re.split(r"[,\s]+", text)) if d]
    bad = [d for d in districts if not POSTCODE_DISTRICT.match(d)]
    if bad:
        raise ValidationError(
            {
                "postcode_districts": _(
                    "These are not postcode districts: %(bad)s. Write the first half of a postcode, like NW5."
                )
                % {"bad": ", ".join(bad)}
            }
        )
    return ", ".join(dict.fromkeys(districts))


def _ballot_errors(round_: BudgetRound) -> dict[str, str]:
    """What is missing in a round's ballot settings. Tidies first: only a k-approval ballot has a
    number of projects, only a points ballot has points."""
    if round_.ballot_type != BallotType.K_APPROVAL:
        round_.max_choices = None
    if round_.ballot_type != BallotType.CUMULATIVE:
        round_.points = None
    errors: dict[str, str] = {}
    if round_.ballot_type == BallotType.K_APPROVAL and not round_.max_choices:
        errors["max_choices"] = _("Enter how many projects each voter may choose")
    if round_.ballot_type == BallotType.CUMULATIVE and not round_.points:
        errors["points"] = _("Enter how many points each voter shares out")
    if not round_.postcode_districts and not round_.allow_voter_codes:
        errors["postcode_districts"] = _(
            "Enter the place's postcode districts, or allow voter codes, so that someone can vote"
        )
    if round_.budget is not None and round_.budget <= 0:
        errors["budget"] = _("The budget must be more than 0")
    return errors


def _date_errors(round_: BudgetRound) -> dict[str, str]:
    """The published plan must run in order: ideas close, then voting opens, then it closes."""
    ideas_close, opens, closes = (
        round_.ideas_close_on,
        round_.voting_opens_on,
        round_.voting_closes_on,
    )
    errors: dict[str, str] = {}
    if ideas_close and opens and opens < ideas_close:
        errors["voting_opens_on"] = _(
            "Voting must open on or after the day ideas close (%(day)s)"
        ) % {"day": timetable.day(ideas_close)}
    if opens and closes and closes < opens:
        errors["voting_closes_on"] = _(
            "Voting must close on or after the day it opens (%(day)s)"
        ) % {"day": timetable.day(opens)}
    elif ideas_close and closes and closes < ideas_close:
        errors["voting_closes_on"] = _(
            "Voting must close on or after the day ideas close (%(day)s)"
        ) % {"day": timetable.day(ideas_close)}
    return errors


def round_create(*, mission: Any, place: Any, user: Any, **fields: Any) -> BudgetRound:
    fields["postcode_districts"] = normalise_districts(fields.get("postcode_districts", ""))
    round_ = BudgetRound(mission=mission, place=place, created_by=user, **fields)
    errors = {**_ballot_errors(round_), **_date_errors(round_)}
    if errors:
        raise ValidationError(errors)
    round_.full_clean()
    with transaction.atomic():
        round_.save()
    return round_


# Ballots cast under one budget or ballot type cannot be counted under another, and the people who
# may vote must not change mid-vote: so these settle when voting opens.
EDITABLE_ALWAYS = (
    "title",
    "description",
    "unspent_note",
    "ideas_close_on",
    "voting_opens_on",
    "voting_closes_on",
)
LOCKED_ONCE_VOTING_OPENS = {
    "place": gettext_lazy("The place cannot change once voting has opened"),
    "budget": gettext_lazy("The budget cannot change once voting has opened"),
    "ballot_type": gettext_lazy("The ballot type cannot change once voting has opened"),
    "max_choices": gettext_lazy(
        "The number of projects a voter may choose cannot change once voting has opened"
    ),
    "points": gettext_lazy("The points each voter shares out cannot change once voting has opened"),
    "rule": gettext_lazy("The counting rule cannot change once voting has opened"),
    "completion": gettext_lazy("The completion method cannot change once voting has opened"),
    "postcode_districts": gettext_lazy(
        "The postcode districts cannot change once voting has opened"
    ),
    "allow_voter_codes": gettext_lazy(
        "Whether voter codes are accepted cannot change once voting has opened"
    ),
}


def settings_locked(round_: BudgetRound) -> bool:
    """Whether the round's ballot settings are fixed: from the moment voting opens."""
    return round_.phase_index() >= PHASE_ORDER.index(Phase.VOTING)


def _value(round_: BudgetRound, name: str) -> Any:
    return BudgetRound._meta.get_field(name).value_from_object(round_)


def _edit_errors(current: BudgetRound, fields: dict[str, Any]) -> tuple[BudgetRound, dict]:
    """``current`` with ``fields`` applied (a copy), and what is wrong with that."""
    edited = copy.copy(current)
    for name, value in fields.items():
        setattr(edited, name, value)
    errors: dict[str, Any] = {}
    if "title" in fields and not edited.title:
        errors["title"] = _("Enter a title for the round")
    if settings_locked(current):
        # The ballot settings are compared, not re-checked: a round loaded from a data set may have
        # settings the form would not accept today, and nobody can change them now anyway.
        errors.update(
            {
                name: message
                for name, message in LOCKED_ONCE_VOTING_OPENS.items()
                if name in fields and _value(edited, name) != _value(current, name)
            }
        )
    else:
        errors = {**_ballot_errors(edited), **errors}
    errors = {**_date_errors(edited), **errors}
    if not errors:
        try:
            edited.full_clean(exclude=["mission", "created_by"])
        except ValidationError as exc:
            errors = exc.message_dict
    return edited, errors


def round_update(*, round_: BudgetRound, user: Any, **fields: Any) -> BudgetRound:
    """Change a round's details. Title, description and dates may change at any time; the ballot
    settings (``LOCKED_ONCE_VOTING_OPENS``) only before voting opens. Fields not given keep their
    values; nothing is saved if anything is wrong.

    The round's row is locked (``SELECT … FOR UPDATE``) while its phase is checked and the edit
    written, so a lead opening the vote at the same moment either waits for this edit to commit or
    makes it fail: no ballot setting changes once a ballot could have been cast."""
    unknown = set(fields) - set(EDITABLE_ALWAYS) - set(LOCKED_ONCE_VOTING_OPENS)
    if unknown:
        raise TypeError(f"round_update() cannot change {', '.join(sorted(unknown))}")
    if "postcode_districts" in fields:
        fields["postcode_districts"] = normalise_districts(fields["postcode_districts"] or "")
    for name in ("title", "description", "unspent_note"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    # A plain mistake is reported without taking a lock...
    _edited, errors = _edit_errors(round_, fields)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # ...and everything is checked again against the row as it is now, held until we commit.
        current = BudgetRound.objects.select_for_update().get(pk=round_.pk)
        edited, errors = _edit_errors(current, fields)
        if errors:
            raise ValidationError(errors)
        changed = [
            f.name
            for f in BudgetRound._meta.concrete_fields
            if f.name in (*EDITABLE_ALWAYS, *LOCKED_ONCE_VOTING_OPENS)
            and _value(edited, f.name) != _value(current, f.name)
        ]
        if changed:
            edited.save(update_fields=[*changed, "updated_at"])
            # In this transaction: the edit and its record are kept together or not at all.
            history.record_edit(before=current, after=edited, fields=changed, user=user)
    round_.refresh_from_db()
    return round_


def next_phase(round_: BudgetRound) -> str | None:
    index = PHASE_ORDER.index(round_.phase)
    return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None


def round_move_phase(*, round_: BudgetRound, user: Any, to: str) -> BudgetRound:
    """Move the round one phase on. Closing the vote (voting → results) counts it.

    ``user`` is the lead who asked, or None when the published timetable did (advance.py); the
    move is recorded with who made it (history.py), in the same transaction. Two moves at once: one
    wins (and is recorded once), the other is told to look again."""
    if to != next_phase(round_):
        raise ValidationError(_("A round moves one phase at a time, from ideas to delivery."))
    if to == Phase.VOTING and not round_.projects.filter(status=Project.Status.FEASIBLE).exists():
        raise ValidationError(
            _("No project is on the ballot yet. Review the ideas and mark at least one feasible.")
        )
    if to == Phase.VOTING and round_.projects.filter(status=Project.Status.PROPOSED).exists():
        raise ValidationError(
            _("Some ideas are still waiting for review. Decide on every idea before voting opens.")
        )
    with transaction.atomic():
        moved = BudgetRound.objects.filter(pk=round_.pk, phase=round_.phase).update(
            phase=to, updated_at=timezone.now()
        )
        if not moved:
            raise ValidationError(_("Someone else has just moved this round on. Look again."))
        history.record_phase(round_=round_, before=round_.phase, after=to, user=user)
        if to == Phase.RESULTS:
            from .tasks import compute_result

            round_id = round_.pk
            transaction.on_commit(lambda: compute_result.enqueue(round_id=round_id))
    round_.refresh_from_db()
    return round_


# --- ideas and review ----------------------------------------------------------------------------


def project_propose(
    *, round_: BudgetRound, user: Any, title: str, description: str, category: str = ""
) -> Project:
    if round_.phase != Phase.IDEAS:
        raise ValidationError(_("This round is not taking ideas now."))
    refusal = timetable.ideas_refusal(round_, timetable.today())
    if refusal:
        raise ValidationError(refusal)
    project = Project(
        round=round_,
        proposer=user,
        title=title.strip(),
        description=description.strip(),
        category=category.strip(),
    )
    project.full_clean()
    with transaction.atomic():
        last = round_.projects.order_by("-position").values_list("position", flat=True).first()
        project.position = (last or 0) + 1
        project.save()
    return project


def project_review(
    *,
    project: Project,
    user: Any,
    status: str,
    cost: Decimal | None,
    reason: str,
    title: str | None = None,
) -> Project:
    """An officer's decision: feasible with a cost, or rejected with a published reason."""
    if project.round.phase not in (Phase.IDEAS, Phase.REVIEW):
        raise ValidationError(
            _(
                "The ballot was fixed when the round moved to voting, so ideas cannot be reviewed now."
            )
        )
    errors: dict[str, str] = {}
    if status == Project.Status.FEASIBLE and cost is None:
        errors["cost"] = _("Enter what the project would cost")
    if status == Project.Status.FEASIBLE and cost is not None and cost > project.round.budget:
        errors["cost"] = _("The cost is more than the whole budget of %(budget)s") % {
            "budget": money(project.round.budget, project.round.currency)
        }
    if status == Project.Status.REJECTED and not reason.strip():
        errors["reason"] = _("Say why the idea is not going on the ballot: the reason is published")
    if errors:
        raise ValidationError(errors)
    project.status = status
    project.cost = cost
    project.reason = reason.strip()
    if title:
        project.title = title.strip()
    project.reviewed_by = user
    project.full_clean()
    with transaction.atomic():
        project.save()
    return project


# --- eligibility and voter codes -----------------------------------------------------------------


def _code_hash(round_id: int, code: str) -> str:
    normalised = re.sub(r"[\s-]", "", code).upper()
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{round_id}:{normalised}".encode(), hashlib.sha256).hexdigest()


def voter_codes_issue(*, round_: BudgetRound, user: Any, count: int) -> list[str]:
    """New codes for paper and in-person voting; only their hashes are kept, so show them once."""
    if not round_.allow_voter_codes:
        raise ValidationError(_("This round does not use voter codes."))
    if not 1 <= count <= 1000:
        raise ValidationError({"count": _("Issue between 1 and 1,000 codes at a time")})
    codes = [
        "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH)) for _c in range(count)
    ]
    with transaction.atomic():
        VoterCode.objects.bulk_create(
            [VoterCode(round=round_, code_hash=_code_hash(round_.pk, c)) for c in codes]
        )
    return [f"{c[:5]}-{c[5:]}" for c in codes]


@dataclass(frozen=True)
class Voter:
    """Who is voting: the key their ballot is stored under, and how they showed they may vote."""

    key: str
    district: str = ""
    code_id: int | None = None


def check_eligibility(
    *, round_: BudgetRound, user: Any, district: str = "", code: str = ""
) -> Voter:
    """A postcode district in the place, or an unused voter code (or one this ballot already used)."""
    if round_.phase != Phase.VOTING:
        raise ValidationError(_("Voting is not open in this round."))
    refusal = timetable.ballot_refusal(round_, timetable.today())
    if refusal:
        raise ValidationError(refusal)
    if code.strip():
        if not round_.allow_voter_codes:
            raise ValidationError({"code": _("This round does not use voter codes")})
        voter_code = VoterCode.objects.filter(
            round=round_, code_hash=_code_hash(round_.pk, code)
        ).first()
        if voter_code is None:
            raise ValidationError(
                {
                    "code": _(
                        "That voter code is not right. Check it against your card and try again"
                    )
                }
            )
        return Voter(key=f"code:{voter_code.pk}", code_id=voter_code.pk)
    if not round_.districts:
        raise ValidationError({"code": _("Enter the voter code you were given")})
    if not district.strip():
        raise ValidationError({"district": _("Enter your postcode, like NW5 1TL")})
    district = postcode_district(district)
    if district is None:
        raise ValidationError(
            {"district": _("Enter a real postcode, like NW5 1TL, or its first half, like NW5")}
        )
    if district not in round_.districts:
        raise ValidationError(
            {
                "district": _(
                    "Only residents of %(place)s can vote in this round, and %(district)s is not one of its postcode districts"
                )
                % {"place": round_.place.name, "district": district}
            }
        )
    return Voter(key=f"user:{user.pk}", district=district)


# --- ballots -------------------------------------------------------------------------------------


def validate_choices(round_: BudgetRound, choices: dict[int, int]) -> dict[int, int]:
    """``choices`` maps project id to points (1 for approval). Returns them, or says what to fix."""
    projects = {p.pk: p for p in round_.projects.filter(status=Project.Status.FEASIBLE)}
    unknown = [pk for pk in choices if pk not in projects]
    if unknown:
        raise ValidationError(_("Choose only projects that are on this ballot."))
    choices = {pk: pts for pk, pts in choices.items() if pts}
    if any(pts < 0 for pts in choices.values()):
        raise ValidationError({"choices": _("Points must be whole numbers of 0 or more")})
    if not choices:
        raise ValidationError({"choices": _("Choose at least one project")})
    if round_.ballot_type == BallotType.APPROVAL:
        total = sum((projects[pk].cost for pk in choices), Decimal(0))
        if total > round_.budget:
            raise ValidationError(
                {
                    "choices": _(
                        "Your choices cost %(total)s; the budget is %(budget)s. Remove at least %(over)s."
                    )
                    % {
                        "total": money(total, round_.currency),
                        "budget": money(round_.budget, round_.currency),
                        "over": money(total - round_.budget, round_.currency),
                    }
                }
            )
        return {pk: 1 for pk in choices}
    if round_.ballot_type == BallotType.K_APPROVAL:
        k = round_.max_choices or 0
        if len(choices) > k:
            raise ValidationError(
                {
                    "choices": _(
                        "You chose %(n)s projects; you can choose up to %(k)s. Remove at least %(over)s."
                    )
                    % {"n": len(choices), "k": k, "over": len(choices) - k}
                }
            )
        return {pk: 1 for pk in choices}
    given = sum(choices.values())
    if given != round_.points:
        raise ValidationError(
            {
                "choices": _(
                    "Your points add up to %(given)s; share out exactly %(points)s points."
                )
                % {"given": given, "points": round_.points}
            }
        )
    return choices


@dataclass(frozen=True)
class _VotingWindow:
    phase: str
    voting_opens_on: date | None
    voting_closes_on: date | None


def _lock_round_for_ballot(round_id: int) -> _VotingWindow | None:
    """The round's phase and voting dates, held for the rest of the transaction so that neither
    closing the vote nor a lead moving its dates can happen under a ballot being written."""
    if connection.vendor == "postgresql":
        # FOR SHARE: voters do not wait for each other; a phase move or an edit waits for us.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT phase, voting_opens_on, voting_closes_on FROM budgeting_budgetround"
                " WHERE id = %s FOR SHARE",
                [round_id],
            )
            row = cursor.fetchone()
    else:
        # SQLite runs one write transaction at a time (BEGIN IMMEDIATE), which already serialises us.
        row = (
            BudgetRound.objects.filter(pk=round_id)
            .values_list("phase", "voting_opens_on", "voting_closes_on")
            .first()
        )
    return _VotingWindow(*row) if row else None


def ballot_cast(*, round_: BudgetRound, voter: Voter, user: Any, choices: dict[int, int]) -> Ballot:
    """Record the voter's ballot, or replace their choices if they voted before."""
    choices = validate_choices(round_, choices)
    with transaction.atomic():
        window = _lock_round_for_ballot(round_.pk)
        if window is None or window.phase != Phase.VOTING:
            raise ValidationError(
                _("Voting has closed in this round, so ballots cannot be changed.")
            )
        # The dates as they are now, under the lock: a lead may have just moved them.
        refusal = timetable.ballot_refusal(window, timetable.today())
        if refusal:
            raise ValidationError(refusal)
        try:
            with (
                transaction.atomic()
            ):  # a savepoint: a lost race leaves the outer transaction usable
                ballot = Ballot.objects.create(
                    round=round_,
                    voter_key=voter.key,
                    user=user,
                    voter_code_id=voter.code_id,
                    postcode_district=voter.district,
                )
        except IntegrityError:
            ballot = Ballot.objects.select_for_update().get(round=round_, voter_key=voter.key)
            ballot.user = user
            ballot.postcode_district = voter.district or ballot.postcode_district
            ballot.save()
            ballot.choices.all().delete()
        BallotChoice.objects.bulk_create(
            [BallotChoice(ballot=ballot, project_id=pk, points=pts) for pk, pts in choices.items()]
        )
        if voter.code_id:
            VoterCode.objects.filter(pk=voter.code_id, used_at__isnull=True).update(
                used_by=user, used_at=timezone.now()
            )
    return ballot


# --- results and delivery ------------------------------------------------------------------------


def result_compute(*, round_: BudgetRound) -> Result:
    """Count the ballots with the round's rule (and greedy beside it) and keep the outcome.

    Funded projects become delivery items (existing ones are kept, with their progress).
    """
    from . import counting

    if round_.phase not in (Phase.RESULTS, Phase.DELIVERY):
        raise ValidationError(_("Results are counted once voting has closed."))
    chosen, greedy = counting.count(round_)
    by_pb_id = {p.pb_id: p for p in counting.ballot_projects(round_)}
    with transaction.atomic():
        result, _created = Result.objects.update_or_create(
            round=round_,
            defaults={
                "rule": round_.rule,
                "completion": round_.completion if round_.rule == "mes" else "",
                "selected": [by_pb_id[pid].pk for pid in chosen.selected],
                "explanations": chosen.to_dict(),
                "comparison": greedy.to_dict(),
                "ballots_counted": round_.ballots.count(),
                "total_cost": (
                    Decimal(chosen.total_cost.numerator) / Decimal(chosen.total_cost.denominator)
                ).quantize(Decimal("0.01")),
                "computed_at": timezone.now(),
            },
        )
        funded = [by_pb_id[pid] for pid in chosen.selected]
        DeliveryItem.objects.filter(project__round=round_).exclude(project__in=funded).delete()
        existing = set(
            DeliveryItem.objects.filter(project__in=funded).values_list("project_id", flat=True)
        )
        DeliveryItem.objects.bulk_create(
            [DeliveryItem(project=p) for p in funded if p.pk not in existing]
        )
        ballots_anonymise(round_=round_)
    return result


# Keys that name a person: a signed-in voter (``user:<id>``) or a voter code (``code:<id>``).
# ``file:`` keys are the voter ids of a published Pabulib file, already anonymous.
PERSONAL_VOTER_KEYS = ("user:", "code:")
ANONYMOUS_VOTER_KEY = "anon:"


def linked_ballots() -> Any:
    """Ballots that still say who cast them, in any round."""
    personal = Q(user__isnull=False) | Q(voter_code__isnull=False)
    for prefix in PERSONAL_VOTER_KEYS:
        personal |= Q(voter_key__startswith=prefix)
    return Ballot.objects.filter(personal)


def _day(moment: Any) -> Any:
    """Midnight at the start of the moment's day, in the site's time zone."""
    return timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def ballots_anonymise(*, round_: BudgetRound) -> int:
    """Cut every link between the round's ballots and the people who cast them, once the count is
    published (``result_compute`` calls this in the transaction that keeps the result).

    Each ballot keeps its choices (the public record, and the ``.pb`` file) and nothing else about
    its voter: the voter key becomes a random ``anon:`` token (unique, so the one-ballot-per-voter
    constraint still holds, and not derived from anything, so it cannot be linked back); the
    account, the voter code and the postcode district are removed (the results do not use the
    district); the times keep only the day. The voter codes used forget who used them and keep
    only the day. Voting has closed, so no ballot can be changed or matched to a voter again.
    Returns how many ballots were anonymised; running it twice changes nothing more.
    """
    if round_.phase not in (Phase.RESULTS, Phase.DELIVERY):
        raise ValidationError(_("Ballots are anonymised once voting has closed."))
    with transaction.atomic():
        ballots = list(linked_ballots().filter(round=round_).select_for_update())
        for ballot in ballots:
            ballot.voter_key = ANONYMOUS_VOTER_KEY + secrets.token_hex(16)
            ballot.user = None
            ballot.voter_code = None
            ballot.postcode_district = ""
            ballot.created_at = _day(ballot.created_at)
            ballot.updated_at = _day(ballot.updated_at)
        # bulk_update writes the values as set: auto_now does not move updated_at back to now.
        Ballot.objects.bulk_update(
            ballots,
            ["voter_key", "user", "voter_code", "postcode_district", "created_at", "updated_at"],
            batch_size=500,
        )
        codes = list(VoterCode.objects.filter(round=round_, used_by__isnull=False))
        for code in codes:
            code.used_by = None
            code.used_at = _day(code.used_at or timezone.now())
        VoterCode.objects.bulk_update(codes, ["used_by", "used_at"], batch_size=500)
    return len(ballots)


PHOTO_MAX_BYTES = 10 * 1024 * 1024


def _delivery_errors(
    *,
    status: str,
    progress: int,
    note: str,
    spent: Decimal | None,
    photo: Any,
    photo_alt: str,
    planned_start: date | None,
    planned_end: date | None,
    actual_start: date | None,
    actual_end: date | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not 0 <= progress <= 100:
        errors["progress"] = _("Progress must be between 0 and 100")
    elif status == DeliveryItem.Status.NOT_STARTED and progress:
        errors["progress"] = _(
            "A project that has not started has 0% progress; choose 'In progress'"
        )
    if not note.strip():
        errors["note"] = _("Say what has happened since the last update")
    if spent is not None and spent < 0:
        errors["spent"] = _("Enter the amount spent so far, £0 or more")
    if photo and not photo_alt.strip():
        errors["photo_alt"] = _("Describe the photo for people who cannot see it")
    if photo and photo.size > PHOTO_MAX_BYTES:
        errors["photo"] = _("The photo must be smaller than 10 MB")
    if planned_start and planned_end and planned_end < planned_start:
        errors["planned_end"] = _("The planned finish must be on or after the planned start")
    if actual_start and actual_end and actual_end < actual_start:
        errors["actual_end"] = _("The actual finish must be on or after the actual start")
    if actual_start and actual_start > timetable.today():
        errors["actual_start"] = _("The actual start cannot be in the future")
    if actual_end and actual_end > timetable.today():
        errors["actual_end"] = _("The actual finish cannot be in the future")
    return errors


def delivery_update(
    *,
    item: DeliveryItem,
    user: Any,
    status: str,
    progress: int,
    note: str,
    spent: Decimal | None = None,
    photo: Any = None,
    photo_alt: str = "",
    planned_start: date | None = None,
    planned_end: date | None = None,
    actual_start: date | None = None,
    actual_end: date | None = None,
    base_url: str = "",
) -> DeliveryUpdate:
    """Post a dated update on a funded project: it joins the project's public timeline, becomes the
    project's latest status, and is e-mailed to everyone following the project.

    A finished project is 100% done; the actual start and finish are filled in with today when the
    update is the first to say the work has started or finished and no date was given."""
    if status == DeliveryItem.Status.DONE:
        progress = 100
    photo_alt = photo_alt.strip()
    errors = _delivery_errors(
        status=status,
        progress=progress,
        note=note,
        spent=spent,
        photo=photo,
        photo_alt=photo_alt,
        planned_start=planned_start,
        planned_end=planned_end,
        actual_start=actual_start,
        actual_end=actual_end,
    )
    if errors:
        raise ValidationError(errors)
    started = status in (DeliveryItem.Status.IN_PROGRESS, DeliveryItem.Status.DONE)
    if started and actual_start is None:
        actual_start = item.actual_start or timetable.today()
    if status == DeliveryItem.Status.DONE and actual_end is None:
        actual_end = item.actual_end or timetable.today()
    update = DeliveryUpdate(
        item=item,
        status=status,
        progress=progress,
        spent=spent,
        note=note.strip(),
        photo_alt=photo_alt if photo else "",
        posted_by=user,
    )
    item.status, item.progress, item.spent, item.note = status, progress, spent, update.note
    item.planned_start, item.planned_end = planned_start, planned_end
    item.actual_start, item.actual_end = actual_start, actual_end
    item.full_clean()
    with transaction.atomic():
        if photo:
            update.photo.save(photo.name, photo, save=False)
        update.full_clean()
        update.save()
        item.save()
        emails.delivery_update_posted(update, base_url=base_url)
    return update


def delivery_follow(*, item: DeliveryItem, user: Any, follow: bool = True) -> bool:
    """Start (or stop) e-mailing ``user`` each new update on ``item``. Returns whether they now
    follow it; asking twice is harmless (the database keeps one subscription per person)."""
    if not getattr(user, "email", ""):
        raise ValidationError(_("Add an e-mail address to your account to get updates by e-mail."))
    with transaction.atomic():
        if follow:
            DeliverySubscription.objects.get_or_create(item=item, user=user)
        else:
            DeliverySubscription.objects.filter(item=item, user=user).delete()
    return follow
