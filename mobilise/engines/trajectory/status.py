"""Progress statuses, indicator polarity, and rolling statuses up to an outcome or a mission."""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from mobilise.engines._validation import check_positive


class Polarity(StrEnum):
    """Which way is better for an indicator."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"

    @property
    def sign(self) -> int:
        """+1 when higher is better, -1 when lower is: multiply a difference by it to get "better"."""
        return 1 if self is Polarity.HIGHER_IS_BETTER else -1

    @classmethod
    def parse(cls, value: "Polarity | str") -> "Polarity":
        try:
            return cls(value)
        except ValueError:
            options = ", ".join(p.value for p in cls)
            raise ValueError(f"polarity must be one of {options}; got {value!r}.") from None


class Status(StrEnum):
    """How an indicator, outcome or mission is doing against its trajectory.

    Members are listed from best to worst; ``INSUFFICIENT_DATA`` is not a grade but an absence of
    one, so roll-ups treat it separately (see ``roll_up``).
    """

    ON_TRACK = "on_track"
    # The trend meets the target, but not surely: the prediction interval also reaches values
    # that miss it, or the latest value is unusual against the trend (see ``assessment``).
    UNCERTAIN = "uncertain"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    INSUFFICIENT_DATA = "insufficient_data"

    @property
    def label(self) -> str:
        """The status as people read it: "On track", "At risk", "Off track", "Insufficient data"."""
        return self.value.replace("_", " ").capitalize()


# Worst first: the order in which a roll-up picks, and in which its counts are listed.
_SEVERITY = (Status.OFF_TRACK, Status.AT_RISK, Status.UNCERTAIN, Status.ON_TRACK)


@dataclass(frozen=True)
class RollUp:
    """The combined status of a set of indicators (or outcomes), with counts and a summary."""

    status: Status
    counts: dict[Status, int]
    total: int
    explanation: str

    @property
    def assessed(self) -> int:
        """How many items had a status other than insufficient data."""
        return self.total - self.counts[Status.INSUFFICIENT_DATA]


def _status_of(item: object) -> Status:
    value = getattr(item, "status", item)
    try:
        return Status(value)
    except ValueError:
        options = ", ".join(s.value for s in Status)
        raise ValueError(f"Each status must be one of {options}; got {value!r}.") from None


def roll_up(
    items: Iterable[object], *, min_assessed_share: float = 0.0, noun: str = "indicator"
) -> RollUp:
    """Combine statuses into one for the outcome or mission they measure.

    ``items`` are ``Status`` values, their strings, or anything with a ``.status`` (an
    ``Assessment``, or a ``RollUp`` when rolling outcomes up to a mission).

    Rule, worst-of: the result is the worst status among the items that could be assessed
    (off track, then at risk, then uncertain, then on track). Insufficient data is left out of that choice,
    since a gap in the data is not evidence of failure, but the result is itself insufficient
    data when nothing could be assessed, or when the share assessed is below
    ``min_assessed_share`` (default 0: any one assessed item gives a status). Worst-of makes one
    failing indicator visible at the top rather than averaged away, which is the point of
    tracking a mission. The counts go alongside so a reader can see how much the status rests
    on, and ``noun`` names the items in the sentence ("indicator", "outcome").
    """
    check_positive(min_assessed_share, name="min_assessed_share", allow_zero=True)
    if min_assessed_share > 1:
        raise ValueError(f"min_assessed_share must be between 0 and 1, got {min_assessed_share}.")
    statuses = [_status_of(item) for item in items]
    counts = {status: 0 for status in (*_SEVERITY, Status.INSUFFICIENT_DATA)}
    for status in statuses:
        counts[status] += 1
    total = len(statuses)
    assessed = total - counts[Status.INSUFFICIENT_DATA]
    plural = noun if total == 1 else f"{noun}s"
    if total == 0:
        return RollUp(Status.INSUFFICIENT_DATA, counts, 0, f"No {noun}s to assess yet.")
    parts = [
        f"{counts[s]} {'with insufficient data' if s is Status.INSUFFICIENT_DATA else s.label.lower()}"
        for s in (*_SEVERITY, Status.INSUFFICIENT_DATA)
        if counts[s]
    ]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    if assessed == 0:
        return RollUp(
            Status.INSUFFICIENT_DATA,
            counts,
            total,
            f"{total} {plural}: {listed}, so none can be assessed.",
        )
    if assessed / total < min_assessed_share:
        return RollUp(
            Status.INSUFFICIENT_DATA,
            counts,
            total,
            f"{total} {plural}: {listed}; too few assessed (needs {min_assessed_share:.0%}) to give a status.",
        )
    worst = next(s for s in _SEVERITY if counts[s])
    return RollUp(
        worst,
        counts,
        total,
        f"{total} {plural}: {listed}; overall {worst.label.lower()}, the worst of those assessed.",
    )
