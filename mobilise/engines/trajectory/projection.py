"""Straight-line trend projections with prediction intervals, for one series or thousands.

Two trend models, both a straight line in time:

``"linear"``
    Ordinary least squares, with the standard t-based prediction interval for a new
    observation. Exact under its assumptions (independent Gaussian noise about a line); one wild
    value pulls both the line and the interval.
``"theil_sen"``
    The Theil–Sen line (median of pairwise slopes) with a robust interval built from the
    median absolute residual. A one-off spike (a pandemic year, a change of method) barely
    moves it. The interval is an approximation, calibrated by simulation; see
    ``_kernels.fit_theil_sen`` for the formula and its sources.

A straight line is a deliberate choice: most council indicators have 5-20 points, too few to
tell a curve from noise, and a line is a trend people can check with a ruler. ``recent_years``
limits the fit to the latest stretch of a long series whose trend has changed.
"""

from dataclasses import dataclass
from typing import Any, Literal, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray

from mobilise.engines._validation import NotFittedError, check_array, check_choice, check_positive

from ._kernels import FITTERS, TrendFit

Model = Literal["linear", "theil_sen"]
FloatArray = NDArray[np.float64]


class _LearnedAttributes:
    # Reading a learned attribute (name ending in "_") before fit raises NotFittedError, not a
    # bare AttributeError, so the mistake explains itself.
    def __getattr__(self, name: str) -> Any:
        if name.endswith("_") and not name.startswith("__"):
            raise NotFittedError(
                f"This {type(self).__name__} is not fitted yet: call fit() before reading {name}."
            )
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


def check_hyperparameters(
    model: str, interval: float, min_points: int, recent_years: float | None
) -> None:
    """Raise ``ValueError`` for a trend setting that cannot work."""
    check_choice(model, name="model", choices=FITTERS)
    if not 0 < interval < 1:
        raise ValueError(
            f"interval must be a probability between 0 and 1 (such as 0.8), got {interval}."
        )
    if int(min_points) != min_points or min_points < 3:
        # Three points is the fewest that leave a residual to measure noise with (n - 2 >= 1).
        raise ValueError(f"min_points must be a whole number of at least 3, got {min_points}.")
    if recent_years is not None:
        check_positive(recent_years, name="recent_years")


@dataclass(frozen=True)
class Projection:
    """A projected value at one year with its prediction interval ``[lower, upper]``.

    ``interval`` is the interval's nominal coverage (0.8: four times in five a new observation
    at ``year`` should fall inside, if the trend holds).
    """

    year: float
    value: float
    lower: float
    upper: float
    interval: float

    @property
    def half_width(self) -> float:
        """Distance from the projected value to either end; the intervals are symmetric."""
        return (self.upper - self.lower) / 2


def window_mask(
    x: FloatArray, mask: NDArray[np.bool_], recent_years: float | None
) -> NDArray[np.bool_]:
    """Keep only observations within ``recent_years`` of each row's latest (inclusive)."""
    if recent_years is None:
        return mask
    latest = np.where(mask, x, -np.inf).max(axis=1, initial=-np.inf)
    return mask & (x >= latest[:, None] - recent_years)


class BatchTrendProjector(_LearnedAttributes):
    """Fit a trend to every row of a table of series at once, vectorised with NumPy.

    Parameters
    ----------
    model : "linear" or "theil_sen"
        The trend model (see the module docstring).
    interval : float
        Nominal coverage of the prediction interval, between 0 and 1.
    min_points : int
        Fewest observations (at least 3) a row needs for a projection; rows with fewer are
        marked insufficient and project to NaN.
    recent_years : float or None
        Fit only the observations within this many years of each row's latest one.

    ``fit(years, values)`` takes ``values`` of shape ``(n_series, n_periods)`` with NaN for a
    missing observation, and ``years`` either shared, shape ``(n_periods,)``, or per row, the
    same shape as ``values`` (pad with NaN). A row must not repeat a year; aggregate first.

    Learned attributes, one entry per row: ``n_points_``, ``latest_year_``, ``latest_value_``,
    ``slope_`` (change per year), ``level_`` (fitted value at ``x_mean_``), ``x_mean_``,
    ``scale_`` (residual scale), ``sufficient_`` (bool).
    """

    def __init__(
        self,
        model: Model = "linear",
        interval: float = 0.8,
        min_points: int = 3,
        recent_years: float | None = None,
    ) -> None:
        self.model = model
        self.interval = interval
        self.min_points = min_points
        self.recent_years = recent_years

    def fit(self, years: ArrayLike, values: ArrayLike) -> Self:
        check_hyperparameters(self.model, self.interval, self.min_points, self.recent_years)
        x, y, mask = prepare_table(years, values)
        self._fit_arrays(x, y, mask)
        return self

    # Learned attributes with one entry per row; TrendProjector turns them into scalars.
    _PER_ROW = (
        "n_observations_",
        "n_points_",
        "latest_year_",
        "latest_value_",
        "latest_index_",
        "first_year_",
        "sufficient_",
        "slope_",
        "level_",
        "x_mean_",
        "scale_",
    )

    def _fit_arrays(self, x: FloatArray, y: FloatArray, mask: NDArray[np.bool_]) -> None:
        if x.shape[1] == 0:
            # No periods at all: one empty column keeps every reduction below well defined.
            x = np.full((x.shape[0], 1), np.nan)
            y, mask = x.copy(), np.zeros(x.shape, dtype=bool)
        rows = np.arange(x.shape[0])
        observed = mask.any(axis=1)
        latest_at = np.where(mask, x, -np.inf).argmax(axis=1)
        self.n_observations_ = mask.sum(axis=1)
        self.latest_year_ = np.where(observed, x[rows, latest_at], np.nan)
        self.latest_value_ = np.where(observed, y[rows, latest_at], np.nan)
        self.latest_index_ = np.where(observed, latest_at, -1)
        used = window_mask(x, mask, self.recent_years)
        fit: TrendFit = FITTERS[self.model](x, y, used)
        self._fit = fit
        self.n_points_ = fit.n
        self.first_year_ = np.where(used, x, np.inf).min(axis=1)
        self.sufficient_ = fit.n >= self.min_points
        self.slope_ = fit.slope
        self.level_ = fit.level
        self.x_mean_ = fit.x_mean
        self.scale_ = fit.scale

    def predict(self, year: float | ArrayLike) -> "BatchProjection":
        """Projection for every row at ``year``: one float year for all, or one per row."""
        fit = self._fit_checked()
        at = np.broadcast_to(np.asarray(year, dtype=float), fit.n.shape)
        point, half = fit.predict(at, self.interval)
        point = np.where(self.sufficient_, point, np.nan)
        half = np.where(self.sufficient_, half, np.nan)
        return BatchProjection(at, point, point - half, point + half, self.interval)

    def _fit_checked(self) -> TrendFit:
        if "_fit" not in self.__dict__:
            raise NotFittedError(
                f"This {type(self).__name__} is not fitted yet: call fit() before predict()."
            )
        return self._fit


@dataclass(frozen=True)
class BatchProjection:
    """Projections for many series: arrays with one entry per row (NaN where insufficient)."""

    year: FloatArray
    value: FloatArray
    lower: FloatArray
    upper: FloatArray
    interval: float

    def __len__(self) -> int:
        return len(self.value)

    def __getitem__(self, row: int) -> Projection:
        return Projection(
            float(self.year[row]),
            float(self.value[row]),
            float(self.lower[row]),
            float(self.upper[row]),
            self.interval,
        )


class TrendProjector(BatchTrendProjector):
    """Fit a trend to one series and project it forward with a prediction interval.

    Same hyperparameters as ``BatchTrendProjector`` (``model``, ``interval``, ``min_points``,
    ``recent_years``). ``fit(years, values)`` takes two 1-D arrays of equal length in any
    order. It is robust to what real series do:

    * gaps and irregular spacing: years are float years, nothing assumes a regular grid;
    * missing values (NaN): dropped, with a note in ``notes_``;
    * the same year twice: the values are averaged, with a note;
    * too few points: ``fit`` succeeds but ``sufficient_`` is False, ``reason_`` says why, and
      ``predict`` raises ``ValueError`` with that reason;
    * a flat or exactly straight series: the line is exact and the interval has zero width.

    Learned attributes: ``years_`` and ``values_`` (the observations used, sorted),
    ``latest_year_`` and ``latest_value_``, ``n_points_``, ``slope_`` (change per year),
    ``level_`` (fitted value at ``x_mean_``), ``x_mean_``, ``scale_`` (residual scale),
    ``sufficient_``, ``reason_`` (None when sufficient) and ``notes_``.
    """

    def fit(self, years: ArrayLike, values: ArrayLike) -> Self:
        check_hyperparameters(self.model, self.interval, self.min_points, self.recent_years)
        x, y, notes, _ = prepare_series(years, values)
        x, y = x[None, :], y[None, :]
        self._fit_arrays(x, y, np.ones_like(x, dtype=bool))
        used = window_mask(x, np.ones_like(x, dtype=bool), self.recent_years)[0]
        if not used.all():
            notes.append(
                f"Only the {self.recent_years:g} years to {x[0, -1]:g} were used; "
                f"{int((~used).sum())} earlier observation(s) left out."
            )
        self.years_, self.values_ = x[0, used], y[0, used]
        self.notes_ = tuple(notes)
        for name in self._PER_ROW:
            setattr(self, name, getattr(self, name)[0].item())
        self.reason_ = (
            None
            if self.sufficient_
            else f"{_count(self.n_points_, 'observation')} to fit; at least {self.min_points} are needed to project a trend."
        )
        return self

    def predict(self, year: float) -> Projection:  # type: ignore[override]
        """The projected value at ``year`` with its prediction interval."""
        fit = self._fit_checked()
        if not self.sufficient_:
            raise ValueError(f"Cannot project: {self.reason_}")
        point, half = fit.predict(float(year), self.interval)
        return Projection(
            float(year),
            float(point[0]),
            float(point[0] - half[0]),
            float(point[0] + half[0]),
            self.interval,
        )

    def predict_many(self, years: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Projected values and interval ends at many years, e.g. to draw the fan on a chart."""
        fit = self._fit_checked()
        if not self.sufficient_:
            raise ValueError(f"Cannot project: {self.reason_}")
        at = check_array(years, name="years", ndim=1)
        point, half = fit.predict(at, self.interval)
        return point, point - half, point + half


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def prepare_series(
    years: ArrayLike, values: ArrayLike, labels: list[str] | None = None
) -> tuple[FloatArray, FloatArray, list[str], list[str] | None]:
    """One series cleaned for fitting: sorted, NaN values dropped, repeated years averaged.

    Returns the years, the values, notes saying what was changed, and the labels that go with
    the remaining years (the last label given for a repeated year).
    """
    x = check_array(years, name="years", ndim=1)
    y = check_array(values, name="values", ndim=1, allow_nan=True)
    if len(x) != len(y):
        raise ValueError(f"years and values must be the same length, got {len(x)} and {len(y)}.")
    if labels is not None and len(labels) != len(x):
        raise ValueError(
            f"labels must have one entry per year, got {len(labels)} for {len(x)} years."
        )
    if np.isinf(y).any():
        raise ValueError("values contains infinite values; use NaN for a missing observation.")
    notes: list[str] = []

    def name(i: int) -> str:
        return labels[i] if labels is not None else f"{x[i]:g}"

    missing = np.isnan(y)
    if missing.any():
        where = np.flatnonzero(missing)
        shown = ", ".join(name(i) for i in where[:5]) + (", …" if len(where) > 5 else "")
        notes.append(f"{_count(len(where), 'missing value')} left out ({shown}).")
    order = np.argsort(x[~missing], kind="stable")
    x, y = x[~missing][order], y[~missing][order]
    kept_labels = None if labels is None else [labels[i] for i in np.flatnonzero(~missing)[order]]
    unique, start, counts = np.unique(x, return_index=True, return_counts=True)
    if len(unique) < len(x):
        # Two values for one period are usually a revision or a double load; their mean is the
        # neutral choice, and the note makes it visible.
        sums = np.add.reduceat(y, start)
        for first, count in zip(start[counts > 1], counts[counts > 1], strict=True):
            when = kept_labels[first] if kept_labels is not None else f"{x[first]:g}"
            notes.append(f"{count} values for {when} were averaged.")
        y = sums / counts
        if kept_labels is not None:
            kept_labels = [kept_labels[s + c - 1] for s, c in zip(start, counts, strict=True)]
        x = unique
    return x, y, notes, kept_labels


def prepare_table(
    years: ArrayLike, values: ArrayLike
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    """A block of series checked and laid out as (years, values, observed-mask), all 2-D."""
    y = check_array(values, name="values", ndim=2, allow_nan=True)
    if np.isinf(y).any():
        raise ValueError("values contains infinite values; use NaN for a missing observation.")
    x = check_array(years, name="years", allow_nan=True)
    if x.ndim == 1:
        if x.shape[0] != y.shape[1]:
            raise ValueError(f"years has {x.shape[0]} entries but values has {y.shape[1]} columns.")
        if not np.isfinite(x).all():
            raise ValueError("years contains missing or infinite values.")
        if len(np.unique(x)) < len(x):
            raise ValueError("years repeats a year; aggregate repeated periods before fitting.")
        return np.broadcast_to(x, y.shape), y, np.isfinite(y)
    if x.shape != y.shape:
        raise ValueError(f"years must have shape ({y.shape[1]},) or {y.shape}, got {x.shape}.")
    mask = np.isfinite(y) & np.isfinite(x)
    if y.shape[1] > 1:
        ordered = np.sort(np.where(mask, x, np.inf), axis=1)
        with np.errstate(invalid="ignore"):  # inf - inf between padding cells
            repeats = (np.diff(ordered, axis=1) == 0) & np.isfinite(ordered[:, 1:])
        if repeats.any():
            row = int(np.flatnonzero(repeats.any(axis=1))[0])
            raise ValueError(
                f"Row {row} repeats a year; aggregate repeated periods before fitting."
            )
    return x, y, mask
