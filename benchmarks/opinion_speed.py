"""Speed and scale of the opinion engine.

Two parts, both printed as plain text:

1. **Against red-dwarf** (the Python port of Pol.is's math, ``pip install red-dwarf``): on the
   three largest shared Pol.is conversations (by number of votes), both engines get the same
   final votes and moderation, already in memory in the form each expects, and are timed once
   each on the same machine (after a small warm-up call so one-off import and JIT costs are
   not counted). The ratio red-dwarf time / our time is printed.
2. **Synthetic scale**: a seeded conversation of 1,000,000 participants x 5,000 statements
   with 50 million votes (``--scale`` shrinks participants and votes together), with three
   planted opinion groups. Times the full analysis (building the vote matrix from the vote
   triplets included), then an incremental update with 10,000 new votes (re-votes, new votes
   and new participants), and prints the process's peak resident memory
   (``resource.getrusage``), which includes the generated input itself. Wall-clock and CPU
   times are both printed, with the load average: on a shared machine the wall time
   includes waiting for the cores.

Usage::

    .venv/bin/python benchmarks/opinion_speed.py [--data DIR] [--scale 1.0] [--seed 0]
        [--skip-reddwarf] [--skip-synthetic]

Goals (issue "Deliberation at scale"): at least 5x faster than red-dwarf; the full synthetic
analysis within 60 s and 8 GB on 2 cores; the 10,000-vote update within 2 s.
"""

import argparse
import gc
import os
import resource
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mobilise.engines.opinion import OpinionEngine, VoteMatrix, read_polis_export  # noqa: E402


def peak_rss_gb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def find_conversations(data_dir: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(data_dir):
        if {"votes.csv", "participants-votes.csv"} & set(filenames):
            found.append(Path(dirpath))
            dirnames[:] = []  # a nested copy inside a conversation is the same conversation
        dirnames.sort()
    return sorted(found)


def bench_reddwarf(data_dir: Path, seed: int) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # red-dwarf's imports warn about optional extras
            from reddwarf.implementations.polis import run_pipeline
    except ImportError:
        print("red-dwarf is not installed (uv pip install red-dwarf); skipping the comparison.")
        return
    exports = []
    for folder in find_conversations(data_dir):
        try:
            exports.append((folder.name, read_polis_export(folder)))
        except ValueError as exc:
            print(f"skip {folder.name}: {exc}")
    exports.sort(key=lambda item: -item[1].votes.nnz)
    print("\n== Against red-dwarf (three largest conversations by votes; one timed run each)")
    print(
        f"{'conversation':46s} {'participants':>12s} {'votes':>8s} {'red-dwarf s':>12s} {'ours s':>8s} {'ratio':>7s}"
    )

    def inputs(export):  # noqa: ANN001, ANN202
        p, s, v = export.votes.triplets()
        mod = export.votes.statement_ids[export.votes.moderated_out].tolist()
        meta = export.votes.statement_ids[export.votes.meta].tolist()
        rd_votes = [
            {"participant_id": int(a), "statement_id": int(b), "vote": int(c), "modified": 0}
            for a, b, c in zip(p.tolist(), s.tolist(), v.tolist(), strict=True)
        ]
        return p, s, v, mod, meta, rd_votes

    # Warm-up on the smallest conversation so neither side pays one-off costs in the timing.
    smallest = min(exports, key=lambda item: item[1].votes.nnz)[1]
    p, s, v, mod, meta, rd_votes = inputs(smallest)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run_pipeline(
            votes=rd_votes, mod_out_statement_ids=mod, meta_statement_ids=meta, random_state=seed
        )
    OpinionEngine(random_state=seed).fit(
        VoteMatrix.from_votes(p, s, v, moderated_out=mod, meta=meta)
    )

    for name, export in exports[:3]:
        p, s, v, mod, meta, rd_votes = inputs(export)
        gc.collect()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t0 = time.perf_counter()
            run_pipeline(
                votes=rd_votes,
                mod_out_statement_ids=mod,
                meta_statement_ids=meta,
                random_state=seed,
            )
            t_rd = time.perf_counter() - t0
        gc.collect()
        t0 = time.perf_counter()
        matrix = VoteMatrix.from_votes(p, s, v, moderated_out=mod, meta=meta)
        OpinionEngine(random_state=seed).fit(matrix)
        t_ours = time.perf_counter() - t0
        n = export.votes.shape[0]
        print(f"{name:46s} {n:12d} {len(v):8d} {t_rd:12.3f} {t_ours:8.3f} {t_rd / t_ours:6.1f}x")


def synthetic(
    scale: float, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, int], np.ndarray]:
    """Seeded synthetic votes: (rows, cols, votes, shape, planted group per participant).

    Participants fall in three planted groups (50/30/20%). Each statement has an agree
    probability per group drawn from Beta(0.7, 0.7) (so most statements divide the groups),
    and 15% of votes are passes. Votes per participant are 1 + Poisson(Exponential(mean 49)),
    then nudged so the total is exactly the target; each participant sees distinct
    statements (an arithmetic progression modulo the statement count with a step coprime to
    it), so no pair repeats.
    """
    rng = np.random.default_rng(seed)
    n = max(1000, int(round(1_000_000 * scale)))
    m = 5000
    target = int(round(50 * n))
    counts = 1 + rng.poisson(rng.exponential(49.0, size=n))
    counts = np.minimum(counts, m)
    diff = target - int(counts.sum())
    while diff != 0:
        idx = rng.integers(0, n, size=abs(diff))
        step = 1 if diff > 0 else -1
        np.add.at(counts, idx, step)
        counts = np.clip(counts, 1, m)
        diff = target - int(counts.sum())
    groups = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    agree_p = rng.beta(0.7, 0.7, size=(3, m))
    coprime = np.array([s for s in range(1, m) if np.gcd(s, m) == 1])
    offset = rng.integers(0, m, size=n)
    stride = rng.choice(coprime, size=n)
    rows = np.empty(target, dtype=np.int32)
    cols = np.empty(target, dtype=np.int32)
    votes = np.empty(target, dtype=np.int8)
    starts = np.concatenate([[0], np.cumsum(counts)])
    chunk = 100_000
    for a in range(0, n, chunk):
        b = min(n, a + chunk)
        lo, hi = starts[a], starts[b]
        r = np.repeat(np.arange(a, b), counts[a:b])
        j = np.arange(hi - lo) - np.repeat(starts[a:b] - lo, counts[a:b])
        c = (offset[r] + j * stride[r]) % m
        u = rng.random(hi - lo)
        agree = rng.random(hi - lo) < agree_p[groups[r], c]
        votes[lo:hi] = np.where(u < 0.15, 0, np.where(agree, 1, -1))
        rows[lo:hi] = r
        cols[lo:hi] = c
    return rows, cols, votes, (n, m), groups


def bench_synthetic(scale: float, seed: int) -> None:
    from mobilise.engines.opinion import adjusted_rand_index

    print(f"\n== Synthetic conversation (scale {scale:g})")
    t0 = time.perf_counter()
    rows, cols, votes, shape, planted = synthetic(scale, seed)
    print(
        f"generated {shape[0]:,} participants x {shape[1]:,} statements, {len(votes):,} votes "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    gc.collect()
    t0 = time.perf_counter()
    c0 = time.process_time()
    matrix = VoteMatrix.from_indices(rows, cols, votes, shape=shape)
    t_build = time.perf_counter() - t0
    cpu_build = time.process_time() - c0
    del rows, cols, votes
    gc.collect()
    engine = OpinionEngine(random_state=seed)
    t1 = time.perf_counter()
    c1 = time.process_time()
    engine.fit(matrix)
    t_fit = time.perf_counter() - t1
    cpu_fit = time.process_time() - c1
    total = t_build + t_fit
    clustered = engine.labels_ >= 0
    ari = adjusted_rand_index(planted[clustered], engine.labels_[clustered])
    print(
        f"full analysis: {total:.1f} s wall, {cpu_build + cpu_fit:.1f} s CPU "
        f"(vote matrix {t_build:.1f} s + fit {t_fit:.1f} s); {engine.n_groups_} groups, "
        f"{int(clustered.sum()):,} clustered, ARI vs planted groups {ari:.3f}"
    )
    print(f"peak memory so far: {peak_rss_gb():.2f} GB")

    rng = np.random.default_rng(seed + 1)
    n, m = shape
    k = 10_000
    # 10,000 new votes: half from existing participants (re-votes or new statements), a
    # quarter from brand-new participants, a quarter on brand-new statements.
    existing = rng.integers(0, n, size=k // 2)
    fresh = n + rng.integers(0, k // 20, size=k // 4)
    p_new = np.concatenate([existing, fresh, rng.integers(0, n, size=k - k // 2 - k // 4)])
    s_new = np.concatenate(
        [
            rng.integers(0, m, size=k // 2 + k // 4),
            m + rng.integers(0, 20, size=k - k // 2 - k // 4),
        ]
    )
    v_new = rng.choice(np.array([-1, 0, 1], dtype=np.int8), size=k)
    labels_before = engine.labels_.copy()
    t0 = time.perf_counter()
    c0 = time.process_time()
    engine.partial_fit(p_new, s_new, v_new)
    t_update = time.perf_counter() - t0
    cpu_update = time.process_time() - c0
    kept = adjusted_rand_index(
        labels_before[clustered], engine.labels_[: len(labels_before)][clustered]
    )
    print(
        f"incremental update with {k:,} new votes: {t_update:.2f} s wall, {cpu_update:.2f} s CPU "
        f"({engine.n_groups_} groups, ARI vs before {kept:.3f})"
    )
    print(f"peak memory (whole process, input included): {peak_rss_gb():.2f} GB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-reddwarf", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args(argv)
    # Wall times depend on what else the machine runs; CPU times (all threads) much less.
    print("load average (1, 5, 15 min) at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if not args.skip_reddwarf:
        bench_reddwarf(args.data, args.seed)
    if not args.skip_synthetic:
        bench_synthetic(args.scale, args.seed)
    print("load average (1, 5, 15 min) at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
