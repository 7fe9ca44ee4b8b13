"""Throughput of the trajectory engine on synthetic indicator series.

Builds 400 places x 200 indicators = 80,000 annual series (2008-2022, a quarter of the values
missing, some series stopping early or barely started), each with its own trajectory, and times:

* ``BatchTrendProjector`` fit + predict at the target year, both trend models;
* ``ProgressAssessor.assess_many``: statuses and all numbers, both models;
* writing every explanation sentence (``BatchAssessment.explanations``);
* ``ProgressAssessor.assess`` one series at a time, on a sample, for comparison;
* ``roll_up`` of the 400 places' statuses for each indicator.

Run: ``.venv/bin/python benchmarks/trajectory.py [--places 400] [--indicators 200]``.
Each figure is the best of ``--repeat`` runs, in series per second.
"""

import argparse
import time
from collections.abc import Callable

import numpy as np

from mobilise.engines.trajectory import BatchTrendProjector, ProgressAssessor, Trajectory, roll_up


def synthetic(places: int, indicators: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    n = places * indicators
    years = np.arange(2008.0, 2023.0)
    start = rng.uniform(10, 90, (n, 1))
    slope = rng.normal(-0.4, 0.6, (n, 1))
    values = start + slope * (years - 2008) + rng.normal(0, 1.5, (n, len(years)))
    values[rng.random(values.shape) < 0.25] = np.nan
    values[rng.random(n) < 0.05, -6:] = np.nan  # stopped publishing
    values[rng.random(n) < 0.02, :-2] = np.nan  # only just started
    values = np.round(values, 1)
    baseline = np.nan_to_num(values[:, 7], nan=float(np.nanmean(values)))
    change = rng.uniform(-0.5, 0.2, n) * baseline
    trajectories = [
        Trajectory((2015.0, b), (2030.0, b + c), [(2025.0, b + 0.6 * c)])
        for b, c in zip(baseline.tolist(), change.tolist(), strict=True)
    ]
    polarity = np.where(change < 0, "lower_is_better", "higher_is_better").tolist()
    return years, values, trajectories, polarity


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def report(label: str, count: int, seconds: float) -> None:
    print(f"{label:<46} {count:>7,} series {seconds:8.3f} s {count / seconds:>12,.0f} series/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=400)
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--single-sample", type=int, default=2000)
    args = parser.parse_args()

    started = time.perf_counter()
    years, values, trajectories, polarity = synthetic(args.places, args.indicators)
    n = len(values)
    print(
        f"{n:,} series x {len(years)} periods; data and trajectories built in {time.perf_counter() - started:.2f} s"
    )

    for model in ("linear", "theil_sen"):
        projector = BatchTrendProjector(model=model)
        report(
            f"BatchTrendProjector fit+predict ({model})",
            n,
            best_of(args.repeat, lambda p=projector: p.fit(years, values).predict(2030.0)),
        )
        assessor = ProgressAssessor(model=model)
        seconds = best_of(
            args.repeat,
            lambda a=assessor: a.assess_many(years, values, trajectories, polarity, now=2023.5),
        )
        report(f"assess_many, statuses ({model})", n, seconds)

    batch = ProgressAssessor().assess_many(years, values, trajectories, polarity, now=2023.5)
    report("explanations for every series", n, best_of(1, batch.explanations))

    assessor = ProgressAssessor()
    sample = min(args.single_sample, n)

    def one_at_a_time() -> None:
        for row in range(sample):
            assessor.assess(years, values[row], trajectories[row], polarity[row], now=2023.5)

    report("assess, one series at a time (linear)", sample, best_of(1, one_at_a_time))

    by_indicator = batch.status.reshape(args.places, args.indicators).T
    report(
        f"roll_up, {args.indicators} indicators x {args.places} places",
        n,
        best_of(args.repeat, lambda: [roll_up(row) for row in by_indicator]),
    )
    counts = ", ".join(
        f"{status.label.lower()} {count:,}" for status, count in batch.counts().items()
    )
    print(f"statuses (linear): {counts}")


if __name__ == "__main__":
    main()
