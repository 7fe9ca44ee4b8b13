"""Do our budgeting rules select exactly what pabutools selects, on every shared Pabulib file?

    python benchmarks/budgeting_equivalence.py [DATA_DIR] [--timeout 60] [--json out.json]

Sweeps every ``.pb`` file under DATA_DIR (default ``../shared/data``) and, for each rule setting in
``CONFIGS``, compares our selection with the matching pabutools call (see
``mobilise.engines.budgeting.reference``). pabutools runs in a separate worker process and each call
has a time limit (``--timeout`` seconds), because its add1 completion takes minutes to hours on big
cities; calls that run out of time are reported as such, not as disagreements.

Where a file records an official outcome (a ``selected`` column) and the rule it was decided by
(``greedy`` or ``equalshares/add1…``), the script also reports whether our rule reproduces it.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import signal
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mobilise.engines.budgeting import PBElection, make_rule, read_pb  # noqa: E402
from mobilise.engines.budgeting.reference import (  # noqa: E402
    pabutools_selection,
    same_outcome,
    trimmed_mes_memo,
)

# (name, rule, settings). Satisfaction is each ballot type's default.
CONFIGS: list[tuple[str, str, dict[str, Any]]] = [
    ("greedy", "greedy", {}),
    ("mes", "mes", {"completion": "none"}),
    ("mes-add1", "mes", {"completion": "add1"}),
    ("mes-utilitarian", "mes", {"completion": "utilitarian"}),
    ("phragmen", "phragmen", {}),
]


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


def _worker(jobs: Any, results: Any) -> None:
    """Runs pabutools calls one after another; each is cut off by SIGALRM after its time limit."""
    signal.signal(signal.SIGALRM, _alarm)
    while True:
        job = jobs.get()
        if job is None:
            return
        path, rule, kwargs, timeout, trim = job
        signal.alarm(timeout)
        started = time.perf_counter()
        try:
            if trim:
                with trimmed_mes_memo():
                    selection: list[str] | None = pabutools_selection(path, rule, **kwargs)
            else:
                selection = pabutools_selection(path, rule, **kwargs)
            status = "ok"
        except _Timeout:
            selection, status = None, "timeout"
        except Exception as exc:  # pabutools' own failures are reported, not fatal
            selection, status = None, f"error: {type(exc).__name__}: {exc}"
        finally:
            signal.alarm(0)
        results.put((status, selection, time.perf_counter() - started))


class Pabutools:
    """A pabutools worker process, restarted if it ever stops answering."""

    def __init__(self, trim_memo: bool = True) -> None:
        self.trim_memo = trim_memo
        self._start()

    def _start(self) -> None:
        self.jobs: Any = mp.Queue()
        self.results: Any = mp.Queue()
        self.process = mp.Process(target=_worker, args=(self.jobs, self.results), daemon=True)
        self.process.start()

    def select(
        self, path: Path, rule: str, kwargs: dict[str, Any], timeout: int
    ) -> tuple[str, list[str] | None, float]:
        self.jobs.put((str(path), rule, kwargs, timeout, self.trim_memo))
        waited = 0.0
        # Poll, so a worker that dies (pabutools' GMP aborts when memory runs out) is noticed at
        # once rather than after the whole time limit.
        while waited < timeout + 60:
            try:
                return self.results.get(timeout=5)
            except Exception:
                waited += 5
                if not self.process.is_alive():
                    self._start()
                    return "error: pabutools' process died (out of memory?)", None, waited
        self.process.kill()
        self.process.join()
        self._start()
        return "timeout", None, float(timeout)

    def close(self) -> None:
        self.jobs.put(None)
        self.process.join(timeout=10)


def _official(election: PBElection) -> set[str] | None:
    if "selected" not in election.project_columns:
        return None
    return {p.project_id for p in election.projects if p.extra.get("selected", "").strip() == "1"}


def _prefers_greedy(election: PBElection, mes: tuple[str, ...], greedy: tuple[str, ...]) -> bool:
    """equalshares.net's comparison step ("satisfaction"): switch to greedy if more voters would
    approve more greedy winners than MES winners."""
    mes_set, greedy_set = set(mes), set(greedy)
    for_mes = for_greedy = 0
    for vote in election.votes:
        approved = set(vote.projects)
        m, g = len(approved & mes_set), len(approved & greedy_set)
        for_mes += m > g
        for_greedy += g > m
    return for_greedy > for_mes


def official_agreement(election: PBElection) -> dict[str, Any] | None:
    """Does our rule reproduce the recorded outcome? ``None`` if the file records none we model."""
    official = _official(election)
    rule = election.meta.get("rule", "")
    if official is None or election.vote_type not in (
        "approval",
        "choose-1",
        "cumulative",
        "ordinal",
    ):
        return None
    if rule == "greedy":
        ours = set(make_rule("greedy").fit(election).selected_)
        return {
            "rule": rule,
            "agree": ours == official,
            "ours": sorted(ours - official),
            "official": sorted(official - ours),
        }
    if rule.startswith("equalshares/add1"):
        report: dict[str, Any] = {"rule": rule}
        greedy = make_rule("greedy").fit(election).selected_
        for stop in (True, False):
            mes = make_rule("mes", completion="add1", exhaustive_stop=stop).fit(election).selected_
            chosen = mes
            if rule.endswith("comparison") and _prefers_greedy(election, mes, greedy):
                chosen = greedy
            key = "exhaustive_stop" if stop else "overspend_stop"
            report[key] = set(chosen) == official
        report["agree"] = report["exhaustive_stop"] or report["overspend_stop"]
        return report
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", nargs="?", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument(
        "--timeout", type=int, default=60, help="seconds per pabutools call (default 60)"
    )
    parser.add_argument("--configs", default=",".join(name for name, _, _ in CONFIGS))
    parser.add_argument("--limit", type=int, default=0, help="only the first N files (by size)")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated file names to restrict the sweep to, run in the order given",
    )
    parser.add_argument(
        "--pabutools-memo",
        choices=("trimmed", "as-is"),
        default="trimmed",
        help="'trimmed' (default) stops pabutools' MES memo growing without bound across add1 "
        "reruns; results are unchanged (see reference.trimmed_mes_memo)",
    )
    parser.add_argument("--json", help="also write per-file results to this JSON file")
    parser.add_argument(
        "--coarse-add1",
        type=int,
        default=0,
        metavar="STEPS",
        help="add1 raises each voter's share by 1/STEPS of its starting value (both sides) "
        "instead of one currency unit",
    )
    args = parser.parse_args(argv)

    files = sorted(Path(args.data_dir).rglob("*.pb"), key=lambda p: p.stat().st_size)
    if args.limit:
        files = files[: args.limit]
    if args.only:
        by_name = {p.name: p for p in files}
        files = [by_name[name] for name in args.only.split(",") if name in by_name]
    wanted = set(args.configs.split(","))
    configs = [c for c in CONFIGS if c[0] in wanted]
    print(
        f"{len(files)} files under {args.data_dir}; settings: {', '.join(c[0] for c in configs)}; "
        f"pabutools time limit {args.timeout}s per call; pabutools memo {args.pabutools_memo}",
        flush=True,
    )

    tally: dict[str, Counter[str]] = {name: Counter() for name, _, _ in configs}
    official_tally: Counter[str] = Counter()
    rows: list[dict[str, Any]] = []
    worker = Pabutools(trim_memo=args.pabutools_memo == "trimmed")
    started = time.perf_counter()
    try:
        for n, path in enumerate(files, 1):
            election = read_pb(path)
            row: dict[str, Any] = {
                "file": path.name,
                "vote_type": election.vote_type,
                "results": {},
            }
            for name, rule, base_settings in configs:
                if rule == "phragmen" and election.vote_type not in ("approval", "choose-1"):
                    continue
                settings = dict(base_settings)
                if args.coarse_add1 and str(settings.get("completion", "")).startswith("add1"):
                    # A coarser add1 step (the same algorithm, fewer raises) that pabutools can
                    # finish where one currency unit at a time takes it hours or all the memory.
                    share = election.budget / max(len(election.votes), 1)
                    settings["increment"] = max(1, int(share / args.coarse_add1))
                t0 = time.perf_counter()
                fitted = make_rule(rule, **settings).fit(election)
                ours_time = time.perf_counter() - t0
                satisfaction = fitted.result_.settings.get("satisfaction", "cost")
                status, theirs, their_time = worker.select(
                    path,
                    rule,
                    {
                        "satisfaction": satisfaction,
                        "completion": settings.get("completion", "none"),
                        "increment": settings.get("increment", 1),
                    },
                    args.timeout,
                )
                if status == "ok":
                    free = [
                        e.project_id for e in fitted.explanations_.values() if e.stage == "free"
                    ]
                    status = (
                        "agree"
                        if same_outcome(rule, fitted.selected_, theirs or [], free)
                        else "DISAGREE"
                    )
                tally[name][status if status in ("agree", "DISAGREE", "timeout") else "error"] += 1
                row["results"][name] = {
                    "status": status,
                    "ours_s": round(ours_time, 4),
                    "pabutools_s": round(their_time, 3),
                }
                if status == "DISAGREE":
                    row["results"][name].update(ours=list(fitted.selected_), pabutools=theirs)
            official = official_agreement(election)
            if official is not None:
                row["official"] = official
                official_tally["agree" if official["agree"] else "DISAGREE"] += 1
            rows.append(row)
            summary = " ".join(
                f"{k}={v['status']} ({v['ours_s']:.2f}s / {v['pabutools_s']:.0f}s)"
                for k, v in row["results"].items()
            )
            extra = f" official={'agree' if official['agree'] else 'DISAGREE'}" if official else ""
            print(f"[{n}/{len(files)}] {path.name}: {summary}{extra}", flush=True)
            if args.json:  # after every file, so a long sweep that is stopped keeps what it found
                Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    finally:
        worker.close()

    print(f"\nDone in {time.perf_counter() - started:.0f}s.")
    print(f"{'setting':<18}{'agree':>7}{'disagree':>10}{'timeout':>9}{'error':>7}")
    for name, counts in tally.items():
        print(
            f"{name:<18}{counts['agree']:>7}{counts['DISAGREE']:>10}{counts['timeout']:>9}{counts['error']:>7}"
        )
    print(
        f"Official outcomes (greedy / equal shares files with a selected column): "
        f"{official_tally['agree']} agree, {official_tally['DISAGREE']} disagree"
    )
    for row in rows:
        if "official" in row:
            print(f"  {row['file']}: {row['official']}")
    return 1 if any(c["DISAGREE"] for c in tally.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
