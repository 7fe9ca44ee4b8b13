"""How fast is the evaluation engine, and how does it compare with pysyncon and statsmodels?

    python benchmarks/evaluation.py [--units 300] [--years 17] [--start-year 12] [--jobs 2]
                                    [--vs-units 20,40] [--no-reference]

Three parts, in one run, each on a factor-model panel built here (one treated unit with an effect
from year ``--start-year`` on):

1. **The goal** (≤ 5 s on 2 cores): synthetic control with full placebo-in-space — every donor in
   turn refitted as if treated — over ``--units`` × ``--years``, first matching each pre-period
   outcome directly (what the platform's results page runs) and then with three predictors (means of
   the outcome over thirds of the pre-period) through the nested V/W optimisation.
2. **Difference-in-differences** (goal ≤ 50 ms): two-way fixed effects with cluster-robust errors
   over 400 places × 25 years, against statsmodels' OLS with unit and year dummies and
   ``cov_type="cluster"`` (the design matrix built from arrays, its fastest route).
3. **Side by side with pysyncon** on the same panels (``--vs-units`` sizes) and the same three
   predictors: the treated unit's fit alone — pysyncon's ``Synth`` with Nelder–Mead from equal
   weights, as its documentation does, against ours — with each fit's pre-period MSPE (lower is
   better). A placebo run is that fit once per donor; pysyncon's single 300-unit fit takes about
   ten minutes here, so its full placebo run is out of reach and is not attempted.

Wall-clock time and CPU time (this process and its worker processes) are both printed: the machine
may be shared, so the load average is printed too.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from mobilise.engines.evaluation import DifferenceInDifferences, Panel, SyntheticControl


def make_panel(n_units: int, n_years: int, start: int, seed: int = 0) -> Panel:
    rng = np.random.default_rng(seed)
    factors = rng.normal(size=(3, n_years)).cumsum(axis=1)
    loadings = rng.uniform(0.5, 1.5, size=(n_units, 3))
    y = 100 + loadings @ factors + rng.normal(scale=0.5, size=(n_units, n_years))
    y[0, start:] -= 5.0
    times = np.arange(2000, 2000 + n_years, dtype=float)
    return Panel(tuple(f"unit{k:04d}" for k in range(n_units)), times, {"y": y})


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    out = fn()
    return out, time.perf_counter() - wall, _cpu() - cpu


def predictor_years(start: int) -> list[list[int]]:
    return [list(map(int, c)) for c in np.array_split(np.arange(2000, start), 3)]


def ours_synth(panel: Panel, start: int, *, predictors: bool, jobs: int) -> Any:
    specs = [f"y@{c[0]}-{c[-1]}" for c in predictor_years(start)] if predictors else None
    model = SyntheticControl(specs, placebos=True, n_jobs=jobs)
    return model.fit(panel, outcome="y", treated=panel.units[0], start=start).result_


def part_goal(args: argparse.Namespace) -> None:
    start = 2000 + args.start_year
    panel = make_panel(args.units, args.years, args.start_year)
    print(
        f"1. Synthetic control, {args.units} units × {args.years} years, placebo-in-space "
        f"for every donor, {args.jobs} process(es) (goal ≤ 5 s)"
    )
    for predictors, label in ((False, "outcome only"), (True, "3 predictors, nested V")):
        r, wall, cpu = timed(
            lambda p=predictors: ours_synth(panel, start, predictors=p, jobs=args.jobs)
        )
        print(
            f"   {label:24s} {wall:6.2f} s wall, {cpu:6.2f} s CPU; "
            f"{len(r.placebos)} placebos, effect {r.effect:.2f}, p = {r.p_value:.3f}"
        )


def part_did(reference: bool) -> None:
    n_units, n_years, start = 400, 25, 2012
    rng = np.random.default_rng(1)
    y = (
        rng.normal(size=(n_units, 1))
        + 0.2 * np.arange(n_years)[None, :]
        + rng.normal(size=(n_units, n_years))
    )
    treated = np.arange(n_units) < n_units // 4
    times = np.arange(2000, 2000 + n_years, dtype=float)
    y[np.ix_(treated, times >= start)] += 1.5
    units = tuple(f"p{k:03d}" for k in range(n_units))
    panel = Panel(units, times, {"y": y})
    names = [u for u, t in zip(units, treated, strict=True) if t]

    def ours() -> Any:
        return DifferenceInDifferences().fit(panel, outcome="y", treated=names, start=start).result_

    ours()  # warm: imports and first-call set-up are not what is being measured
    runs = [timed(ours) for _ in range(20)]
    best = min(runs, key=lambda r: r[1])
    result = best[0]
    median = float(np.median([r[1] for r in runs]))
    print(
        f"2. Difference-in-differences, TWFE with cluster-robust SEs, {n_units} places × "
        f"{n_years} years (goal ≤ 50 ms)"
    )
    print(
        f"   mobilise     best {best[1] * 1000:7.1f} ms, median {median * 1000:7.1f} ms of 20; "
        f"estimate {result.estimate:.4f} (SE {result.se:.4f})"
    )
    if not reference:
        return
    try:
        import statsmodels.api as sm
    except ImportError:
        print("   statsmodels  not installed (it is in the dev extra)")
        return

    def theirs() -> Any:
        rows, cols = np.nonzero(np.ones_like(y, dtype=bool))
        d = (treated[rows] & (times[cols] >= start)).astype(float)
        x = np.column_stack([d, np.eye(n_units)[rows], np.eye(n_years)[cols][:, 1:]])
        return sm.OLS(y[rows, cols], x).fit(cov_type="cluster", cov_kwds={"groups": rows})

    theirs()
    runs = [timed(theirs) for _ in range(5)]
    fit, wall, _ = min(runs, key=lambda r: r[1])
    print(
        f"   statsmodels  best {wall * 1000:7.1f} ms of 5; estimate {fit.params[0]:.4f} "
        f"(SE {fit.bse[0]:.4f}: every unit dummy counted in K); "
        f"mobilise {wall / best[1]:.0f}× faster"
    )


def part_pysyncon(args: argparse.Namespace) -> None:
    start = 2000 + args.start_year
    try:
        import contextlib
        import io

        import pandas as pd
        import pysyncon
    except ImportError:
        print("3. pysyncon not installed (it is in the dev extra): side-by-side skipped")
        return

    def dataprep(panel: Panel) -> Any:
        y = panel.values["y"]
        df = pd.DataFrame(
            [
                (u, int(t), y[i, j])
                for i, u in enumerate(panel.units)
                for j, t in enumerate(panel.times)
            ],
            columns=["unit", "year", "y"],
        )
        return pysyncon.Dataprep(
            foo=df,
            predictors=[],
            predictors_op="mean",
            time_predictors_prior=range(2000, start),
            special_predictors=[("y", c, "mean") for c in predictor_years(start)],
            dependent="y",
            unit_variable="unit",
            time_variable="year",
            treatment_identifier=panel.units[0],
            controls_identifier=list(panel.units[1:]),
            time_optimize_ssr=range(2000, start),
        )

    options = {"optim_method": "Nelder-Mead", "optim_initial": "equal"}
    from importlib.metadata import version

    print(
        f"3. Side by side with pysyncon {version('pysyncon')}: the treated unit's fit, "
        f"3 predictors, {args.years} years"
    )
    for n_units in args.vs_units:
        panel = make_panel(n_units, args.years, args.start_year)
        specs = [f"y@{c[0]}-{c[-1]}" for c in predictor_years(start)]

        def ours(panel: Panel = panel, specs: list[str] = specs) -> Any:
            model = SyntheticControl(specs)
            return model.fit(panel, outcome="y", treated=panel.units[0], start=start).result_

        def theirs(panel: Panel = panel) -> Any:
            synth = pysyncon.Synth()
            with contextlib.redirect_stdout(io.StringIO()):
                synth.fit(dataprep=dataprep(panel), **options)
            return synth

        mine, wall, _ = timed(ours)
        synth, their_wall, _ = timed(theirs)
        print(
            f"   {n_units:4d} units: mobilise {wall:7.3f} s (pre-period MSPE {mine.mspe_loss:.4f}), "
            f"pysyncon {their_wall:7.2f} s (MSPE {float(synth.loss_V):.4f}); "
            f"{their_wall / wall:.0f}× faster",
            flush=True,
        )
    print(
        "   (pysyncon's PlaceboTest refits every donor the same way: at these speeds a full "
        f"placebo run over {args.units} units is out of reach for it.)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--years", type=int, default=17)
    parser.add_argument("--start-year", type=int, default=12)
    parser.add_argument("--jobs", type=int, default=2, help="processes for the placebos")
    parser.add_argument(
        "--vs-units",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[20, 40],
        help="panel sizes for the pysyncon comparison, e.g. 20,40,100,300",
    )
    parser.add_argument("--no-reference", action="store_true", help="skip pysyncon/statsmodels")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs", flush=True)
    part_goal(args)
    part_did(not args.no_reference)
    if not args.no_reference:
        part_pysyncon(args)


if __name__ == "__main__":
    main()
