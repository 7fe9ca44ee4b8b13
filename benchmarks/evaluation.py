"""How long does synthetic control with full placebo-in-space take on a large synthetic panel?

    python benchmarks/evaluation.py [--units 300] [--years 17] [--start-year 12] [--predictors]
                                    [--jobs 2]

Builds a factor-model panel (``--units`` units × ``--years`` years, one treated unit with an effect
from year ``--start-year`` on) and times ``SyntheticControl(placebos=True).fit``: every donor in
turn is refitted as if treated. Without ``--predictors`` each pre-period outcome is matched
directly (no V optimisation); with it, three predictors (means of the outcome over thirds of the
pre-period) go through the nested V/W optimisation. The issue's goal: 300 units × 17 years with
placebos in at most 5 s on 2 cores. Wall-clock and CPU time are both printed because the machine
may be shared.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from mobilise.engines.evaluation import Panel, SyntheticControl


def make_panel(n_units: int, n_years: int, start: int, seed: int = 0) -> Panel:
    rng = np.random.default_rng(seed)
    factors = rng.normal(size=(3, n_years)).cumsum(axis=1)
    loadings = rng.uniform(0.5, 1.5, size=(n_units, 3))
    y = 100 + loadings @ factors + rng.normal(scale=0.5, size=(n_units, n_years))
    y[0, start:] -= 5.0
    times = np.arange(2000, 2000 + n_years, dtype=float)
    return Panel(tuple(f"unit{k:04d}" for k in range(n_units)), times, {"y": y})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--years", type=int, default=17)
    parser.add_argument("--start-year", type=int, default=12)
    parser.add_argument("--predictors", action="store_true")
    parser.add_argument("--jobs", type=int, default=1, help="processes for the placebos")
    args = parser.parse_args()
    panel = make_panel(args.units, args.years, args.start_year)
    start = 2000 + args.start_year
    predictors = None
    if args.predictors:
        cut = np.array_split(np.arange(2000, start), 3)
        predictors = [f"y@{c[0]}-{c[-1]}" for c in cut]
    model = SyntheticControl(predictors, placebos=True, n_jobs=args.jobs)
    wall, cpu = time.perf_counter(), time.process_time()
    model.fit(panel, outcome="y", treated="unit0000", start=start)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    r = model.result_
    print(
        f"{args.units} units × {args.years} years, {len(r.placebos)} placebos"
        f"{' (3 predictors, nested V)' if predictors else ' (outcome only)'}: "
        f"{wall:.2f} s wall, {cpu:.2f} s CPU; effect {r.effect:.2f}, p = {r.p_value:.3f}"
    )


if __name__ == "__main__":
    main()
