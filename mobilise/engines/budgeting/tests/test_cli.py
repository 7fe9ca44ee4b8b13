"""The command line: ``run`` and ``compare``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from mobilise.engines.budgeting.cli import main

from .conftest import DATA, make_pb

ASSEN = DATA / "Netherlands_Assen_2024.pb"


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_run_prints_selection_cost_and_budget() -> None:
    code, out, _ = _run("run", str(ASSEN), "--rule", "mes", "--completion", "add1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Method of Equal Shares (satisfaction: cost, completion: add1")
    # The set Assen officially funded with equal shares in 2024.
    assert lines[1] == "Selected (9, in order): 3, 9, 11, 2, 13, 14, 5, 6, 12"
    assert lines[2] == "Total cost: 76,700 EUR"
    assert lines[3] == "Budget: 100,000 EUR (23,300 EUR left)"


@pytest.mark.parametrize("rule", ["greedy", "mes", "phragmen"])
def test_run_json(rule: str) -> None:
    code, out, _ = _run("run", str(ASSEN), "--rule", rule, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["rule"] == rule and data["budget"] == 100000 and data["currency"] == "EUR"
    assert data["selected"] and len(data["projects"]) == 14
    costs = {p["project_id"]: p["cost"] for p in data["projects"]}
    assert data["total_cost"] == sum(costs[pid] for pid in data["selected"])
    assert all(p["reason"] for p in data["projects"])


def test_run_explain_gives_every_project_a_reason() -> None:
    code, out, _ = _run("run", str(ASSEN), "--rule", "mes", "--explain")
    assert code == 0
    assert "effective vote count" in out
    assert out.count("): ") >= 14


def test_compare_side_by_side() -> None:
    code, out, _ = _run("compare", str(ASSEN))
    assert code == 0
    assert "Greedy utilitarian" in out and "Method of Equal Shares" in out
    row = next(line for line in out.splitlines() if line.startswith("8 "))
    assert row.split()[4:6] == ["3", "-"]  # greedy funds project 8 third; MES does not fund it
    assert "Both fund" in out
    code, out, _ = _run("compare", str(ASSEN), "--json", "--completion", "none")
    assert code == 0
    data = json.loads(out)
    assert data["greedy"]["rule"] == "greedy" and data["mes"]["settings"]["completion"] == "none"


def test_bad_input_exits_with_2_and_says_why(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pb"
    broken.write_text(make_pb({"A": 10}, ["A,Z"], budget=10), encoding="utf-8")
    code, out, err = _run("run", str(broken), "--rule", "greedy")
    assert code == 2 and out == ""
    assert "broken.pb, line" in err and "'Z'" in err
    code, _, err = _run("run", str(tmp_path / "missing.pb"), "--rule", "greedy")
    assert code == 2 and "No such file" in err
    code, _, err = _run("run", str(ASSEN), "--rule", "greedy", "--completion", "add1")
    assert code == 2 and "--completion applies only to --rule mes" in err


def test_unknown_rule_is_an_argparse_error() -> None:
    with pytest.raises(SystemExit) as caught:
        _run("run", str(ASSEN), "--rule", "dhondt")
    assert caught.value.code == 2
