"""``mobilise opinion``: run the opinion engine on a Pol.is export folder.

    mobilise opinion analyse DIR [--json] [--seed N] [--write OUT] [--polis-history]

``analyse`` reads DIR (``comments.csv`` plus ``votes.csv`` or ``participants-votes.csv``),
fits the engine and prints a readable summary, or with ``--json``::

    {"groups": {participant_id: group_index},
     "repness": {group_index: [statement_id, ...]},
     "consensus": {"agree": [statement_id, ...], "disagree": [statement_id, ...]},
     "group_aware_consensus": {statement_id: value}}

``--write OUT`` also writes the conversation back out as a Pol.is export folder with our
groups. ``--polis-history`` clusters the participants Pol.is's own in-conv rule would have
clustered over the export's timestamped ``votes.csv`` (``export_in_conv``), which is closer
to Pol.is's groups for conversations it analysed years ago. The seed defaults to 0 so the
same folder always gives the same answer.
The Django management command calls ``main`` with the arguments after ``opinion``.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

import numpy as np

from .engine import OpinionEngine
from .history import export_in_conv
from .polis_io import PolisExport, read_polis_export, write_polis_export
from .results import OpinionResult


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mobilise opinion",
        description="Opinion groups, representative statements and consensus for a deliberation.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    analyse = sub.add_parser(
        "analyse",
        help="analyse a Pol.is export folder",
        description="Analyse a Pol.is export folder (comments.csv with votes.csv or participants-votes.csv).",
    )
    analyse.add_argument("directory", type=Path, metavar="DIR", help="the export folder")
    analyse.add_argument("--json", action="store_true", help="print machine-readable JSON")
    analyse.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    analyse.add_argument(
        "--write", type=Path, metavar="OUT", help="also write a Pol.is export with our groups"
    )
    analyse.add_argument(
        "--polis-history",
        action="store_true",
        help="cluster whom Pol.is's rule would have clustered over the timed votes.csv",
    )
    return parser


def _text(export: PolisExport) -> dict[int, str]:
    return {c.id: c.body for c in export.comments}


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def print_summary(export: PolisExport, result: OpinionResult, out: TextIO) -> None:
    """A readable report: groups, what sets each apart, and what everyone shares."""
    text = _text(export)
    n, m = len(result.participant_ids), len(result.statement_ids)
    votes = export.votes.nnz
    sizes = np.bincount(result.labels[result.labels >= 0], minlength=result.n_groups)
    print(f"{n} participants, {m} statements, {votes} votes.", file=out)
    print(
        f"{int(result.in_conv.sum())} participants clustered into {result.n_groups} opinion group(s)"
        + (f" of {', '.join(str(int(s)) for s in sizes)} people." if result.n_groups else "."),
        file=out,
    )
    for g, statements in result.repness.items():
        print(f"\nGroup {g} ({int(sizes[g])} people) stands out on:", file=out)
        for s in statements:
            pct = round(100 * s.n_success / s.n_trials) if s.n_trials else 0
            print(
                f"  #{s.statement} {pct}% {s.repful_for} - {_short(text.get(s.statement, ''))}",
                file=out,
            )
    for side, items in (("agree", result.consensus_agree), ("disagree", result.consensus_disagree)):
        if items:
            print(f"\nMost participants {side}:", file=out)
            for c in items:
                pct = round(100 * c.n_success / c.n_trials) if c.n_trials else 0
                print(
                    f"  #{c.statement} {pct}% {side} - {_short(text.get(c.statement, ''))}",
                    file=out,
                )
    gac = result.group_aware_consensus_agree
    live = np.flatnonzero(~(result.moderated_out | result.meta) & np.isfinite(gac))
    if len(live) and result.n_groups:
        top = live[np.argsort(-gac[live], kind="stable")[:5]]
        print("\nHighest group-aware consensus (every group agrees):", file=out)
        for j in top:
            sid = result.statement_ids[j].item()
            print(f"  #{sid} {gac[j]:.2f} - {_short(text.get(sid, ''))}", file=out)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code (0 ok, 2 bad input)."""
    args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.command == "analyse":
        try:
            export = read_polis_export(args.directory)
        except ValueError as exc:
            print(f"mobilise opinion: {exc}", file=sys.stderr)
            return 2
        history = export_in_conv(export) if args.polis_history else None
        in_conv = history.tolist() if history is not None else ()
        engine = OpinionEngine(random_state=args.seed).fit(export.votes, in_conv=in_conv)
        result = engine.result_
        if args.json:
            json.dump(result.to_json_dict(), sys.stdout, indent=2)
            sys.stdout.write("\n")
        else:
            print_summary(export, result, sys.stdout)
        if args.write:
            write_polis_export(args.write, export, result)
            if not args.json:
                print(f"\nWrote a Pol.is export with these groups to {args.write}", file=sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
