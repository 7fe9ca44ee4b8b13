"""The planned path for an indicator in a place: baseline, interim milestones and long-term target."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

Point = tuple[float, float]


def _point(value: object, what: str) -> Point:
    try:
        year, level = value  # type: ignore[misc]
        point = (float(year), float(level))
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"The {what} must be a (year, value) pair of numbers; got {value!r}."
        ) from exc
    if not all(np.isfinite(point)):
        raise ValueError(f"The {what} must be finite numbers; got {value!r}.")
    return point


@dataclass(frozen=True)
class Trajectory:
    """Where an indicator should be, year by year, from its baseline to its target.

    ``baseline`` and ``target`` are ``(year, value)`` pairs and ``milestones`` a sequence of
    interim ``(year, value)`` pairs strictly between them, in year order. Years are float years
    (see ``periods``). The trajectory is the piecewise-linear path through baseline, milestones
    and target: between two consecutive points ``(x0, v0)`` and ``(x1, v1)`` its value at ``x`` is
    ``v0 + (v1 - v0) * (x - x0) / (x1 - x0)``. Before the baseline it is the baseline value and
    after the target the target value: the plan starts where it starts and then holds the target.

    Straight lines between the points a council has actually committed to are the honest
    reading of a plan with a few stated milestones; anything curvier would invent commitments.
    The values need not move monotonically, and the engine does not check the direction against
    the indicator's polarity (a target can be to hold a level, or to accept a managed decline).

    Raises ``ValueError`` if the target is not after the baseline, or a milestone is outside the
    span, out of order or repeats a year.
    """

    baseline: Point
    target: Point
    milestones: Sequence[Point] = ()

    def __post_init__(self) -> None:
        baseline = _point(self.baseline, "baseline")
        target = _point(self.target, "target")
        milestones = tuple(_point(m, f"milestone {i + 1}") for i, m in enumerate(self.milestones))
        if target[0] <= baseline[0]:
            raise ValueError(
                f"The target year ({target[0]:g}) must be after the baseline year ({baseline[0]:g})."
            )
        previous = baseline[0]
        for year, _ in milestones:
            if not baseline[0] < year < target[0]:
                raise ValueError(
                    f"Milestone year {year:g} is not between the baseline ({baseline[0]:g}) "
                    f"and the target ({target[0]:g})."
                )
            if year <= previous:
                raise ValueError(
                    f"Milestones must be in year order with no year twice; {year:g} comes after {previous:g}."
                )
            previous = year
        # Normalised to plain float tuples so equal plans compare and hash equal.
        object.__setattr__(self, "baseline", baseline)
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "milestones", milestones)

    @property
    def baseline_year(self) -> float:
        return self.baseline[0]

    @property
    def baseline_value(self) -> float:
        return self.baseline[1]

    @property
    def target_year(self) -> float:
        return self.target[0]

    @property
    def target_value(self) -> float:
        return self.target[1]

    @property
    def points(self) -> tuple[Point, ...]:
        """Baseline, milestones and target in year order: the corners of the path."""
        return (self.baseline, *self.milestones, self.target)

    @overload
    def value_at(self, year: float) -> float: ...
    @overload
    def value_at(self, year: NDArray[np.float64]) -> NDArray[np.float64]: ...
    def value_at(self, year: float | ArrayLike) -> float | NDArray[np.float64]:
        """The planned value at ``year`` (a float year or an array of them); NaN stays NaN."""
        xs, vs = zip(*self.points, strict=True)
        result = np.interp(year, xs, vs)
        result = np.where(np.isnan(year), np.nan, result)
        return float(result) if np.ndim(result) == 0 else result


def stack_points(
    trajectories: Sequence[Trajectory],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp]]:
    """The corners of many trajectories as padded arrays ``(years, values, counts)``.

    Row i holds trajectory i's points; shorter rows are padded with year +inf and their last
    value, so a search for "the corners at or before x" never lands in the padding.
    """
    points = [t.points for t in trajectories]
    counts = np.fromiter((len(p) for p in points), dtype=np.intp, count=len(points))
    width = int(counts.max()) if len(points) else 2
    if len(points) and (counts != width).any():
        points = [p + ((np.inf, p[-1][1]),) * (width - len(p)) for p in points]
    # One np.array call over nested tuples is far quicker than filling rows one at a time.
    table = np.array(points, dtype=float).reshape(len(points), width, 2)
    return table[:, :, 0], table[:, :, 1], counts


def interpolate_points(
    xs: NDArray[np.float64], vs: NDArray[np.float64], counts: NDArray[np.intp], years: ArrayLike
) -> NDArray[np.float64]:
    """Row-wise piecewise-linear interpolation through stacked points, held flat at the ends."""
    query = np.asarray(years, dtype=float)
    n = len(counts)
    if n == 0:
        return np.empty(0)
    rows = np.arange(n)
    first, last = xs[:, 0], xs[rows, counts - 1]
    clipped = np.clip(query, first, last)
    segment = np.clip((xs <= clipped[:, None]).sum(axis=1) - 1, 0, counts - 2)
    x0, x1 = xs[rows, segment], xs[rows, segment + 1]
    v0, v1 = vs[rows, segment], vs[rows, segment + 1]
    values = v0 + (v1 - v0) * (clipped - x0) / (x1 - x0)
    return np.where(np.isnan(query), np.nan, values)


def trajectory_values(trajectories: Sequence[Trajectory], years: ArrayLike) -> NDArray[np.float64]:
    """``trajectories[i].value_at(years[i])`` for every i, in one vectorised pass.

    The paths are padded to the same number of points (see ``stack_points``), so the segment
    holding each year is found by counting the corners at or before it.
    """
    query = np.asarray(years, dtype=float)
    n = len(trajectories)
    if query.shape != (n,):
        raise ValueError(
            f"Need one year per trajectory: {n} trajectories, years of shape {query.shape}."
        )
    return interpolate_points(*stack_points(trajectories), query)
