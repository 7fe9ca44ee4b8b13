"""The command line: ``run`` and ``compare``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from mobilise.engines.budgeting import PBFormatError, read_pb
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


# ---- bad files (issue #16, defect 7) -----------------------------------------------------------
_GOOD = make_pb({"A": 60, "B": 40}, ["A", "A,B"], budget=100)
BAD_FILES = {
    "truncated-last-line": (_GOOD.rstrip("\n").rsplit(";", 1)[0], "line 19, column 3", "cut short"),
    "400-digit-budget": (_GOOD.replace("budget;100", "budget;" + "9" * 400), "line 8, column 8", "too long"),
    "huge-budget": (_GOOD.replace("budget;100", "budget;1e30"), "line 8, column 8", "more than"),
    "huge-cost": (_GOOD.replace("A;60;", "A;1" + "0" * 20 + ";"), "line 14, column 3", "more than"),
    "negative-num-votes": (_GOOD.replace("num_projects;2", "num_projects;2\nnum_votes;-2"), "line 8, column 11", "num_votes must be a whole number"),
    "repeated-project": (_GOOD.replace("v2;A,B", "v2;A,B,A"), "line 19, column 4", "lists project 'A' more than once"),
    "negative-project-votes": (_GOOD.replace("project_id;cost;name\nA;60;Project A", "project_id;cost;name;votes\nA;60;Project A;-3").replace("B;40;Project B", "B;40;Project B;1"), "line 14, column 16", "whole number"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_is_refused_naming_file_line_and_column(name: str, tmp_path: Path) -> None:
    text, where, message = BAD_FILES[name]
    path = tmp_path / f"{name}.pb"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PBFormatError) as caught:
        read_pb(path)
    assert str(caught.value).startswith(f"{name}.pb, {where}: "), str(caught.value)
    assert message in str(caught.value)
    code, out, err = _run("run", str(path), "--rule", "mes")
    assert code == 2 and out == "" and f"{name}.pb, {where}" in err


def test_a_file_that_is_not_utf8_names_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin1.pb"
    path.write_bytes(_GOOD.replace("Project B", "Projet Bé").encode("latin-1"))
    with pytest.raises(
        PBFormatError, match=r"^latin1\.pb, line 15, column 14: the file is not UTF-8"
    ):
        read_pb(path)
    code, _, err = _run("run", str(path), "--rule", "greedy")
    assert code == 2 and "latin1.pb, line 15" in err
