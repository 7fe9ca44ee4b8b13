"""Command line for the budgeting engine: ``run`` a rule on a ``.pb`` file, or ``compare`` greedy and MES.

The ``mobilise pb …`` management command will wrap :func:`main`; until then::

    python -m mobilise.engines.budgeting.cli run FILE.pb --rule mes --completion add1
    python -m mobilise.engines.budgeting.cli compare FILE.pb
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from . import COMPLETIONS, RULES, SATISFACTIONS, make_rule, read_pb
from .pabulib import PBElection
from .results import BudgetResult, format_money

_TITLES = {
    "greedy": "Greedy utilitarian",
    "mes": "Method of Equal Shares",
    "phragmen": "Sequential Phragmén",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mobilise pb",
        description="Decide which participatory-budgeting projects to fund, from a Pabulib .pb file.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run one rule and print what it funds")
    run.add_argument("file", metavar="FILE.pb")
    run.add_argument("--rule", choices=list(RULES), required=True)
    run.add_argument(
        "--completion",
        choices=COMPLETIONS,
        default="none",
        help="for --rule mes: how to spend what equal shares leaves (default: none)",
    )
    _common(run)
    run.add_argument(
        "--explain", action="store_true", help="also say why each project was or was not funded"
    )

    compare = commands.add_parser("compare", help="greedy (by votes) and MES side by side")
    compare.add_argument("file", metavar="FILE.pb")
    compare.add_argument(
        "--completion", choices=COMPLETIONS, default="add1", help="MES completion (default: add1)"
    )
    _common(compare)
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--satisfaction",
        choices=SATISFACTIONS,
        help="how voters' satisfaction is measured (default depends on the ballot type)",
    )
    parser.add_argument(
        "--increment",
        default="1",
        help="add1: how much each voter's share rises per step (default: 1)",
    )
    parser.add_argument(
        "--no-exhaustive-stop",
        action="store_true",
        help="add1: stop only when a larger share would overspend, not as soon as nothing else fits",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _mes_settings(args: argparse.Namespace) -> dict[str, object]:
    return {
        "satisfaction": args.satisfaction,
        "completion": args.completion,
        "increment": args.increment,
        "exhaustive_stop": not args.no_exhaustive_stop,
    }


def _title(result: BudgetResult) -> str:
    settings = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in result.settings.items())
    return f"{_TITLES[result.rule]} ({settings})" if settings else _TITLES[result.rule]


def _print_run(result: BudgetResult, explain: bool, out: TextIO) -> None:
    def money(amount: object) -> str:
        return format_money(amount, result.currency)  # type: ignore[arg-type]

    print(_title(result), file=out)
    print(
        f"Selected ({len(result.selected)}, in order): {', '.join(result.selected) or 'none'}",
        file=out,
    )
    print(f"Total cost: {money(result.total_cost)}", file=out)
    print(f"Budget: {money(result.budget)} ({money(result.leftover)} left)", file=out)
    if explain:
        for note in result.notes:
            print(f"\n{note}", file=out)
        print(file=out)
        for e in result.explanations.values():
            print(f"{e.project_id} ({e.name}): {e.reason}", file=out)


def _print_compare(
    election: PBElection, greedy: BudgetResult, mes: BudgetResult, out: TextIO
) -> None:
    def money(amount: object) -> str:
        return format_money(amount, greedy.currency)  # type: ignore[arg-type]

    g_pos = {pid: k + 1 for k, pid in enumerate(greedy.selected)}
    m_pos = {pid: k + 1 for k, pid in enumerate(mes.selected)}
    rows = sorted(greedy.explanations.values(), key=lambda e: (-e.votes, e.project_id))
    id_width = max([len("project")] + [len(e.project_id) for e in rows])
    cost_width = max([len("cost")] + [len(money(e.cost)) for e in rows])
    print(f"{_title(greedy)}  vs  {_title(mes)}", file=out)
    print("(numbers give the order in which each rule funded the project)", file=out)
    header = f"{'project':<{id_width}}  {'cost':>{cost_width}}  {'votes':>7}  {'greedy':>6}  {'MES':>6}  name"
    print(header, file=out)
    print("-" * len(header), file=out)
    for e in rows:
        g = str(g_pos.get(e.project_id, "-"))
        m = str(m_pos.get(e.project_id, "-"))
        print(
            f"{e.project_id:<{id_width}}  {money(e.cost):>{cost_width}}  {e.votes:>7,}  {g:>6}  {m:>6}  {e.name}",
            file=out,
        )
    both = len(set(greedy.selected) & set(mes.selected))
    print(file=out)
    print(f"Greedy funds {len(greedy.selected)} projects for {money(greedy.total_cost)}.", file=out)
    print(f"MES funds {len(mes.selected)} projects for {money(mes.total_cost)}.", file=out)
    print(
        f"Both fund {both}; only greedy {len(greedy.selected) - both}; only MES {len(mes.selected) - both}. "
        f"Budget: {money(election.budget)}.",
        file=out,
    )


def main(
    argv: list[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; returns the exit status (0 on success, 2 on bad input)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args = _parser().parse_args(argv)
    try:
        election = read_pb(args.file)
        if args.command == "run":
            if args.rule == "mes":
                rule = make_rule("mes", **_mes_settings(args))
            else:
                if args.completion != "none":
                    raise ValueError("--completion applies only to --rule mes.")
                rule = (
                    make_rule(args.rule)
                    if args.rule == "phragmen"
                    else make_rule(args.rule, satisfaction=args.satisfaction)
                )
            result = rule.fit(election).result_
            if args.json:
                json.dump(result.to_dict(), out, ensure_ascii=False, indent=2)
                print(file=out)
            else:
                _print_run(result, args.explain, out)
        else:
            greedy = make_rule("greedy", satisfaction=args.satisfaction).fit(election).result_
            mes = make_rule("mes", **_mes_settings(args)).fit(election).result_
            if args.json:
                json.dump(
                    {"greedy": greedy.to_dict(), "mes": mes.to_dict()},
                    out,
                    ensure_ascii=False,
                    indent=2,
                )
                print(file=out)
            else:
                _print_compare(election, greedy, mes, out)
    except (OSError, ValueError) as exc:
        print(f"mobilise pb: error: {exc}", file=err)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
