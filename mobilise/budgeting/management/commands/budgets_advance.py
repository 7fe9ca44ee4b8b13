"""``mobilise budgets advance [--dry-run]``: close ideas and voting whose published day has passed.

Run it every quarter of an hour (docs/budget-rounds.md has a cron line and a systemd timer). One
line per round moved, then a summary; exits 0 when nothing is due. Overlapping runs are safe: each
round moves once and its vote is counted once.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mobilise.budgeting import advance, timetable
from mobilise.budgeting.models import Phase

# What closes when a round moves to each phase.
WHAT: dict[str, str] = {"results": "voting", "review": "ideas"}


class Command(BaseCommand):
    help = (
        "Apply the budget rounds' published dates: close voting (and queue the count) and close "
        "ideas in every round whose closing day has passed. Never opens voting."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say which rounds are due, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        on = timetable.today()
        moves = advance.advance(on=on, dry_run=dry_run)
        for move in moves:
            what = WHAT[move.to]
            named = f'"{move.round.title}" (round {move.round.pk})'
            closed = f"{what} closed on {timetable.day(move.closed_on)}"
            count = "; the count is queued" if move.to == Phase.RESULTS else ""
            if dry_run:
                self.stdout.write(f"Would close {what} in {named}: {closed}.")
            elif move.done:
                self.stdout.write(f"Closed {what} in {named}: {closed}{count}.")
            else:
                # Lost the race to another run or a lead: the round has moved, which is what we wanted.
                self.stdout.write(f"Left {named} alone: another run or a lead moved it on first.")
        done = [m for m in moves if m.done]
        if dry_run:
            self.stdout.write(
                f"Dry run on {timetable.day(on)}: {_rounds(len(moves))} due; nothing was changed."
            )
        elif not moves:
            self.stdout.write(f"Nothing is due on {timetable.day(on)}.")
        else:
            votes = sum(1 for m in done if m.to == Phase.RESULTS)
            self.stdout.write(
                f"Moved on {_rounds(len(done))}: voting closed in {votes}, "
                f"ideas closed in {len(done) - votes}."
            )


def _rounds(n: int) -> str:
    return f"{n} round" if n == 1 else f"{n} rounds"
