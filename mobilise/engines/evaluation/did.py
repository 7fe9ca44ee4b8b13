"""Difference-in-differences: 2×2, two-way fixed effects, event study and Callaway–Sant'Anna.

* :class:`DifferenceInDifferences` — ``design="2x2"``: pooled OLS of the outcome on treated group,
  post period and their product (works for repeated cross-sections and unbalanced panels);
  ``design="twfe"``: unit and period fixed effects and the treatment indicator. Standard errors are
  cluster-robust (CR1, clustered by unit unless told otherwise), intervals from Student's t with
  clusters − 1 degrees of freedom, as Stata does.
* :class:`EventStudy` — unit and period fixed effects with one indicator per period relative to
  adoption (leads and lags; period −1 is the reference; the ends are binned), and a joint Wald test
  that the leads are zero (F with clusters − 1 denominator degrees of freedom).
* :class:`CallawaySantAnna` — staggered adoption: group-time effects ATT(g, t) against never-treated
  units (base period g − 1 after adoption, t − 1 before), aggregated to an overall ATT weighted by
  group size, with influence-function standard errors that include the estimated weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mobilise.engines._validation import NotFittedError

from ._ols import demean_within, group_codes, ols_cluster, t_interval, wald
from .panel import Panel, PanelError

__all__ = [
    "CallawaySantAnna",
    "DiDResult",
    "DifferenceInDifferences",
    "EventStudy",
    "adoption_times",
]

DESIGNS = ("twfe", "2x2")


@dataclass(frozen=True)
class DiDResult:
    """An estimate with its cluster-robust standard error and confidence interval.

    ``terms`` holds per-term estimates: event-time coefficients for an event study, ATT(g, t) for
    Callaway–Sant'Anna (keys ``"g=1990,t=1992"``), each ``(estimate, se)``. ``pretrend_stat`` and
    ``pretrend_p`` are the joint test that all leads are zero (event study only).
    """

    label: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int
    n_clusters: int
    alpha: float
    terms: dict[str, tuple[float, float]] = field(default_factory=dict)
    pretrend_stat: float | None = None
    pretrend_p: float | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "estimate": self.estimate,
            "se": self.se,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p_value": self.p_value,
            "n": self.n,
            "n_clusters": self.n_clusters,
            "alpha": self.alpha,
        }
        if self.terms:
            data["terms"] = {k: {"estimate": e, "se": s} for k, (e, s) in self.terms.items()}
        if self.pretrend_p is not None:
            data["pretrend_stat"] = self.pretrend_stat
            data["pretrend_p"] = self.pretrend_p
        data["summary"] = self.summary()
        return data

    def summary(self) -> str:
        from ._text import did_summary

        return did_summary(self)


class _Estimator:
    def __getattr__(self, name: str) -> Any:
        if name.endswith("_") and not name.startswith("__"):
            raise NotFittedError(
                f"This {type(self).__name__} is not fitted yet: call fit() before reading {name}."
            )
        raise AttributeError(name)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.endswith("_"))
        return f"{type(self).__name__}({params})"

    def _store(self, result: DiDResult) -> None:
        self.result_ = result
        self.estimate_ = result.estimate
        self.se_ = result.se
        self.ci_ = (result.ci_low, result.ci_high)


def _flag(panel: Panel, column: str) -> NDArray[np.float64]:
    values = panel.column(column)
    bad = ~np.isnan(values) & ~np.isin(values, (0.0, 1.0))
    if bad.any():
        i, t = np.argwhere(bad)[0]
        raise PanelError(
            f"{panel.source}: column {column!r} must be 0 or 1, but unit {panel.units[i]!r} has "
            f"{values[i, t]:g} in {_num(panel.times[t])}."
        )
    return values


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _treated_units(panel: Panel, treated: Sequence[str]) -> NDArray[np.bool_]:
    mask = np.zeros(len(panel.units), dtype=bool)
    for unit in treated:
        mask[panel.unit_index(unit)] = True
    return mask


def _clusters(panel: Panel, cluster: str | None, rows: NDArray[np.intp], cols: NDArray[np.intp]):
    if cluster is None:
        return group_codes(rows)  # by unit
    labels = panel.label_column(cluster)[rows, cols]
    missing = np.array(
        [v is None or v == "" or (isinstance(v, float) and np.isnan(v)) for v in labels]
    )
    if missing.any():
        k = int(np.flatnonzero(missing)[0])
        raise PanelError(
            f"{panel.source}: column {cluster!r} is blank for unit {panel.units[rows[k]]!r} in "
            f"{_num(panel.times[cols[k]])}."
        )
    return group_codes(labels)


class DifferenceInDifferences(_Estimator):
    """Difference-in-differences: ``fit(panel, outcome=, treated= | treated_col=, start= | post_col=)``.

    Parameters
    ----------
    design : ``"twfe"`` (unit and period fixed effects, default) or ``"2x2"`` (pooled OLS with
        group, period and interaction; use it for repeated cross-sections).
    cluster : a column whose values define clusters (default: the unit).
    alpha : 1 − confidence level.
    """

    def __init__(
        self, *, design: str = "twfe", cluster: str | None = None, alpha: float = 0.05
    ) -> None:
        self.design = design
        self.cluster = cluster
        self.alpha = alpha

    def fit(
        self,
        panel: Panel,
        *,
        outcome: str,
        treated: Sequence[str] | None = None,
        treated_col: str | None = None,
        start: float | None = None,
        post_col: str | None = None,
    ) -> DifferenceInDifferences:
        if self.design not in DESIGNS:
            raise ValueError(f"design must be one of {', '.join(DESIGNS)}; got {self.design!r}.")
        y = panel.column(outcome)
        if (treated is None) == (treated_col is None):
            raise ValueError("give either treated units or a treated column, not both or neither.")
        if (start is None) == (post_col is None):
            raise ValueError("give either a start period or a post column, not both or neither.")
        if treated is not None:
            group = np.repeat(_treated_units(panel, treated)[:, None], len(panel.times), axis=1)
            group = group.astype(float)
        else:
            group = _flag(panel, treated_col)  # type: ignore[arg-type]
        if start is not None:
            if not (panel.times < start).any():
                raise PanelError(
                    f"{panel.source}: no period before the start ({_num(start)}): no pre-period."
                )
            if not (panel.times >= start).any():
                raise PanelError(f"{panel.source}: no period from the start ({_num(start)}) on.")
            post = np.repeat((panel.times >= start)[None, :], len(panel.units), axis=0).astype(
                float
            )
        else:
            post = _flag(panel, post_col)  # type: ignore[arg-type]
        ok = ~np.isnan(y) & ~np.isnan(group) & ~np.isnan(post)
        rows, cols = np.nonzero(ok)
        yy, g, p = y[ok], group[ok], post[ok]
        for name, flag in (("treated", g), ("post", p)):
            if flag.min() == flag.max():
                raise PanelError(f"{panel.source}: every observation has the same {name} value.")
        if not ((g == 1) & (p == 0)).any() or not ((g == 1) & (p == 1)).any():
            raise PanelError(
                f"{panel.source}: the treated group needs observations before and after."
            )
        clusters, n_clusters = _clusters(panel, self.cluster, rows, cols)
        d = g * p
        if self.design == "2x2":
            x = np.column_stack([np.ones_like(yy), g, p, d])
            fit = ols_cluster(x, yy, clusters)
            index, label = 3, "Difference-in-differences (2×2)"
        else:
            units, n_units = group_codes(rows)
            times, n_times = group_codes(cols)
            dummies = np.eye(n_times)[times][:, 1:]
            x = demean_within(np.column_stack([d, dummies]), units, n_units)
            yd = demean_within(yy, units, n_units)
            nested = _nested(units, clusters)
            fit = ols_cluster(x, yd, clusters, absorbed=1 if nested else n_units)
            index, label = 0, "Difference-in-differences (two-way fixed effects)"
        est = float(fit.beta[index])
        se = float(np.sqrt(fit.cov[index, index]))
        low, high, pv = t_interval(est, se, fit.df, self.alpha)
        self._store(DiDResult(label, est, se, low, high, pv, fit.n, fit.n_clusters, self.alpha))
        return self


def _nested(units: NDArray[np.intp], clusters: NDArray[np.intp]) -> bool:
    """Does every unit fall in a single cluster?"""
    first = np.empty(int(units.max()) + 1, dtype=clusters.dtype)
    first[units] = clusters  # one of each unit's clusters (the last written)
    return bool((first[units] == clusters).all())


def adoption_times(
    panel: Panel,
    *,
    adoption: Mapping[str, float | None] | None = None,
    treated: Sequence[str] | None = None,
    start: float | None = None,
    treatment_col: str | None = None,
) -> NDArray[np.float64]:
    """When each unit was first treated (``inf`` for never), from one of three descriptions.

    ``adoption`` maps units to their first treated period; ``treated`` + ``start`` give one date for
    a list of units; ``treatment_col`` is a 0/1 column, 1 from the unit's adoption on.
    """
    out = np.full(len(panel.units), np.inf)
    if adoption is not None:
        for unit, when in adoption.items():
            if when is not None:
                out[panel.unit_index(unit)] = float(when)
    elif treated is not None and start is not None:
        out[_treated_units(panel, treated)] = float(start)
    elif treatment_col is not None:
        flags = _flag(panel, treatment_col)
        for i in range(len(panel.units)):
            on = np.flatnonzero(flags[i] == 1)
            if len(on):
                out[i] = panel.times[on[0]]
    else:
        raise ValueError("give adoption, treated units and a start, or a treatment column.")
    if np.isinf(out).all():
        raise PanelError(f"{panel.source}: no unit is ever treated.")
    if np.isfinite(out).all():
        raise PanelError(
            f"{panel.source}: every unit is treated: there is no never-treated comparison."
        )
    return out


class EventStudy(_Estimator):
    """Leads and lags around adoption with unit and period fixed effects.

    ``leads`` and ``lags`` set the window (relative periods −leads … lags; earlier and later periods
    are binned into the ends); period −1 is the reference. ``result_.terms`` maps ``"-3"`` … to
    ``(estimate, se)``; ``result_.estimate`` is the mean of the lags (0 … lags); ``pretrend_p``
    tests that every lead (−leads … −2) is zero.
    """

    def __init__(
        self, *, leads: int = 4, lags: int = 4, cluster: str | None = None, alpha: float = 0.05
    ) -> None:
        self.leads = leads
        self.lags = lags
        self.cluster = cluster
        self.alpha = alpha

    def fit(self, panel: Panel, *, outcome: str, **treatment: Any) -> EventStudy:
        if self.leads < 2:
            raise ValueError("leads must be at least 2 (period −1 is the reference).")
        adopt = adoption_times(panel, **treatment)
        y = panel.column(outcome)
        ok = ~np.isnan(y)
        rows, cols = np.nonzero(ok)
        yy = y[ok]
        step = _step(panel.times)
        rel = (panel.times[cols] - adopt[rows]) / step
        ever = np.isfinite(rel)
        rel_bin = np.clip(np.where(ever, rel, 0), -self.leads, self.lags).round().astype(int)
        events = [e for e in range(-self.leads, self.lags + 1) if e != -1]
        x_event = np.column_stack([(ever & (rel_bin == e)).astype(float) for e in events])
        units, n_units = group_codes(rows)
        times, n_times = group_codes(cols)
        dummies = np.eye(n_times)[times][:, 1:]
        x = demean_within(np.column_stack([x_event, dummies]), units, n_units)
        keep = np.abs(x[:, : len(events)]).sum(axis=0) > 0
        if not keep.all():
            missing = [str(e) for e, k in zip(events, keep, strict=True) if not k]
            raise PanelError(
                f"{panel.source}: no observations at relative period(s) {', '.join(missing)}."
            )
        clusters, _ = _clusters(panel, self.cluster, rows, cols)
        fit = ols_cluster(
            x,
            demean_within(yy, units, n_units),
            clusters,
            absorbed=1 if _nested(units, clusters) else n_units,
        )
        m = len(events)
        beta, cov = fit.beta[:m], fit.cov[:m, :m]
        terms = {
            str(e): (float(b), float(np.sqrt(cov[k, k])))
            for k, (e, b) in enumerate(zip(events, beta, strict=True))
        }
        lead_idx = [k for k, e in enumerate(events) if e <= -2]
        lag_idx = [k for k, e in enumerate(events) if e >= 0]
        stat, pre_p = wald(beta[lead_idx], cov[np.ix_(lead_idx, lead_idx)], fit.df)
        a = np.zeros(m)
        a[lag_idx] = 1 / len(lag_idx)
        est = float(a @ beta)
        se = float(np.sqrt(a @ cov @ a))
        low, high, pv = t_interval(est, se, fit.df, self.alpha)
        self._store(
            DiDResult(
                "Event study: mean effect over the lags",
                est,
                se,
                low,
                high,
                pv,
                fit.n,
                fit.n_clusters,
                self.alpha,
                terms,
                stat,
                pre_p,
            )
        )
        return self


def _step(times: NDArray[np.float64]) -> float:
    diffs = np.diff(times)
    return float(diffs.min()) if len(diffs) else 1.0


class CallawaySantAnna(_Estimator):
    """Callaway & Sant'Anna (2021) with never-treated controls, on a balanced panel.

    ``result_.terms`` holds every ATT(g, t) with its standard error; ``result_.estimate`` is the
    overall ATT: the average of post-adoption ATT(g, t) weighted by group size ("simple"
    aggregation of the ``did`` package). Units treated in the first period are dropped (no
    pre-period); intervals are pointwise normal.
    """

    def __init__(self, *, alpha: float = 0.05) -> None:
        self.alpha = alpha

    def fit(self, panel: Panel, *, outcome: str, **treatment: Any) -> CallawaySantAnna:
        from scipy import stats

        adopt = adoption_times(panel, **treatment)
        y = panel.column(outcome)
        usable = adopt > panel.times[0]
        if np.isnan(y[usable]).any():
            i = int(np.argwhere(np.isnan(y) & usable[:, None])[0][0])
            raise PanelError(
                f"{panel.source}: Callaway–Sant'Anna needs a balanced panel; unit {panel.units[i]!r} "
                f"has missing {outcome!r}."
            )
        y = y[usable]
        adopt = adopt[usable]
        n = len(adopt)
        never = np.isinf(adopt)
        times = panel.times
        groups = sorted(set(adopt[~never].tolist()))
        terms: dict[str, tuple[float, float]] = {}
        post_cells: list[tuple[float, float, NDArray[np.float64], float]] = []  # (att, p_g, psi, g)
        for g in groups:
            in_g = adopt == g
            p_g = in_g.mean()
            p_c = never.mean()
            g_idx = int(np.searchsorted(times, g))
            for t_idx in range(1, len(times)):
                base = g_idx - 1 if t_idx >= g_idx else t_idx - 1
                diff = y[:, t_idx] - y[:, base]
                m_g, m_c = diff[in_g].mean(), diff[never].mean()
                att = float(m_g - m_c)
                psi = np.where(in_g, (diff - m_g) / p_g, 0.0) - np.where(
                    never, (diff - m_c) / p_c, 0.0
                )
                se = float(np.sqrt(np.sum(psi**2)) / n)
                terms[f"g={_num(g)},t={_num(times[t_idx])}"] = (att, se)
                if t_idx >= g_idx:
                    post_cells.append((att, float(p_g), psi, g))
        if not post_cells:
            raise PanelError(f"{panel.source}: no treated group is observed after adoption.")
        atts = np.array([c[0] for c in post_cells])
        pg = np.array([c[1] for c in post_cells])
        weights = pg / pg.sum()
        overall = float(weights @ atts)
        psi = sum(w * c[2] for w, c in zip(weights, post_cells, strict=True))
        # The weights are estimated too: their influence (delta method on p_g / Σ p_g).
        for att, p_g, _, g in post_cells:
            psi = psi + (att - overall) * ((adopt == g).astype(float) - p_g) / pg.sum()
        se = float(np.sqrt(np.sum(psi**2)) / n)
        q = float(stats.norm.ppf(1 - self.alpha / 2))
        pv = float(2 * stats.norm.sf(abs(overall / se))) if se > 0 else float("nan")
        self._store(
            DiDResult(
                "Callaway–Sant'Anna overall ATT",
                overall,
                se,
                overall - q * se,
                overall + q * se,
                pv,
                int(n * len(times)),
                n,
                self.alpha,
                terms,
            )
        )
        return self
