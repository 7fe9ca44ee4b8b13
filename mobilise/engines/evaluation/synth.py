"""Synthetic control (Abadie & Gardeazabal 2003; Abadie, Diamond & Hainmueller 2010).

The treated unit's untreated path is estimated as a weighted average of donor units, with weights
``W`` on the simplex (non-negative, summing to one) chosen so the synthetic unit resembles the
treated one on a set of predictors. Predictors are weighted by ``V`` (also on the simplex),
chosen — as R's ``Synth::synth()`` does — by a nested optimisation:

* inner: for a given ``V``, ``W(V) = argmin (X1 - X0 W)' V (X1 - X0 W)`` over the simplex, with each
  predictor first divided by its standard deviation across the treated unit and donors
  (an exact active-set solution, see :mod:`._qp`);
* outer: ``V`` minimises the pre-period mean squared prediction error of the outcome,
  ``mean((Z1 - Z0 W(V))²)``, by Nelder–Mead over ``v = |x| / sum|x|`` from several starts: equal
  weights, the regression-based start of ``synth()`` and a few random starts.

Without predictors, every fit-period value of the outcome is a predictor and ``W`` minimises the
pre-period MSPE directly.

Inference is by placebos: in space (each donor in turn treated as if it had been treated, with the
others as its donors; the p-value is the treated unit's rank on the post/pre RMSPE ratio) and in
time (the intervention moved earlier, where no effect should appear). Leave-one-out refits drop
each donor with positive weight to show how much the estimate rests on any one of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mobilise.engines._validation import NotFittedError

from ._qp import simplex_lstsq
from .panel import Panel, PanelError

__all__ = [
    "PlaceboRun",
    "Predictor",
    "SyntheticControl",
    "SynthResult",
    "parse_years",
]


@dataclass(frozen=True)
class Predictor:
    """The mean of ``column`` over ``years`` (the whole pre-period when ``years`` is None)."""

    column: str
    years: tuple[float, ...] | None = None
    name: str = ""

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.years is None:
            return self.column
        years = [int(y) if float(y).is_integer() else y for y in self.years]
        if len(years) == 1:
            return f"{self.column} {years[0]}"
        if years == list(range(int(years[0]), int(years[-1]) + 1)):
            return f"{self.column} {years[0]}–{years[-1]}"
        return f"{self.column} {', '.join(str(y) for y in years)}"

    @classmethod
    def parse(cls, text: str) -> Predictor:
        """``"beer@1984-1988"``, ``"cigsale@1975"``, ``"retprice@1980,1985"`` or ``"lnincome"``."""
        column, _, years = text.partition("@")
        column = column.strip()
        if not column:
            raise ValueError(f"predictor {text!r} has no column name.")
        return cls(column, parse_years(years) if years.strip() else None)


def parse_years(text: str) -> tuple[float, ...]:
    """``"1980"``, ``"1980-1988"`` (inclusive) or ``"1975,1980,1988"`` as a tuple of years."""
    years: list[float] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        low, sep, high = part.partition("-")
        try:
            if sep and low.strip():
                a, b = int(low), int(high)
                if b < a:
                    raise ValueError
                years.extend(float(y) for y in range(a, b + 1))
            else:
                years.append(float(part))
        except ValueError:
            raise ValueError(
                f"years {text!r} must be a year, a range such as 1980-1988 or a list such as 1975,1980."
            ) from None
    if not years:
        raise ValueError(f"years {text!r} name no year.")
    return tuple(years)


@dataclass(frozen=True)
class PlaceboRun:
    """One unit's synthetic control: its fit before and its gap after the intervention date."""

    unit: str
    pre_rmspe: float
    post_rmspe: float
    gap: tuple[float, ...]

    @property
    def ratio(self) -> float:
        return self.post_rmspe / self.pre_rmspe if self.pre_rmspe > 0 else float("inf")


@dataclass(frozen=True)
class SynthResult:
    """What a fitted :class:`SyntheticControl` found.

    ``weights`` (donor → W) and ``predictor_weights`` (predictor label → V) each sum to one.
    ``gap`` is treated minus synthetic for every period in ``times``; ``effect`` is its mean over the
    post-period. ``pre_rmspe``/``post_rmspe`` are root mean squared gaps before and after ``start``
    (before: from the first fit year). ``p_value`` is set only when placebos in space were run.
    """

    treated: str
    outcome: str
    start: float
    times: tuple[float, ...]
    treated_path: tuple[float, ...]
    synthetic_path: tuple[float, ...]
    weights: dict[str, float]
    predictor_weights: dict[str, float]
    predictor_table: dict[str, tuple[float, float, float]]
    pre_rmspe: float
    post_rmspe: float
    effect: float
    pre_mean: float
    mspe_loss: float
    placebos: tuple[PlaceboRun, ...] = ()
    p_value: float | None = None
    time_placebo: dict[str, float] | None = None
    leave_one_out: dict[str, float] = field(default_factory=dict)

    @property
    def gap(self) -> dict[float, float]:
        return {
            t: a - s
            for t, a, s in zip(self.times, self.treated_path, self.synthetic_path, strict=True)
        }

    @property
    def ratio(self) -> float:
        return self.post_rmspe / self.pre_rmspe if self.pre_rmspe > 0 else float("inf")

    @property
    def rank(self) -> int | None:
        """The treated unit's place (1 = largest) on the post/pre ratio among it and its placebos."""
        if not self.placebos:
            return None
        return 1 + sum(p.ratio > self.ratio for p in self.placebos)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "treated": self.treated,
            "outcome": self.outcome,
            "start": _num(self.start),
            "weights": self.weights,
            "predictor_weights": self.predictor_weights,
            "pre_rmspe": self.pre_rmspe,
            "post_rmspe": self.post_rmspe,
            "effect": self.effect,
            "gap": {str(_num(t)): g for t, g in self.gap.items()},
            "synthetic": {
                str(_num(t)): s for t, s in zip(self.times, self.synthetic_path, strict=True)
            },
            "summary": self.summary(),
        }
        if self.p_value is not None:
            data["p_value"] = self.p_value
            data["placebos"] = [
                {
                    "unit": p.unit,
                    "pre_rmspe": p.pre_rmspe,
                    "post_rmspe": p.post_rmspe,
                    "ratio": p.ratio,
                }
                for p in self.placebos
            ]
        if self.time_placebo is not None:
            data["time_placebo"] = self.time_placebo
        if self.leave_one_out:
            data["leave_one_out"] = self.leave_one_out
        return data

    def summary(self) -> str:
        """A plain-English judgement of the estimate and how far to trust it."""
        from ._text import synth_summary

        return synth_summary(self)


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


@dataclass
class _Design:
    x1: NDArray[np.float64]  # (k,) treated predictors
    x0: NDArray[np.float64]  # (k, J)
    z1: NDArray[np.float64]  # (T_fit,)
    z0: NDArray[np.float64]  # (T_fit, J)
    labels: list[str]
    standardise: bool


# Nelder–Mead's first simplex in log-V: each predictor's weight times e² (SciPy's default step,
# 5 % of each coordinate, leaves the search where W does not change with small moves of V — as
# when the treated unit lies inside the donors' hull on the predictors — and it stops at its start).
_SIMPLEX_STEP = 2.0


class SyntheticControl:
    """Synthetic control estimator: ``SyntheticControl(...).fit(panel, outcome=, treated=, start=)``.

    Parameters
    ----------
    predictors : sequence of :class:`Predictor` or strings (``"beer@1984-1988"``), optional
        Without them, each fit-period value of the outcome is matched directly.
    fit_from, fit_to : the years whose outcome MSPE chooses V (default: every year before ``start``).
    donors : the donor pool (default: every other unit).
    placebos : run placebo-in-space for every donor and report a p-value.
    placebo_time : also rerun as if the intervention had started in this earlier year.
    leave_one_out : also refit without each donor that has positive weight.
    n_random_starts, random_state : extra random starting V for the outer optimisation.
    maxiter : Nelder–Mead iterations per start (default ``100 × number of predictors``).
    n_jobs : processes for the placebo runs (default 1: in this process).

    Attributes (after ``fit``): ``weights_``, ``predictor_weights_``, ``pre_rmspe_``, ``effect_``,
    ``p_value_`` and ``result_`` (:class:`SynthResult`).
    """

    def __init__(
        self,
        predictors: Sequence[Predictor | str] | None = None,
        *,
        fit_from: float | None = None,
        fit_to: float | None = None,
        donors: Sequence[str] | None = None,
        placebos: bool = False,
        placebo_time: float | None = None,
        leave_one_out: bool = False,
        n_random_starts: int = 0,
        random_state: int = 0,
        maxiter: int | None = None,
        n_jobs: int = 1,
    ) -> None:
        self.predictors = predictors
        self.fit_from = fit_from
        self.fit_to = fit_to
        self.donors = donors
        self.placebos = placebos
        self.placebo_time = placebo_time
        self.leave_one_out = leave_one_out
        self.n_random_starts = n_random_starts
        self.random_state = random_state
        self.maxiter = maxiter
        self.n_jobs = n_jobs

    def __getattr__(self, name: str) -> Any:
        if name.endswith("_") and not name.startswith("__"):
            raise NotFittedError(
                f"This {type(self).__name__} is not fitted yet: call fit() before reading {name}."
            )
        raise AttributeError(name)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.endswith("_"))
        return f"{type(self).__name__}({params})"

    # ------------------------------------------------------------------ fitting
    def fit(self, panel: Panel, *, outcome: str, treated: str, start: float) -> SyntheticControl:
        spec = self._spec(panel, outcome, treated, start)
        result = self._run(panel, spec, treated, spec["donors"], full=True)
        self.result_ = result
        self.weights_ = result.weights
        self.predictor_weights_ = result.predictor_weights
        self.pre_rmspe_ = result.pre_rmspe
        self.effect_ = result.effect
        self.gap_ = result.gap
        self.p_value_ = result.p_value
        return self

    def _spec(self, panel: Panel, outcome: str, treated: str, start: float) -> dict[str, Any]:
        y = panel.column(outcome)
        t_idx = panel.unit_index(treated)
        times = panel.times
        if not (times < start).any():
            raise PanelError(
                f"{panel.source}: no period before the start ({_num(start)}): no pre-period."
            )
        if not (times >= start).any():
            raise PanelError(
                f"{panel.source}: no period from the start ({_num(start)}) on: no post-period."
            )
        fit_from = self.fit_from if self.fit_from is not None else float(times.min())
        fit_to = self.fit_to if self.fit_to is not None else float(times[times < start].max())
        if fit_to >= start:
            raise PanelError(
                f"fit period must end before the start ({_num(start)}), not {_num(fit_to)}."
            )
        fit_mask = (times >= fit_from) & (times <= fit_to)
        if not fit_mask.any():
            raise PanelError(
                f"{panel.source}: no period between {_num(fit_from)} and {_num(fit_to)}."
            )
        if self.donors is not None:
            donors = [str(d) for d in self.donors]
            for d in donors:
                panel.unit_index(d)
            if treated in donors:
                raise PanelError(f"the treated unit {treated!r} cannot also be a donor.")
        else:
            donors = [u for u in panel.units if u != panel.units[t_idx]]
        if len(donors) < 2:
            raise PanelError(
                f"{panel.source}: synthetic control needs at least 2 donor units, got {len(donors)}."
            )
        keep = times >= fit_from
        for unit in [treated, *donors]:
            row = y[panel.unit_index(unit), keep]
            if np.isnan(row).any():
                year = times[keep][np.isnan(row)][0]
                raise PanelError(
                    f"{panel.source}: column {outcome!r} has no value for unit {unit!r} in {_num(year)}."
                )
        predictors = [
            p if isinstance(p, Predictor) else Predictor.parse(p) for p in (self.predictors or [])
        ]
        return {
            "outcome": outcome,
            "start": float(start),
            "fit_mask": fit_mask,
            "keep": keep,
            "pre_mask": keep & (times < start),
            "post_mask": times >= start,
            "donors": donors,
            "predictors": predictors,
            "pre_years": tuple(float(t) for t in times[(times >= fit_from) & (times < start)]),
        }

    def _design(
        self, panel: Panel, spec: dict[str, Any], treated: str, donors: list[str]
    ) -> _Design:
        y = panel.column(spec["outcome"])
        rows = [panel.unit_index(u) for u in donors]
        t = panel.unit_index(treated)
        fit = spec["fit_mask"]
        z1, z0 = y[t, fit], y[rows][:, fit].T
        if not spec["predictors"]:
            labels = [f"{spec['outcome']} {_num(v)}" for v in panel.times[fit]]
            return _Design(z1.copy(), z0.copy(), z1, z0, labels, standardise=False)
        if "_x" not in spec:
            # Every unit's predictor values, computed once for the fit and all its placebos.
            x, labels = [], []
            for p in spec["predictors"]:
                years = p.years if p.years is not None else spec["pre_years"]
                mask = panel.time_mask(years)
                if not mask.any():
                    raise PanelError(
                        f"{panel.source}: predictor {p.label!r}: the panel has none of those years."
                    )
                matrix = panel.column(p.column)[:, mask]
                empty = np.isnan(matrix).all(axis=1)
                with np.errstate(invalid="ignore", divide="ignore"):
                    means = np.nansum(matrix, axis=1) / (~np.isnan(matrix)).sum(axis=1)
                x.append(np.where(empty, np.nan, means))
                labels.append(p.label)
            spec["_x"], spec["_labels"] = np.asarray(x), labels
        labels = spec["_labels"]
        every = spec["_x"][:, [t, *rows]]
        if np.isnan(every).any():
            which, col = map(int, np.argwhere(np.isnan(every))[0])
            unit = [treated, *donors][col]
            p = spec["predictors"][which]
            raise PanelError(
                f"{panel.source}: column {p.column!r} has no value for unit {unit!r} "
                f"in the years of predictor {p.label!r}."
            )
        return _Design(every[:, 0], every[:, 1:], z1, z0, list(labels), standardise=True)

    def _solve(self, d: _Design) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
        """(W, V, loss) for one design."""
        k = len(d.x1)
        if not d.standardise:
            v = np.full(k, 1.0 / k)
            w = simplex_lstsq(d.x0, d.x1)
            return w, v, float(np.mean((d.z1 - d.z0 @ w) ** 2))
        both = np.column_stack([d.x1, d.x0])
        sd = both.std(axis=1, ddof=1)
        sd[sd == 0] = 1.0
        x1s, x0s = d.x1 / sd, d.x0 / sd[:, None]
        # The nearest point of the donors' convex hull is a mix of the hull's vertices, and a
        # diagonal V does not change which donors those are: the inner problem can leave out
        # donors inside the hull once, for every V the outer search tries.
        hull = _hull_vertices(x0s)
        x0h = x0s[:, hull]
        n_donors = x0s.shape[1]

        def weights_for(v: NDArray[np.float64]) -> NDArray[np.float64]:
            root = np.sqrt(v)
            wh = simplex_lstsq(root[:, None] * x0h, root * x1s)
            if len(hull) == n_donors:
                return wh
            w = np.zeros(n_donors)
            w[hull] = wh
            return w

        def to_v(x: NDArray[np.float64]) -> NDArray[np.float64]:
            e = np.exp(np.clip(x - x.max(), -40, 0))
            return e / e.sum()

        def loss(x: NDArray[np.float64]) -> float:
            w = weights_for(to_v(x))
            r = d.z1 - d.z0 @ w
            return float(r @ r / len(r))

        if k == 1:
            v = np.ones(1)
            w = weights_for(v)
            return w, v, float(np.mean((d.z1 - d.z0 @ w) ** 2))
        from scipy.optimize import minimize

        starts = [np.full(k, 1.0 / k), _regression_start(x1s, x0s, d.z1, d.z0)]
        rng = np.random.default_rng(self.random_state)
        starts += [rng.dirichlet(np.ones(k)) for _ in range(self.n_random_starts)]
        maxiter = self.maxiter or 100 * k
        starts = [np.log(np.maximum(s, 1e-8)) for s in starts]
        best_x, best_f = starts[0], loss(starts[0])
        for x0 in starts:
            opts = {"maxiter": maxiter, "xatol": 1e-7, "fatol": 1e-10, "adaptive": k > 4}
            opts["initial_simplex"] = np.vstack([x0, x0 + _SIMPLEX_STEP * np.eye(k)])
            res = minimize(loss, x0, method="Nelder-Mead", options=opts)
            if res.fun < best_f:
                best_x, best_f = res.x, float(res.fun)
        v = to_v(best_x)
        return weights_for(v), v, best_f

    def _run(
        self, panel: Panel, spec: dict[str, Any], treated: str, donors: list[str], *, full: bool
    ) -> SynthResult:
        d = self._design(panel, spec, treated, donors)
        w, v, loss = self._solve(d)
        y = panel.column(spec["outcome"])
        keep = spec["keep"]
        actual = y[panel.unit_index(treated), keep]
        synthetic = y[[panel.unit_index(u) for u in donors]][:, keep].T @ w
        times = panel.times[keep]
        gap = actual - synthetic
        pre = times < spec["start"]
        pre_rmspe = float(np.sqrt(np.mean(gap[pre] ** 2)))
        post_rmspe = float(np.sqrt(np.mean(gap[~pre] ** 2)))
        table = {}
        if d.standardise:
            synth_x = d.x0 @ w
            sample = d.x0.mean(axis=1)
            table = {
                lab: (float(a), float(b), float(c))
                for lab, a, b, c in zip(d.labels, d.x1, synth_x, sample, strict=True)
            }
        result = SynthResult(
            treated=treated,
            outcome=spec["outcome"],
            start=spec["start"],
            times=tuple(float(t) for t in times),
            treated_path=tuple(float(a) for a in actual),
            synthetic_path=tuple(float(s) for s in synthetic),
            weights={u: float(x) for u, x in zip(donors, _tidy(w), strict=True)},
            predictor_weights={lab: float(x) for lab, x in zip(d.labels, v, strict=True)},
            predictor_table=table,
            pre_rmspe=pre_rmspe,
            post_rmspe=post_rmspe,
            effect=float(gap[~pre].mean()),
            pre_mean=float(actual[pre].mean()),
            mspe_loss=loss,
        )
        if not full:
            return result
        extra: dict[str, Any] = {}
        if self.placebos:
            jobs = [(self, panel, spec, unit, [u for u in donors if u != unit]) for unit in donors]
            if self.n_jobs > 1 and len(jobs) > 1:
                from concurrent.futures import ProcessPoolExecutor

                with ProcessPoolExecutor(max_workers=self.n_jobs) as pool:
                    runs = list(
                        pool.map(_placebo, jobs, chunksize=max(1, len(jobs) // (4 * self.n_jobs)))
                    )
            else:
                runs = [_placebo(job) for job in jobs]
            ratio = result.ratio
            extra["placebos"] = tuple(runs)
            extra["p_value"] = (1 + sum(p.ratio >= ratio for p in runs)) / (1 + len(runs))
        if self.placebo_time is not None:
            extra["time_placebo"] = self._time_placebo(panel, spec, treated, donors)
        if self.leave_one_out:
            loo = {}
            for unit, weight in result.weights.items():
                if weight > 1e-6 and len(donors) > 2:
                    r = self._run(
                        panel, spec, treated, [u for u in donors if u != unit], full=False
                    )
                    loo[unit] = r.effect
            extra["leave_one_out"] = loo
        if extra:
            result = SynthResult(**{**result.__dict__, **extra})
        return result

    def _time_placebo(
        self, panel: Panel, spec: dict[str, Any], treated: str, donors: list[str]
    ) -> dict[str, float]:
        fake = float(self.placebo_time)  # type: ignore[arg-type]
        times = panel.times
        first = times[spec["keep"]].min()
        if not (first < fake < spec["start"]):
            raise PanelError(
                f"the placebo start ({_num(fake)}) must fall after {_num(first)} and before the real "
                f"start ({_num(spec['start'])})."
            )
        sub_mask = times < spec["start"]
        sub = Panel(
            panel.units,
            times[sub_mask],
            {k: m[:, sub_mask] for k, m in panel.values.items()},
            panel.source,
        )
        predictors = []
        for p in spec["predictors"]:
            # A predictor measured only after the placebo start is dropped; one over the whole
            # pre-period now covers the placebo's pre-period.
            if p.years is None:
                predictors.append(p)
            elif years := tuple(y for y in p.years if y < fake):
                predictors.append(Predictor(p.column, years, p.name))
        last_pre = float(sub.times[sub.times < fake].max())
        fit_to = last_pre if self.fit_to is None else min(float(self.fit_to), last_pre)
        model = SyntheticControl(
            predictors or None,
            fit_from=self.fit_from,
            fit_to=fit_to,
            donors=donors,
            n_random_starts=self.n_random_starts,
            random_state=self.random_state,
            maxiter=self.maxiter,
        )
        sub_spec = model._spec(sub, spec["outcome"], treated, fake)
        r = model._run(sub, sub_spec, treated, donors, full=False)
        return {
            "start": fake,
            "effect": r.effect,
            "pre_rmspe": r.pre_rmspe,
            "post_rmspe": r.post_rmspe,
            "ratio": r.ratio,
        }


def _placebo(job: tuple[SyntheticControl, Panel, dict[str, Any], str, list[str]]) -> PlaceboRun:
    """One placebo in space: ``unit`` treated as if it had been, the other donors as its pool."""
    model, panel, spec, unit, others = job
    r = model._run(panel, spec, unit, others, full=False)
    gap = tuple(a - s for a, s in zip(r.treated_path, r.synthetic_path, strict=True))
    return PlaceboRun(unit, r.pre_rmspe, r.post_rmspe, gap)


def _hull_vertices(points: NDArray[np.float64]) -> NDArray[np.intp]:
    """Indices of the columns of ``points`` (k × J) that are vertices of their convex hull.

    Only worth it (and only reliable) in a few dimensions with many more points than
    dimensions; otherwise, or when Qhull cannot build the hull (points in a flat subspace),
    every column is kept.
    """
    k, j = points.shape
    every = np.arange(j)
    if not (2 <= k <= 6 and j > 4 * (k + 1)):
        return every
    from scipy.spatial import ConvexHull, QhullError

    try:
        vertices = ConvexHull(points.T).vertices
    except (QhullError, ValueError):
        return every
    return np.sort(vertices)


def _regression_start(
    x1: NDArray[np.float64],
    x0: NDArray[np.float64],
    z1: NDArray[np.float64],
    z0: NDArray[np.float64],
) -> NDArray[np.float64]:
    """``synth()``'s regression-based V: squared coefficients of outcomes on (scaled) predictors."""
    xt = np.column_stack([np.ones(x0.shape[1] + 1), np.column_stack([x0, x1]).T])
    zt = np.column_stack([z0, z1]).T
    beta = np.linalg.lstsq(xt, zt, rcond=None)[0][1:]
    diag = np.einsum("ij,ij->i", beta, beta)
    if not np.isfinite(diag).all() or diag.sum() <= 0:
        return np.full(len(x1), 1.0 / len(x1))
    return diag / diag.sum()


def _tidy(w: NDArray[np.float64]) -> NDArray[np.float64]:
    out = np.where(w < 1e-10, 0.0, w)
    return out / out.sum()
