"""Identical selections to pabutools on the shipped sample, for every rule, completion and satisfaction.

pabutools reruns MES one currency unit at a time for add1 and takes from seconds to minutes on these
files, so by default the add1 cases run on the three smallest elections (and Assen, the official MES
election, with cost satisfaction), and Wieliczka (6,586 voters) is left out; set
``MOBILISE_SLOW_TESTS=1`` to add every other combination (about ten minutes).
``benchmarks/budgeting_equivalence.py`` does the same over the whole shared Pabulib collection.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from mobilise.engines.budgeting import make_rule, read_pb
from mobilise.engines.budgeting._profile import _ALLOWED
from mobilise.engines.budgeting.reference import pabutools_selection, same_outcome

from .conftest import SHIPPED

SLOW = os.environ.get("MOBILISE_SLOW_TESTS") == "1"
FAST_ADD1 = {
    "US_Stanford_Dataset_Merced_Peoples_Budget_Ballot_2019_vote_rankings.pb",
    "Poland_Zabrze_2021_Konczyce.pb",
    "US_Stanford_Dataset_PB_Greensboro_District_4_2016_vote_approvals.pb",
}
OVERSPEND_QUICK = {
    ("Poland_Zabrze_2021_Konczyce.pb", "cardinality"),
    ("US_Stanford_Dataset_PB_Greensboro_District_4_2016_vote_approvals.pb", "cost"),
}
SETTINGS = [
    ("greedy", "none", True),
    ("mes", "none", True),
    ("mes", "utilitarian", True),
    ("mes", "add1", True),
    ("mes", "add1", False),
    ("mes", "add1-utilitarian", True),
    ("phragmen", "none", True),
]


def _cases() -> list[Any]:
    cases: list[Any] = []
    for path in SHIPPED:
        vote_type = read_pb(path).vote_type
        for satisfaction in _ALLOWED[vote_type]:
            for rule, completion, exhaustive_stop in SETTINGS:
                if rule == "phragmen" and (
                    vote_type not in ("approval", "choose-1") or satisfaction != "cost"
                ):
                    continue
                if not completion.startswith("add1"):
                    quick = "Wieliczka" not in path.name
                elif exhaustive_stop:
                    quick = path.name in FAST_ADD1 or (
                        path.name == "Netherlands_Assen_2024.pb" and satisfaction == "cost"
                    )
                else:  # stopping only on overspending takes pabutools many more reruns
                    quick = (path.name, satisfaction) in OVERSPEND_QUICK
                if not (quick or SLOW):
                    # Left out rather than skipped: the benchmark sweep covers these files.
                    continue
                stop = "" if exhaustive_stop else "-overspend"
                cases.append(
                    pytest.param(
                        path,
                        rule,
                        completion,
                        exhaustive_stop,
                        satisfaction,
                        id=f"{path.stem[:32]}-{satisfaction}-{rule}-{completion}{stop}",
                    )
                )
    return cases


@pytest.mark.parametrize(
    ("path", "rule", "completion", "exhaustive_stop", "satisfaction"), _cases()
)
def test_same_selection_as_pabutools(
    path: Path, rule: str, completion: str, exhaustive_stop: bool, satisfaction: str
) -> None:
    settings: dict[str, object] = {}
    if rule != "phragmen":
        settings["satisfaction"] = satisfaction
    if rule == "mes":
        settings.update(completion=completion, exhaustive_stop=exhaustive_stop)
    fitted = make_rule(rule, **settings).fit(read_pb(path))
    theirs = pabutools_selection(
        path,
        rule,
        satisfaction=satisfaction,
        completion=completion,
        exhaustive_stop=exhaustive_stop,
    )
    free = [e.project_id for e in fitted.explanations_.values() if e.stage == "free"]
    assert same_outcome(rule, fitted.selected_, theirs, free), (fitted.selected_, theirs)


HANDMADE = {
    "four-voters": (
        {"A": 60, "B": 40, "C": 30},
        ["A", "A", "A,B", "B,C"],
        {"budget": 100},
    ),
    "ties-by-id": ({"9": 50, "10": 50, "8": 50}, ["9", "9", "10", "10", "8"], {"budget": 100}),
    "free-and-unsupported": (
        {"A": 50, "free": 0, "nobody": 10, "nobody-free": 0},
        ["A", "A,free", "free"],
        {"budget": 70},
    ),
    "exhausted-supporters": (
        {"X": 30, "Y": 20, "Z": 20},
        ["X"] * 20 + ["X,Y"] * 5 + ["X,Z"] * 5 + ["Y"] * 20 + ["Z"] * 20,
        {"budget": 70},
    ),
    "scoring": (
        {"A": 40, "B": 30, "C": 30},
        ["A,B", "B,C", "A,C", "C"],
        {"budget": 70, "vote_type": "scoring", "points": ["3,1", "2,2", "1,0", "5"]},
    ),
    "cumulative-duplicate": (
        {"A": 40, "B": 30},
        ["A,B,A", "B"],
        {"budget": 70, "vote_type": "cumulative", "points": ["1,2,3", "4"]},
    ),
    "ordinal": (
        {"A": 40, "B": 30, "C": 30, "D": 10},
        ["A,B,C", "C,A", "B,D,A", "D"],
        {"budget": 80, "vote_type": "ordinal"},
    ),
}


@pytest.mark.parametrize("name", list(HANDMADE))
def test_handmade_edge_cases_match_pabutools(name: str, tmp_path: Path) -> None:
    from .conftest import make_pb

    costs, votes, options = HANDMADE[name]
    path = tmp_path / f"{name}.pb"
    path.write_text(make_pb(costs, votes, **options), encoding="utf-8")  # type: ignore[arg-type]
    election = read_pb(path, allow_repeats=True)  # "cumulative-duplicate" repeats on purpose
    for satisfaction in _ALLOWED[election.vote_type]:
        for rule, completion, exhaustive_stop in SETTINGS:
            if rule == "phragmen" and (
                election.vote_type not in ("approval", "choose-1") or satisfaction != "cost"
            ):
                continue
            settings: dict[str, object] = {}
            if rule != "phragmen":
                settings["satisfaction"] = satisfaction
            if rule == "mes":
                settings.update(completion=completion, exhaustive_stop=exhaustive_stop)
            fitted = make_rule(rule, **settings).fit(election)
            theirs = pabutools_selection(
                path,
                rule,
                satisfaction=satisfaction,
                completion=completion,
                exhaustive_stop=exhaustive_stop,
            )
            free = [e.project_id for e in fitted.explanations_.values() if e.stage == "free"]
            assert same_outcome(rule, fitted.selected_, theirs, free), (
                satisfaction,
                rule,
                completion,
                exhaustive_stop,
                fitted.selected_,
                theirs,
            )


@pytest.mark.parametrize("name", ["Poland_Zabrze_2021_Konczyce.pb", "Netherlands_Assen_2024.pb"])
def test_trimmed_pabutools_memo_changes_memory_not_results(name: str) -> None:
    """The sweeps trim pabutools' MES memo so add1 fits in memory; its selection must not move."""
    from pabutools.rules.mes import mes_rule

    from mobilise.engines.budgeting.reference import trimmed_mes_memo

    path = next(p for p in SHIPPED if p.name == name)
    as_is = pabutools_selection(path, "mes", completion="add1")
    original_init = mes_rule.MESVoter.__init__

    def spy_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        voters.append(self)

    voters: list[Any] = []
    mes_rule.MESVoter.__init__ = spy_init  # type: ignore[method-assign]
    try:
        with trimmed_mes_memo():
            trimmed = pabutools_selection(path, "mes", completion="add1")
    finally:
        mes_rule.MESVoter.__init__ = original_init  # type: ignore[method-assign]
    assert trimmed == as_is
    # Every memo holds values for one budget only (the last one the voter had), not one per rerun.
    assert voters and all(len({b for _, b in v.budget_over_sat_map}) <= 1 for v in voters)
    assert mes_rule.MESVoter.budget_over_sat_project.__name__ == "budget_over_sat_project"


def test_add1_checkpoint_script_agrees_on_shipped_files(capsys: pytest.CaptureFixture[str]) -> None:
    """The script that checks forint-sized add1 searches against pabutools, run on shipped files."""
    import importlib.util

    script = Path(__file__).resolve().parents[4] / "benchmarks" / "budgeting_add1_checkpoints.py"
    spec = importlib.util.spec_from_file_location("budgeting_add1_checkpoints", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data = SHIPPED[0].parent
    names = "Poland_Zabrze_2021_Konczyce.pb,Netherlands_Assen_2024.pb"
    assert module.main([str(data), "--only", names, "--samples", "5"]) == 0
    out = capsys.readouterr().out
    assert out.count(": identical") == 2, out
