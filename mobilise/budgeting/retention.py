"""What the daily ``mobilise retention`` does to budget rounds (the schedule: core/retention.py)."""

import datetime as dt
from typing import Any

from mobilise.core.retention import SCHEDULE, register


def _voter_codes(now: dt.datetime) -> Any:
    """Voter codes of rounds whose results were counted more than the schedule's days ago.

    The count's time (``Result.computed_at``) moves on if a round is counted again: the codes then
    wait from the latest count."""
    from .models import VoterCode

    return VoterCode.objects.filter(
        round__result__computed_at__lt=now - dt.timedelta(days=SCHEDULE.voter_codes_days)
    )


def _linked_ballots(now: dt.datetime) -> Any:
    """Ballots of counted rounds still linked to a voter: rounds counted before ballots were
    anonymised at the count, or a count that failed to. Anonymised as the count does."""
    from .models import Phase
    from .services import linked_ballots

    return linked_ballots().filter(
        round__result__isnull=False, round__phase__in=[Phase.RESULTS, Phase.DELIVERY]
    )


def _anonymise(ballots: Any) -> int:
    from .models import BudgetRound
    from .services import ballots_anonymise

    rounds = BudgetRound.objects.filter(pk__in=ballots.values("round_id"))
    return sum(ballots_anonymise(round_=round_) for round_ in rounds)


# Before the codes are deleted: the ballots' links to them go first.
register(
    "ballots of counted rounds still linked to a voter", _linked_ballots, _anonymise, "anonymise"
)
register("voter codes of counted rounds", _voter_codes)
