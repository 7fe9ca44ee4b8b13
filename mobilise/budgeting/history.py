"""A round's history: what changed, kept as it was, and said in plain words.

Services call ``record_edit`` and ``record_phase`` inside their own transaction, so the record
commits or rolls back with the change itself. Values are stored as JSON the way a resident saw
them at the time (a place by its name, a date as ``YYYY-MM-DD``, money as a decimal string), so
the page still reads right after the place is renamed or a choice's label changes.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import timetable
from .models import BallotType, BudgetRound, Completion, Phase, RoundChange, Rule

# Sentence case, as residents read them on the round page.
LABELS: dict[str, Promise] = {
    "title": gettext_lazy("Title"),
    "description": gettext_lazy("Description"),
    "unspent_note": gettext_lazy("What happens to money not spent"),
    "ideas_close_on": gettext_lazy("Ideas close"),
    "voting_opens_on": gettext_lazy("Voting opens"),
    "voting_closes_on": gettext_lazy("Voting closes"),
    "place": gettext_lazy("Place"),
    "budget": gettext_lazy("Budget"),
    "ballot_type": gettext_lazy("Ballot"),
    "max_choices": gettext_lazy("Most projects a voter may choose"),
    "points": gettext_lazy("Points each voter shares out"),
    "rule": gettext_lazy("Counting rule"),
    "completion": gettext_lazy("Completion"),
    "postcode_districts": gettext_lazy("Postcode districts"),
    "allow_voter_codes": gettext_lazy("Voter codes"),
    "phase": gettext_lazy("Phase"),
}
# Shown in this order whatever order they were saved in: the order of the edit form.
ORDER = list(LABELS)
LONG = {"description"}  # too long for one line: shown before and after in full, under a toggle
CHOICES: dict[str, Any] = {
    "ballot_type": BallotType,
    "rule": Rule,
    "completion": Completion,
    "phase": Phase,
}


def stored(round_: BudgetRound, name: str) -> Any:
    """The JSON form of one field's value."""
    if name == "place":
        return round_.place.name
    value = getattr(round_, name)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"  # as the database holds it, however the form gave it
    return value


def record_edit(
    *, before: BudgetRound, after: BudgetRound, fields: list[str], user: Any
) -> RoundChange | None:
    """Keep an edit of ``fields`` (those that really changed); nothing when none did."""
    if not fields:
        return None
    return RoundChange.objects.create(
        round_id=before.pk,
        changed_at=timezone.now(),
        changed_by=user,
        kind=RoundChange.Kind.EDIT,
        changes={name: [stored(before, name), stored(after, name)] for name in fields},
    )


def record_phase(*, round_: BudgetRound, before: str, after: str, user: Any) -> RoundChange:
    """Keep a move from phase ``before`` to ``after``; ``user`` None means the published timetable."""
    return RoundChange.objects.create(
        round_id=round_.pk,
        changed_at=timezone.now(),
        changed_by=user,
        by_timetable=user is None,
        kind=RoundChange.Kind.PHASE,
        changes={"phase": [before, after]},
    )


# --- in plain words ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One changed field: "Voting closes: 30 April 2027 → 14 May 2027"."""

    label: str
    before: str
    after: str
    long: bool = False
    note: str = ""

    @property
    def text(self) -> str:
        if self.long:
            return _("%(label)s: changed") % {"label": self.label}
        text = f"{self.label}: {self.before} → {self.after}"
        return f"{text} ({self.note})" if self.note else text


def _words(name: str, value: Any, currency: str) -> str:
    if value is None or value == "":
        return _("not set")
    if name in CHOICES:
        try:
            return str(CHOICES[name](value).label)
        except ValueError:  # a choice since removed: show what was stored
            return str(value)
    if name.endswith("_on"):
        return timetable.day(date.fromisoformat(value))
    if name == "budget":
        from .services import money  # services records history: import here, not at the top

        return money(value, currency)
    if name == "allow_voter_codes":
        return _("accepted") if value else _("not accepted")
    return str(value)


def lines(change: RoundChange, currency: str) -> list[Line]:
    """What ``change`` changed, in the order of the edit form."""
    note = ""
    if change.kind == RoundChange.Kind.PHASE and change.by_timetable:
        note = _("the published closing day had passed")
    names = sorted(change.changes, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))
    return [
        Line(
            label=str(LABELS.get(name, name)),
            before=_words(name, change.changes[name][0], currency),
            after=_words(name, change.changes[name][1], currency),
            long=name in LONG,
            note=note if name == "phase" else "",
        )
        for name in names
    ]
