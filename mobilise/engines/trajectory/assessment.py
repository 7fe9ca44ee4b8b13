"""Is an indicator on track? Compare its series with its trajectory and project it to the target.

The rule (``ProgressAssessor``'s hyperparameters in brackets), applied in this order:

1. **Insufficient data** if there is no observation; or if the latest observation is more than
   ``max_age_years`` before ``now`` [4]; or if fewer than ``min_points`` [3] observations are
   left to fit a trend (within ``recent_years`` of the latest, if set); or, only when
   ``max_extrapolation`` is set [off], if the target year lies further beyond the latest
   observation than that many times the span of the years fitted.
2. **Target date reached**: if the latest observation is at or after the target year, no
   projection is needed: **on track** if it meets the target, **off track** if not.
3. Otherwise project the trend to the target year with a prediction interval [``interval`` 0.8]
   and compare, "meets" and "better" read by the indicator's polarity:

   * **on track** if the projected value meets the target *and* the latest value is on the
     right side of the trajectory, allowing ``tolerance`` [0.1] of the planned change
     ``|target - baseline|`` or ``abs_tolerance`` [0] in the indicator's units, whichever is
     larger — *and* the judgement is sure:
   * **uncertain** instead of on track when it is not: the prediction interval at the target
     year spans both meeting and missing the target (its worse end misses), or the latest
     years are unusual (below);
   * **off track** if the whole interval misses the target: even its better end falls short;
   * **at risk** otherwise: the central projection misses but the target is within the
     interval, or the projection meets it while the latest value is behind the trajectory.

Projections and their intervals are clipped to the indicator's natural ``bounds`` (no negative
emissions, no percentage over 100) before they are compared with the target.

**Unusual latest years**, a simple rule: a year is *unusual* when its value lies outside the
``unusual_interval`` [0.99] prediction range of the straight line fitted to the other fitted
years (at least 3 of them), and further than ``unusual_share`` [0.02] of that line's value from
it. Two years are checked: the latest, and any year in ``break_years`` [(2020,): the pandemic
year, when travel, emissions and much else dropped and recovered]. A flagged year is named in
the explanation and keeps an assessment that would be on track at **uncertain**: a straight line
through a lockdown year says little about 2035. (The trend is still fitted to every year: the
rule informs, it does not drop data.)

Every assessment carries a one-sentence ``explanation``, e.g. "Latest 38.1 in 2022 is 2.3 above
the trajectory value of 35.8, behind the trajectory; projected 31.0 ± 4.2 in 2030 against a
target of 25: the trend misses the target, but the target is within the 80% range."
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mobilise.engines._validation import check_positive

from . import _text
from ._kernels import FITTERS
from .periods import date_to_year, format_year
from .plan import Trajectory, interpolate_points, stack_points
from .projection import (
    BatchTrendProjector,
    Model,
    Projection,
    check_hyperparameters,
    prepare_series,
    prepare_table,
    window_mask,
)
from .status import Polarity, Status

FloatArray = NDArray[np.float64]


class Reason(IntEnum):
    """Why an assessment came out as it did; each status has one or two reasons."""

    NO_DATA = 0
    STALE = 1
    TOO_FEW = 2
    TARGET_MET = 3  # the target year has passed and the latest value meets the target
    TARGET_MISSED = 4
    ON_TRACK = 5
    PROJECTION_MISSES = 6  # central projection misses but the interval reaches the target
    BEHIND_TRAJECTORY = 7  # projection meets the target but the latest value is behind
    OFF_TRACK = 8
    SHORT_SPAN = 9  # the projection would reach too far beyond the span of the data
    UNCERTAIN = 10  # the projection meets the target, but its interval also misses it
    UNUSUAL = 11  # the projection meets the target, but rests on an unusual latest or break year


_STATUS_OF_REASON = {
    Reason.NO_DATA: Status.INSUFFICIENT_DATA,
    Reason.STALE: Status.INSUFFICIENT_DATA,
    Reason.TOO_FEW: Status.INSUFFICIENT_DATA,
    Reason.TARGET_MET: Status.ON_TRACK,
    Reason.TARGET_MISSED: Status.OFF_TRACK,
    Reason.ON_TRACK: Status.ON_TRACK,
    Reason.PROJECTION_MISSES: Status.AT_RISK,
    Reason.BEHIND_TRAJECTORY: Status.AT_RISK,
    Reason.OFF_TRACK: Status.OFF_TRACK,
    Reason.SHORT_SPAN: Status.INSUFFICIENT_DATA,
    Reason.UNCERTAIN: Status.UNCERTAIN,
    Reason.UNUSUAL: Status.UNCERTAIN,
}
# Reason values run 0, 1, 2, … in declaration order, so a reason code indexes this array.
_STATUS_BY_CODE = np.array([_STATUS_OF_REASON[r].value for r in Reason])


@dataclass(frozen=True)
class Assessment:
    """The progress of one indicator in one place against its trajectory.

    Values are in the indicator's units and years are float years. Fields that need data the
    series lacks are None (no observation, no trend).

    ``reason`` says which branch of the rule decided the status (see ``Reason``).
    ``gap`` is ``latest_value - trajectory_value``; ``favourable_gap`` is the same turned so that
    positive means ahead of the trajectory whichever the polarity. ``tolerance`` is the allowance
    actually applied (in the indicator's units). ``n_points`` counts the observations the trend
    was fitted to; ``notes`` records what was done to the data (missing values dropped, repeated
    years averaged).
    """

    status: Status
    explanation: str
    reason: Reason
    polarity: Polarity
    target_year: float
    target_value: float
    latest_year: float | None
    latest_value: float | None
    trajectory_value: float | None
    gap: float | None
    projection: Projection | None
    tolerance: float
    n_points: int
    notes: tuple[str, ...] = ()
    # Years whose values are unusual against the trend of the others (see the module docstring).
    unusual_years: tuple[float, ...] = ()

    @property
    def latest(self) -> tuple[float, float] | None:
        """The latest observation as ``(year, value)``."""
        if self.latest_year is None or self.latest_value is None:
            return None
        return (self.latest_year, self.latest_value)

    @property
    def target(self) -> tuple[float, float]:
        return (self.target_year, self.target_value)

    @property
    def favourable_gap(self) -> float | None:
        return None if self.gap is None else self.gap * self.polarity.sign


class ProgressAssessor:
    """Assess indicator series against their trajectories.

    Parameters
    ----------
    model : "linear" or "theil_sen"
        Trend model for the projection (see ``projection``). Default "linear".
    interval : float
        Nominal coverage of the projection's prediction interval. Default 0.8.
    min_points : int
        Fewest observations needed to project (at least 3). Default 3.
    recent_years : float or None
        Fit the trend to the observations within this many years of the latest only.
    tolerance : float
        How far behind the trajectory the latest value may be and still count as on it, as a
        fraction of the planned change ``|target - baseline|``. Default 0.1.
    abs_tolerance : float
        The same allowance in the indicator's units; the larger of the two applies. Default 0,
        but set it for a trajectory that holds a level (planned change 0).
    max_age_years : float or None
        Latest observation older than this, before ``now``, means insufficient data. Default 4:
        annual data labelled by the start of the year and published up to two years later is
        3.5 years old just before its next release, so 4 flags a release that did not come.
        None switches the check off.
    max_extrapolation : float or None
        Treat a projection as guesswork, and so the data as insufficient, when the target year is
        more than this many times the span of the fitted years beyond the latest observation.
        Four points from 2018 to 2021 (a span of 3) projected to 2030 (9 years on) is a ratio
        of 3. Default None (off), the rule as specified; 2 is a reasonable setting.
    unusual_interval : float
        A year is unusual when outside this prediction range of the other years' trend.
        Default 0.99.
    unusual_share : float
        ...and further than this share of the trend's value from it. Default 0.02.
    break_years : tuple of int
        Years known to break series (checked as well as the latest). Default (2020,).

    The rule these feed is in this module's docstring. The assessor learns nothing, so it has
    no ``fit``: it is a rule with settings, applied by ``assess`` (one series) and
    ``assess_many`` (a table of series, vectorised).
    """

    def __init__(
        self,
        model: Model = "linear",
        interval: float = 0.8,
        min_points: int = 3,
        recent_years: float | None = None,
        tolerance: float = 0.1,
        abs_tolerance: float = 0.0,
        max_age_years: float | None = 4.0,
        max_extrapolation: float | None = None,
        unusual_interval: float = 0.99,
        unusual_share: float = 0.02,
        break_years: tuple[int, ...] = (2020,),
    ) -> None:
        self.model = model
        self.interval = interval
        self.min_points = min_points
        self.recent_years = recent_years
        self.tolerance = tolerance
        self.abs_tolerance = abs_tolerance
        self.max_age_years = max_age_years
        self.max_extrapolation = max_extrapolation
        self.unusual_interval = unusual_interval
        self.unusual_share = unusual_share
        self.break_years = break_years

    def _check(self) -> None:
        check_hyperparameters(self.model, self.interval, self.min_points, self.recent_years)
        check_positive(self.tolerance, name="tolerance", allow_zero=True)
        check_positive(self.abs_tolerance, name="abs_tolerance", allow_zero=True)
        if self.max_age_years is not None:
            check_positive(self.max_age_years, name="max_age_years")
        if self.max_extrapolation is not None:
            check_positive(self.max_extrapolation, name="max_extrapolation")
        if not 0 < self.unusual_interval < 1:
            raise ValueError(
                f"unusual_interval must be between 0 and 1, got {self.unusual_interval}."
            )
        check_positive(self.unusual_share, name="unusual_share", allow_zero=True)

    def assess(
        self,
        years: ArrayLike,
        values: ArrayLike,
        trajectory: Trajectory,
        polarity: Polarity | str,
        *,
        now: float | date | None = None,
        labels: Sequence[str] | None = None,
        decimals: int | None = None,
        bounds: tuple[float | None, float | None] = (None, None),
    ) -> Assessment:
        """Assess one series (two 1-D arrays, any order, NaN for missing) against ``trajectory``.

        ``now`` is the assessment date, a float year or a date, default today; it only matters
        for ``max_age_years``. ``labels`` are the period strings that go with ``years``
        ("2021/22"), used to name the latest period in the explanation instead of its float
        year. ``decimals`` fixes the rounding in the explanation instead of choosing it from the
        data. ``bounds`` are the indicator's natural limits, ``(0, 100)`` for a percentage: a
        straight line does not know them, so the projection and its interval are clipped to them
        (the interval is then no longer symmetric, and the explanation gives its two ends).
        """
        self._check()
        x, y, notes, kept = prepare_series(years, values, None if labels is None else list(labels))
        batch = self._assess_arrays(
            x[None, :],
            y[None, :],
            np.ones((1, len(x)), dtype=bool),
            trajectory,
            polarity,
            now=now,
            labels=kept,
            decimals=decimals,
            bounds=bounds,
        )
        return batch.assessment(0, notes=tuple(notes))

    def assess_many(
        self,
        years: ArrayLike,
        values: ArrayLike,
        trajectories: Trajectory | Sequence[Trajectory],
        polarity: Polarity | str | Sequence[Polarity | str],
        *,
        now: float | date | None = None,
        labels: Sequence[str] | None = None,
        decimals: int | None = None,
        bounds: tuple[float | ArrayLike | None, float | ArrayLike | None] = (None, None),
    ) -> "BatchAssessment":
        """Assess every row of a table of series, vectorised.

        ``values`` has shape ``(n_series, n_periods)`` with NaN for missing observations and
        ``years`` is shared ``(n_periods,)`` or per row (same shape as ``values``, NaN padded).
        ``trajectories`` is one ``Trajectory`` for all rows or one per row, and ``polarity`` one
        for all or one per row. ``labels`` name the shared periods (only with 1-D ``years``).
        ``bounds`` is as for ``assess``, each end a number, None or one number per row.
        Statuses and numbers are computed at once; explanations are written when read.
        """
        self._check()
        x, y, mask = prepare_table(years, values)
        if labels is not None and (np.ndim(years) != 1 or len(labels) != x.shape[1]):
            raise ValueError("labels need 1-D years and one label per period.")
        return self._assess_arrays(
            x,
            y,
            mask,
            trajectories,
            polarity,
            now=now,
            labels=labels,
            decimals=decimals,
            bounds=bounds,
        )

    def _assess_arrays(
        self,
        x: FloatArray,
        y: FloatArray,
        mask: NDArray[np.bool_],
        trajectories: Trajectory | Sequence[Trajectory],
        polarity: Polarity | str | Sequence[Polarity | str],
        *,
        now: float | date | None,
        labels: Sequence[str] | None,
        decimals: int | None,
        bounds: tuple[Any, Any],
    ) -> "BatchAssessment":
        n = x.shape[0]
        signs, polarities = _polarities(polarity, n)
        today = _now(now)
        if decimals is not None and (int(decimals) != decimals or not 0 <= decimals <= 10):
            raise ValueError(f"decimals must be a whole number from 0 to 10, got {decimals}.")

        projector = BatchTrendProjector(
            self.model, self.interval, self.min_points, self.recent_years
        )
        projector._fit_arrays(x, y, mask)
        latest_year, latest_value = projector.latest_year_, projector.latest_value_

        if isinstance(trajectories, Trajectory):
            trajectory_value = np.asarray(trajectories.value_at(latest_year), dtype=float).reshape(
                n
            )
            baseline_value = np.full(n, trajectories.baseline_value)
            target_year = np.full(n, trajectories.target_year)
            target_value = np.full(n, trajectories.target_value)
        else:
            traj_list = list(trajectories)
            if len(traj_list) != n or not all(isinstance(t, Trajectory) for t in traj_list):
                raise ValueError(f"Need one Trajectory for all series or one per series ({n}).")
            xs, vs, counts = stack_points(traj_list)
            trajectory_value = interpolate_points(xs, vs, counts, latest_year)
            rows = np.arange(n)
            baseline_value = vs[:, 0] if n else np.empty(0)
            target_year = xs[rows, counts - 1] if n else np.empty(0)
            target_value = vs[rows, counts - 1] if n else np.empty(0)

        projection = projector.predict(target_year)
        low, high = _bounds(bounds, n)
        projected = [
            np.clip(a, low, high) for a in (projection.value, projection.lower, projection.upper)
        ]
        tolerance = np.maximum(
            self.abs_tolerance, self.tolerance * np.abs(target_value - baseline_value)
        )
        gap = latest_value - trajectory_value
        with np.errstate(invalid="ignore"):
            on_side = signs * gap >= -tolerance
            meets = signs * (projected[0] - target_value) >= 0
            better_end = np.where(signs > 0, projected[2], projected[1])
            whole_interval_misses = signs * (better_end - target_value) < 0
            latest_meets = signs * (latest_value - target_value) >= 0
            stale = (
                np.zeros(n, dtype=bool)
                if self.max_age_years is None
                else today - latest_year > self.max_age_years
            )
            passed = latest_year >= target_year
            span = latest_year - projector.first_year_
            too_far = (
                np.zeros(n, dtype=bool)
                if self.max_extrapolation is None
                else target_year - latest_year > self.max_extrapolation * span
            )

            worse_end = np.where(signs > 0, projected[1], projected[2])
            interval_misses_too = signs * (worse_end - target_value) < 0
        used = window_mask(x, mask, self.recent_years)
        unusual_latest = self._unusual(x, y, used, x == latest_year[:, None])
        unusual_break = np.zeros(x.shape, dtype=bool)
        for year in self.break_years:
            in_year = used & (x >= year) & (x < year + 1) & (x != latest_year[:, None])
            unusual_break |= in_year & self._unusual(x, y, used, in_year)[:, None]
        unusual = (unusual_latest[:, None] & (x == latest_year[:, None]) & used) | unusual_break
        any_unusual = unusual.any(axis=1)

        # np.select takes the first condition that holds, so the order is the rule's order.
        reason = np.select(
            [
                projector.n_observations_ == 0,
                passed & latest_meets,
                passed,
                stale,
                ~projector.sufficient_,
                too_far,
                meets & on_side & interval_misses_too,
                meets & on_side & any_unusual,
                meets & on_side,
                whole_interval_misses,
                ~meets,
            ],
            [
                Reason.NO_DATA,
                Reason.TARGET_MET,
                Reason.TARGET_MISSED,
                Reason.STALE,
                Reason.TOO_FEW,
                Reason.SHORT_SPAN,
                Reason.UNCERTAIN,
                Reason.UNUSUAL,
                Reason.ON_TRACK,
                Reason.OFF_TRACK,
                Reason.PROJECTION_MISSES,
            ],
            default=Reason.BEHIND_TRAJECTORY,
        ).astype(np.int8)
        unusual_years = [tuple(x[i, unusual[i]].tolist()) for i in range(n)]

        if decimals is None:
            scale = np.nanmax(
                np.abs(np.stack([latest_value, target_value, baseline_value])), axis=0
            )
            places = _text.sentence_decimals(scale, _text.data_decimals(y, mask))
        else:
            places = np.full(n, int(decimals))

        return BatchAssessment(
            status=_STATUS_BY_CODE[reason],
            reason=reason,
            polarity=polarities,
            latest_year=latest_year,
            latest_value=latest_value,
            latest_index=projector.latest_index_,
            trajectory_value=trajectory_value,
            gap=gap,
            projected_value=projected[0],
            projected_lower=projected[1],
            projected_upper=projected[2],
            target_year=target_year,
            target_value=target_value,
            tolerance=tolerance,
            lower_bound=low,
            upper_bound=high,
            n_observations=projector.n_observations_,
            n_points=projector.n_points_,
            first_year=projector.first_year_,
            decimals=places,
            interval=self.interval,
            min_points=self.min_points,
            recent_years=self.recent_years,
            max_age_years=self.max_age_years,
            max_extrapolation=self.max_extrapolation,
            now=today,
            labels=None if labels is None else tuple(labels),
            unusual_years=tuple(unusual_years),
            unusual_interval=self.unusual_interval,
        )

    def _unusual(
        self,
        x: FloatArray,
        y: FloatArray,
        used: NDArray[np.bool_],
        point: NDArray[np.bool_],
    ) -> NDArray[np.bool_]:
        """Per row: is the one fitted year marked in ``point`` unusual against the trend of the
        row's other fitted years? False where there is no such year or fewer than 3 others."""
        point = point & used
        has_point = point.sum(axis=1) == 1
        others = used & ~point
        fit = FITTERS[self.model](x, y, others)
        at = np.where(point, x, 0.0).sum(axis=1)
        value = np.where(point, y, 0.0).sum(axis=1)
        centre, half = fit.predict(at, self.unusual_interval)
        with np.errstate(invalid="ignore"):
            off = np.abs(value - centre)
            result = (
                has_point
                & (fit.n >= 3)
                & (off > half)
                & (off > self.unusual_share * np.abs(centre))
            )
        return np.where(np.isnan(off), False, result)


def assess(
    years: ArrayLike,
    values: ArrayLike,
    trajectory: Trajectory,
    polarity: Polarity | str,
    *,
    now: float | date | None = None,
    labels: Sequence[str] | None = None,
    decimals: int | None = None,
    bounds: tuple[float | None, float | None] = (None, None),
    **hyperparameters: Any,
) -> Assessment:
    """Shortcut for ``ProgressAssessor(**hyperparameters).assess(...)``."""
    return ProgressAssessor(**hyperparameters).assess(
        years,
        values,
        trajectory,
        polarity,
        now=now,
        labels=labels,
        decimals=decimals,
        bounds=bounds,
    )


def _bounds(bounds: tuple[Any, Any], n: int) -> tuple[FloatArray, FloatArray]:
    try:
        low, high = bounds
    except (TypeError, ValueError):
        raise ValueError(
            f"bounds must be a (lower, upper) pair, either may be None; got {bounds!r}."
        ) from None
    ends = []
    for end, missing in ((low, -np.inf), (high, np.inf)):
        array = (
            np.full(n, missing)
            if end is None
            else np.broadcast_to(np.asarray(end, dtype=float), (n,))
        )
        if np.isnan(array).any():
            raise ValueError("bounds must be numbers or None, not NaN.")
        ends.append(array)
    if (ends[0] >= ends[1]).any():
        raise ValueError(f"The lower bound must be below the upper bound; got {bounds!r}.")
    return ends[0], ends[1]


def _now(now: float | date | None) -> float:
    if now is None:
        return date_to_year(date.today())
    if isinstance(now, date):
        return date_to_year(now)
    value = float(now)
    if not np.isfinite(value):
        raise ValueError(f"now must be a finite float year or a date, got {now!r}.")
    return value


_POLARITY_VALUES = tuple(p.value for p in Polarity)


def _polarities(
    polarity: Polarity | str | Sequence[Polarity | str], n: int
) -> tuple[NDArray[np.int8], NDArray[np.str_]]:
    """Signs (+1 higher is better, -1 lower) and the polarity strings, one per row."""
    if isinstance(polarity, str):
        values = np.full(n, Polarity.parse(polarity).value)
    else:
        # Compared as an array rather than parsed one by one: 80,000 enum lookups add up.
        values = np.asarray([str(p) for p in polarity], dtype=str)
        if values.shape != (n,):
            raise ValueError(
                f"Need one polarity for all series or one per series ({n}), got {len(values)}."
            )
        for value in np.unique(values):
            Polarity.parse(value)
        values = values.astype(f"<U{max(len(v) for v in _POLARITY_VALUES)}")
    signs = np.where(values == Polarity.HIGHER_IS_BETTER.value, 1, -1).astype(np.int8)
    return signs, values


# The per-row columns of a BatchAssessment, in the order of _Row's fields.
class _Row(NamedTuple):
    status: str
    reason: int
    polarity: str
    latest_year: float
    latest_value: float
    latest_index: int
    trajectory_value: float
    gap: float
    projected_value: float
    projected_lower: float
    projected_upper: float
    target_year: float
    target_value: float
    tolerance: float
    lower_bound: float
    upper_bound: float
    n_observations: int
    n_points: int
    first_year: float
    decimals: int


@dataclass(frozen=True, eq=False)
class BatchAssessment:
    """Assessments of many series: one array entry per row, plus the settings used.

    ``status`` holds the ``Status`` values and ``polarity`` the ``Polarity`` values as strings.
    Index it (``batch[i]``) or iterate for ``Assessment`` objects with their explanations;
    ``counts()`` tallies the statuses.
    """

    status: NDArray[np.str_]
    reason: NDArray[np.int8]
    polarity: NDArray[np.str_]
    latest_year: FloatArray
    latest_value: FloatArray
    latest_index: NDArray[np.int64]
    trajectory_value: FloatArray
    gap: FloatArray
    projected_value: FloatArray
    projected_lower: FloatArray
    projected_upper: FloatArray
    target_year: FloatArray
    target_value: FloatArray
    tolerance: FloatArray
    lower_bound: FloatArray
    upper_bound: FloatArray
    n_observations: NDArray[np.int64]
    n_points: NDArray[np.int64]
    first_year: FloatArray
    decimals: NDArray[np.int64]
    interval: float
    min_points: int
    recent_years: float | None
    max_age_years: float | None
    max_extrapolation: float | None
    now: float
    labels: tuple[str, ...] | None = None
    unusual_years: tuple[tuple[float, ...], ...] = ()
    unusual_interval: float = 0.99

    def __len__(self) -> int:
        return len(self.status)

    def __getitem__(self, row: int) -> Assessment:
        return self.assessment(row)

    def __iter__(self) -> Iterator[Assessment]:
        return (self.assessment(i) for i in range(len(self)))

    def counts(self) -> dict[Status, int]:
        return {s: int((self.status == s.value).sum()) for s in Status}

    def explanations(self) -> list[str]:
        return [
            _explain(self, _Row._make(values), i)
            for i, values in enumerate(zip(*self._columns, strict=True))
        ]

    @cached_property
    def _range_name(self) -> str:
        return f"the {_text.percent(self.interval)} range"

    @cached_property
    def _columns(self) -> list[list[Any]]:
        # Python lists once, rather than a NumPy scalar per field per row: writing 80,000
        # sentences is then string work only.
        return [getattr(self, name).tolist() for name in _Row._fields]

    def _row(self, row: int) -> _Row:
        return _Row(*(column[row] for column in self._columns))

    def assessment(self, row: int, *, notes: tuple[str, ...] = ()) -> Assessment:
        """Row ``row`` as an ``Assessment``, with its explanation written out."""
        r = self._row(row)
        has_latest = r.n_observations > 0
        projection = (
            None
            if np.isnan(r.projected_value)
            else Projection(
                r.target_year,
                r.projected_value,
                r.projected_lower,
                r.projected_upper,
                self.interval,
            )
        )
        return Assessment(
            status=Status(r.status),
            explanation=_explain(self, r, row),
            reason=Reason(r.reason),
            polarity=Polarity(r.polarity),
            target_year=r.target_year,
            target_value=r.target_value,
            latest_year=r.latest_year if has_latest else None,
            latest_value=r.latest_value if has_latest else None,
            trajectory_value=r.trajectory_value if has_latest else None,
            gap=r.gap if has_latest else None,
            projection=projection,
            tolerance=r.tolerance,
            n_points=r.n_points,
            notes=notes,
            unusual_years=self.unusual_years[row] if self.unusual_years else (),
        )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _explain(batch: BatchAssessment, r: _Row, row: int) -> str:
    """The explanation of one row of a batch: one sentence, and one more when years are unusual."""
    text = _explain_status(batch, r)
    unusual = batch.unusual_years[row] if batch.unusual_years else ()
    if unusual and r.reason not in (Reason.NO_DATA, Reason.TOO_FEW, Reason.STALE):
        years = " and ".join(format_year(y) for y in unusual)
        verb = "is" if len(unusual) == 1 else "are"
        text += (
            f" {years} {verb} unusual against the trend of the other years"
            f" (outside its {_text.percent(batch.unusual_interval)} range)"
        )
        if any(2020 <= y < 2021 for y in unusual):
            text += ", as in the 2020 pandemic"
        text += ", so the projection is less reliable than its range suggests."
    return text


def _explain_status(batch: BatchAssessment, r: _Row) -> str:
    """The one-sentence explanation of one row's status."""
    reason = r.reason
    if reason == Reason.NO_DATA:
        return "No observations yet, so progress cannot be assessed."
    places = r.decimals
    sign = 1 if r.polarity == Polarity.HIGHER_IS_BETTER.value else -1

    def num(value: float) -> str:
        return _text.number(value, places)

    target = _text.entered(r.target_value, places)
    target_year = format_year(r.target_year)
    when = batch.labels[r.latest_index] if batch.labels is not None else format_year(r.latest_year)
    latest = f"latest {num(r.latest_value)} in {when}"

    if reason == Reason.TARGET_MET:
        return f"{_cap(latest)} meets the target of {target} for {target_year}."
    if reason == Reason.TARGET_MISSED:
        short = abs(r.latest_value - r.target_value)
        return f"{_cap(latest)} misses the target of {target} for {target_year} by {num(short)}."
    if reason == Reason.STALE:
        age = _text.entered(float(batch.max_age_years or 0), 1)
        return (
            f"{_cap(latest)} is more than {age} years before the assessment "
            f"(in {int(batch.now)}), too old to judge progress by."
        )
    if reason == Reason.TOO_FEW:
        if r.n_points == 1:
            have = f"only 1 observation, {num(r.latest_value)} in {when}"
        else:
            have = f"only {r.n_points} observations, from {format_year(r.first_year)} to {when}"
        if batch.recent_years is not None and r.n_points < r.n_observations:
            have += f" (the last {_text.entered(batch.recent_years, 1)} years)"
        return f"{_cap(have)}; at least {batch.min_points} are needed to project a trend."
    if reason == Reason.SHORT_SPAN:
        ahead = _text.entered(r.target_year - r.latest_year, 1)
        return (
            f"{_cap(latest)} ends only {r.n_points} observations from {format_year(r.first_year)}; "
            f"a trend over so short a span cannot be projected {ahead} years on to {target_year}."
        )

    gap = r.gap
    if round(abs(gap), places) == 0:
        # Both numbers could still round apart ("3.21" against "3.22"), so name no value.
        position = "is on the trajectory"
    else:
        direction = "above" if gap > 0 else "below"
        if sign * gap > 0:
            side = "ahead of the trajectory"
        elif sign * gap >= -r.tolerance:
            side = f"within the tolerance of {num(r.tolerance)}"
        else:
            side = "behind the trajectory"
        position = f"is {num(abs(gap))} {direction} the trajectory value of {num(r.trajectory_value)}, {side}"
    already = (
        " already meets the target and" if sign * (r.latest_value - r.target_value) >= 0 else ""
    )

    value, lower, upper = r.projected_value, r.projected_lower, r.projected_upper
    range_name = batch._range_name
    ends = f"{range_name[4:]} {num(lower)} to {num(upper)}"
    if value in (r.lower_bound, r.upper_bound):
        # The straight line runs into the indicator's limit (say 0%) before the target year.
        which = "lower" if value == r.lower_bound else "upper"
        projected = f"projected to reach the {which} limit of {_text.entered(value, places)} by {target_year}"
        projected += f" ({ends})" if num(lower) != num(upper) else ""
    elif num(upper - value) == num(value - lower):
        projected = f"projected {num(value)} ± {num(upper - value)} in {target_year}"
    else:
        # Clipped at a limit, so not symmetric: give the ends rather than a misleading ±.
        projected = f"projected {num(value)} ({ends}) in {target_year}"
    projected += f" against a target of {target}"
    if reason == Reason.ON_TRACK:
        ending = ", which the trend meets"
    elif reason == Reason.UNCERTAIN:
        ending = (
            f": the trend meets the target, but {range_name} also includes values that miss it,"
            " so it is uncertain"
        )
    elif reason == Reason.UNUSUAL:
        ending = ": the trend meets the target, but rests on unusual years, so it is uncertain"
    elif reason == Reason.BEHIND_TRAJECTORY:
        ending = ": the trend meets the target but the latest value is behind the trajectory"
    elif reason == Reason.PROJECTION_MISSES:
        ending = f": the trend misses the target, but the target is within {range_name}"
    else:
        ending = f": the trend misses the target even at the better end of {range_name}"
    return f"{_cap(latest)}{already} {position}; {projected}{ending}."
