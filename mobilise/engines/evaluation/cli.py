"""Command line for the evaluation engine, on a long-format CSV panel (one row per unit and period).

::

    python -m mobilise.engines.evaluation.cli synth PANEL.csv --unit state --time year \\
        --outcome cigsale --treated California --start 1989 \\
        --predictor retprice@1980-1988 --predictor cigsale@1975 --placebos [--json]
    python -m mobilise.engines.evaluation.cli did PANEL.csv --unit store --time wave \\
        --outcome fte --treated-col nj --start 1 [--cluster COL] [--design 2x2] [--json]

Bad input (a missing column, an unknown unit, no pre-period, too few donors, a value that is not a
number) exits with status 2 and a message naming the file, column and row.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any, TextIO

from .panel import PanelError, parse_number, read_panel_csv


def _number(text: str) -> float:
    try:
        value = parse_number(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if math.isnan(value):
        raise argparse.ArgumentTypeError("a number is needed")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mobilise evaluate",
        description="Estimate the effect of an intervention from a panel CSV (one row per unit and period).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    synth = commands.add_parser("synth", help="synthetic control for one treated unit")
    _common(synth)
    synth.add_argument("--treated", required=True, metavar="UNIT", help="the treated unit")
    synth.add_argument(
        "--start", required=True, type=_number, metavar="T", help="first treated period"
    )
    synth.add_argument(
        "--predictor",
        action="append",
        default=[],
        metavar="COL[@YEARS]",
        help="mean of COL over YEARS (a year, FROM-TO or a comma list; default: the pre-period); repeatable",
    )
    synth.add_argument("--fit-from", type=_number, metavar="T", help="first period of the fit")
    synth.add_argument("--fit-to", type=_number, metavar="T", help="last period of the fit")
    synth.add_argument("--donors", metavar="U1,U2,…", help="donor pool (default: every other unit)")
    synth.add_argument("--placebos", action="store_true", help="placebo-in-space test and p-value")
    synth.add_argument(
        "--placebo-time", type=_number, metavar="T", help="also a placebo start at T"
    )
    synth.add_argument("--leave-one-out", action="store_true", help="also refit without each donor")
    synth.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="processes for the placebos (default 1)"
    )

    did = commands.add_parser("did", help="difference-in-differences")
    _common(did)
    group = did.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "--treated-col", metavar="COL", help="0/1 column: the unit is in the treated group"
    )
    group.add_argument("--treated", metavar="U1,U2,…", help="the treated units")
    when = did.add_mutually_exclusive_group(required=True)
    when.add_argument("--post-col", metavar="COL", help="0/1 column: the period is after treatment")
    when.add_argument("--start", type=_number, metavar="T", help="first treated period")
    did.add_argument(
        "--cluster", metavar="COL", help="cluster standard errors by COL (default: unit)"
    )
    did.add_argument("--design", choices=("twfe", "2x2"), default="twfe", help="default: twfe")
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="PANEL.csv")
    parser.add_argument("--unit", required=True, metavar="COL", help="column naming the unit")
    parser.add_argument("--time", required=True, metavar="COL", help="column giving the period")
    parser.add_argument("--outcome", required=True, metavar="COL")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _names(text: str) -> list[str]:
    return [s.strip() for s in text.split(",") if s.strip()]


def _run_synth(args: argparse.Namespace) -> dict[str, Any]:
    from .synth import Predictor, SyntheticControl

    predictors = [Predictor.parse(p) for p in args.predictor]
    columns = list(dict.fromkeys([args.outcome, *(p.column for p in predictors)]))
    panel = read_panel_csv(args.file, unit=args.unit, time=args.time, columns=columns)
    model = SyntheticControl(
        predictors or None,
        fit_from=args.fit_from,
        fit_to=args.fit_to,
        donors=_names(args.donors) if args.donors else None,
        placebos=args.placebos,
        placebo_time=args.placebo_time,
        leave_one_out=args.leave_one_out,
        n_jobs=max(1, args.jobs),
    )
    try:
        model.fit(panel, outcome=args.outcome, treated=args.treated, start=args.start)
    except PanelError:
        raise
    except ValueError as exc:
        raise PanelError(f"{args.file}: {exc}") from None
    return model.result_.to_dict()


def _run_did(args: argparse.Namespace) -> dict[str, Any]:
    from .did import DifferenceInDifferences

    numeric = [args.outcome, *(c for c in (args.treated_col, args.post_col) if c)]
    labels = [args.cluster] if args.cluster else []
    panel = read_panel_csv(
        args.file,
        unit=args.unit,
        time=args.time,
        columns=list(dict.fromkeys(numeric)),
        labels=labels,
    )
    model = DifferenceInDifferences(design=args.design, cluster=args.cluster)
    try:
        model.fit(
            panel,
            outcome=args.outcome,
            treated=_names(args.treated) if args.treated else None,
            treated_col=args.treated_col,
            start=args.start,
            post_col=args.post_col,
        )
    except PanelError:
        raise
    except ValueError as exc:
        raise PanelError(f"{args.file}: {exc}") from None
    return model.result_.to_dict()


def _g(x: float) -> str:
    return f"{x:.4g}"


def _print_synth(data: dict[str, Any], out: TextIO) -> None:
    print(data["summary"], file=out)
    print(file=out)
    print("Donor weights:", file=out)
    for unit, w in sorted(data["weights"].items(), key=lambda kv: -kv[1]):
        if w >= 0.001:
            print(f"  {unit}: {w:.3f}", file=out)
    if len(data["predictor_weights"]) > 1:
        print("Predictor weights:", file=out)
        for name, v in data["predictor_weights"].items():
            print(f"  {name}: {v:.3f}", file=out)
    print(f"Pre-period RMSPE: {_g(data['pre_rmspe'])}", file=out)
    print(f"Effect (mean post-period gap): {_g(data['effect'])}", file=out)
    if "p_value" in data:
        print(f"Placebo p-value: {data['p_value']:.3f}", file=out)


def _print_did(data: dict[str, Any], out: TextIO) -> None:
    for key in ("estimate", "se", "ci_low", "ci_high"):
        print(f"{key}: {_g(data[key])}", file=out)
    print(f"n: {data['n']}", file=out)
    print(f"clusters: {data['n_clusters']}", file=out)
    print(file=out)
    print(data["summary"], file=out)


def main(
    argv: list[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; returns the exit status (0 on success, 2 on bad input)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args = _parser().parse_args(argv)
    try:
        data = _run_synth(args) if args.command == "synth" else _run_did(args)
    except (OSError, ValueError) as exc:
        print(f"mobilise evaluate: error: {exc}", file=err)
        return 2
    if args.json:
        if args.command == "did":
            data = {
                k: data[k]
                for k in (
                    "estimate",
                    "se",
                    "ci_low",
                    "ci_high",
                    "n",
                    "n_clusters",
                    "p_value",
                    "summary",
                )
            }
        json.dump(data, out, ensure_ascii=False, indent=2)
        print(file=out)
    elif args.command == "synth":
        _print_synth(data, out)
    else:
        _print_did(data, out)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
