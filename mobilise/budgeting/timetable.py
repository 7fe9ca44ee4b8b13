"""A round's published dates, and what they allow on a given day.

Residents are told "ideas close on 31 March" and "voting closes on 30 April"; those days bind,
whether or not a lead has moved the round on yet. A date is inclusive (ideas may come in all day on
the closing day) and read in the service's own time zone (``TIME_ZONE``, through
``timezone.localdate()``). A date left empty means no limit on that side.

The phase still decides first: a round in review takes no ideas whatever its dates say. The dates
only narrow what a phase allows, so a round whose closing day has passed refuses ballots at once,
and ``mobilise budgets advance`` (advance.py) then moves it on and counts it.
"""

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import BudgetRound, Phase


class VotingDates(Protocol):
    """A round, or its voting dates as read under a lock."""

    @property
    def voting_opens_on(self) -> date | None: ...

    @property
    def voting_closes_on(self) -> date | None: ...


def today() -> date:
    return timezone.localdate()


def day(value: date) -> str:
    """31 March 2027."""
    return formats.date_format(value, "j F Y")


def ideas_closed(round_: BudgetRound, on: date) -> bool:
    return round_.ideas_close_on is not None and on > round_.ideas_close_on


def voting_not_yet_open(round_: VotingDates, on: date) -> bool:
    return round_.voting_opens_on is not None and on < round_.voting_opens_on


def voting_closed(round_: VotingDates, on: date) -> bool:
    return round_.voting_closes_on is not None and on > round_.voting_closes_on


def ideas_refusal(round_: BudgetRound, on: date) -> str | None:
    """Why an idea cannot be proposed today because of the dates, or None if the dates allow it."""
    if ideas_closed(round_, on):
        return _("Ideas closed on %(day)s.") % {"day": day(round_.ideas_close_on)}
    return None


def ballot_refusal(round_: VotingDates, on: date) -> str | None:
    """Why a ballot cannot be cast today because of the dates, or None if the dates allow it."""
    if voting_not_yet_open(round_, on):
        return _("Voting opens on %(day)s. Come back then to vote.") % {
            "day": day(round_.voting_opens_on)
        }
    if voting_closed(round_, on):
        return _("Voting closed on %(day)s, so ballots can no longer be cast or changed.") % {
            "day": day(round_.voting_closes_on)
        }
    return None


@dataclass(frozen=True)
class RoundDates:
    """What a round's pages should say today: one flag per thing the dates can stop."""

    today: date
    taking_ideas: bool
    ideas_closed: bool
    voting_open: bool
    voting_not_yet_open: bool
    voting_closed: bool


def round_dates(round_: BudgetRound, on: date | None = None) -> RoundDates:
    on = on or today()
    in_ideas, in_voting = round_.phase == Phase.IDEAS, round_.phase == Phase.VOTING
    not_yet, closed = voting_not_yet_open(round_, on), voting_closed(round_, on)
    return RoundDates(
        today=on,
        taking_ideas=in_ideas and not ideas_closed(round_, on),
        ideas_closed=in_ideas and ideas_closed(round_, on),
        voting_open=in_voting and not not_yet and not closed,
        voting_not_yet_open=in_voting and not_yet,
        voting_closed=in_voting and closed,
    )
