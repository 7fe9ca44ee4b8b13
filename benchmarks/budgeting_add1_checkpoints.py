"""Check our MES + add1 against pabutools' own MES at every endowment our search decided on.

    python benchmarks/budgeting_add1_checkpoints.py [DATA_DIR] --only A.pb,B.pb [--samples 20]

pabutools' add1 (``method_of_equal_shares(voter_budget_increment=1)``) reruns MES once per
currency unit of each voter's share: on the Hungarian files, priced in forints, that is 26,000 to
153,000 reruns, hours to days of CPU each. Our search reaches the same answer from a few hundred
runs, skipping stretches of endowments it can prove change nothing.

This script checks the runs the answer rests on. For every endowment our search computed
(including the stopping one and the one past it) and ``--samples`` further random endowments up
to the stop, it runs pabutools' MES scheme (``method_of_equal_shares_scheme`` with that starting
budget per voter and no increment, which is exactly what pabutools' add1 loop runs at that step)
and compares the funded projects with ours. It is a lighter check than running pabutools' whole
loop, which ``budgeting_equivalence.py`` does where time allows; the two are reported separately.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mobilise.engines.budgeting import make_rule, read_pb  # noqa: E402
from mobilise.engines.budgeting import mes as mes_module  # noqa: E402
from mobilise.engines.budgeting._mes_core import MESEngine, Run  # noqa: E402
from mobilise.engines.budgeting._profile import build_profile  # noqa: E402
from mobilise.engines.budgeting.reference import pabutools_mes_runs, trimmed_mes_memo  # noqa: E402


class RecordingEngine(MESEngine):
    """Our MES engine, keeping every run the add1 search asks for."""

    runs: list[Run] = []

    def run(self, beta: Fraction, guide: Run | None = None, upper: Run | None = None) -> Run:
        result = super().run(beta, guide, upper)
        RecordingEngine.runs.append(result)
        return result


def check_file(path: Path, samples: int, rng: random.Random, at: str = "all") -> dict[str, Any]:
    election = read_pb(path)
    RecordingEngine.runs = []
    # The rule builds its engine by name: swapping the name records the runs without giving the
    # engine a hook that only this check would use.
    original = mes_module.MESEngine
    mes_module.MESEngine = RecordingEngine  # type: ignore[misc]
    try:
        t0 = time.process_time()
        fitted = make_rule("mes", completion="add1").fit(election)
        ours_s = time.process_time() - t0
    finally:
        mes_module.MESEngine = original  # type: ignore[misc]
    satisfaction = fitted.result_.settings.get("satisfaction", "cost")
    profile_ours = build_profile(election, satisfaction)
    ids = profile_ours.project_ids
    free = [e.project_id for e in fitted.explanations_.values() if e.stage == "free"]

    start = election.budget / len(election.votes)
    final_step = fitted.add1_steps_
    computed: dict[Fraction, tuple[list[str], bool]] = {}
    for run in RecordingEngine.runs:
        computed[run.beta] = ([ids[j] for j in run.sequence], run.natural_order)
    if at == "all":
        checked = dict(computed)
    else:
        # Only where the answer turns: both sides of every change of funded order between
        # consecutive computed shares, and the last two shares (the stop and the one past it).
        shares = sorted(computed)
        keep = set(shares[-2:])
        for low, high in zip(shares, shares[1:], strict=False):
            if computed[low][0] != computed[high][0]:
                keep.update((low, high))
        checked = {beta: computed[beta] for beta in keep}
    # Random endowments inside the stretches our search skipped, computed afresh by our engine.
    engine = MESEngine(mes_module.MESData.from_profile(profile_ours))
    for step in rng.sample(range(final_step + 1), min(samples, final_step + 1)):
        beta = start + step
        if beta not in checked:
            run = engine.run(beta)
            checked[beta] = ([ids[j] for j in run.sequence], True)

    shares = sorted(checked)
    mismatches = []
    t0 = time.process_time()
    with trimmed_mes_memo():
        runs = pabutools_mes_runs(path, shares, satisfaction=satisfaction)
    for beta, theirs in zip(shares, runs, strict=True):
        ours, in_order = checked[beta]
        theirs = [p for p in theirs if p not in free]
        same = ours == theirs if in_order else sorted(ours) == sorted(theirs)
        if not same:
            mismatches.append({"step": int(beta - start), "ours": ours, "pabutools": theirs})
    pabutools_s = time.process_time() - t0
    return {
        "file": path.name,
        "steps": final_step,
        "endowments_checked": len(checked),
        "search_runs": len(computed),
        "mismatches": mismatches,
        "ours_s": ours_s,
        "pabutools_s": pabutools_s,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", nargs="?", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--only", required=True, help="comma-separated .pb file names")
    parser.add_argument(
        "--samples", type=int, default=20, help="random extra endowments per file (default 20)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--at",
        choices=("all", "changes"),
        default="all",
        help="check every share our search computed (default), or only both sides of each change "
        "of funded order and the stop: for files where pabutools' single MES run takes seconds",
    )
    args = parser.parse_args(argv)

    by_name = {p.name: p for p in Path(args.data_dir).rglob("*.pb")}
    names = [n for n in args.only.split(",") if n]
    missing = [n for n in names if n not in by_name]
    if missing:
        parser.error(f"not found under {args.data_dir}: {', '.join(missing)}")
    rng = random.Random(args.seed)
    failures = 0
    for name in names:
        row = check_file(by_name[name], args.samples, rng, args.at)
        verdict = "identical" if not row["mismatches"] else f"{len(row['mismatches'])} DIFFER"
        print(
            f"{name}: add1 stopped after {row['steps']:,} steps; pabutools' MES checked at "
            f"{row['endowments_checked']} shares (of {row['search_runs']} our search computed, "
            f"checking {args.at}; + random samples): {verdict}  [ours {row['ours_s']:.2f}s, "
            f"pabutools {row['pabutools_s']:.0f}s CPU]",
            flush=True,
        )
        for m in row["mismatches"][:3]:
            print(f"    step {m['step']}: ours {m['ours']} pabutools {m['pabutools']}")
        failures += bool(row["mismatches"])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
