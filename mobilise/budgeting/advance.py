"""Apply the published timetable: move on every round whose closing day has passed.

Run by ``mobilise budgets advance`` (every quarter of an hour from cron or a systemd timer; see
docs/budget-rounds.md). Voting closes (voting → results, which queues the count) the day after
``voting_closes_on``; ideas close (ideas → review) the day after ``ideas_close_on``. Voting is never
opened here: that needs every idea reviewed, so a lead does it.

Every move goes through ``services.round_move_phase``, whose conditional UPDATE lets only one of two
overlapping runs (or a run and a lead) move a round; the loser is reported, not an error, and the
count is queued once, by the winner.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from . import services
from .models import BudgetRound, Phase

# (phase the round is in, the date that ends it, the phase it moves to). Never into voting.
CLOSES = (
    (Phase.VOTING, "voting_closes_on", Phase.RESULTS),
    (Phase.IDEAS, "ideas_close_on", Phase.REVIEW),
)


@dataclass(frozen=True)
class Move:
    round: BudgetRound
    to: str
    closed_on: date
    done: bool  # False on a dry run, or when someone else moved the round first
    note: str = ""  # why it was not moved, when it was not


def rounds_due(on: date) -> list[tuple[BudgetRound, str, date]]:
    """Rounds whose closing day is before ``on``, with the phase they move to and that day."""
    due: list[tuple[BudgetRound, str, date]] = []
    for phase, field, to in CLOSES:
        rounds = BudgetRound.objects.filter(phase=phase, **{f"{field}__lt": on})
        due.extend((r, to, getattr(r, field)) for r in rounds.order_by(field, "pk"))
    return due


def advance(*, on: date, dry_run: bool = False) -> list[Move]:
    """Move on every round that is due on ``on``; with ``dry_run``, only say which would move."""
    moves = []
    for round_, to, closed_on in rounds_due(on):
        if dry_run:
            moves.append(Move(round=round_, to=to, closed_on=closed_on, done=False))
            continue
        try:
            services.round_move_phase(round_=round_, user=None, to=to)
        except ValidationError as exc:
            # Someone else (another run, or a lead) moved it between our read and our UPDATE.
            note = " ".join(exc.messages)
            moves.append(Move(round=round_, to=to, closed_on=closed_on, done=False, note=note))
        else:
            moves.append(Move(round=round_, to=to, closed_on=closed_on, done=True))
    return moves
