"""Every project gets an explanation a resident can read."""

from __future__ import annotations

from pathlib import Path

import pytest

from mobilise.engines.budgeting import (
    GreedyUtilitarian,
    MethodOfEqualShares,
    SequentialPhragmen,
    read_pb,
)

from .conftest import DATA, SHIPPED

SWIECIE = DATA / "Poland_Swiecie_2023.pb"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_project_is_explained(path: Path) -> None:
    election = read_pb(path)
    rules = [GreedyUtilitarian(), MethodOfEqualShares(completion="add1-utilitarian")]
    if election.vote_type in ("approval", "choose-1"):
        rules.append(SequentialPhragmen())
    for rule in rules:
        fitted = rule.fit(election)
        explanations = fitted.explanations_
        assert list(explanations) == list(election.project_ids)
        for pid, e in explanations.items():
            assert e.reason and e.reason[0].isupper() and e.reason.endswith((".", ")"))
            assert e.selected == (pid in fitted.selected_)
            assert e.selected == e.reason.startswith("Funded")
            if e.selected:
                assert fitted.selected_[e.position - 1] == pid
        assert fitted.total_cost_ <= fitted.budget_


def test_mes_explanations_give_effective_votes() -> None:
    fitted = MethodOfEqualShares(completion="add1").fit(read_pb(SWIECIE))
    c21 = fitted.explanations_["c21"]
    assert c21.selected and c21.stage == "equal shares" and c21.round == 4
    assert c21.effective_votes is not None and c21.effective_votes < c21.votes == 501
    assert (
        f"as if {c21.effective_votes:,.1f} voters paid equal shares (its effective vote count)"
        in c21.reason
    )
    assert "had less than a full share left and paid all they had" in c21.reason
    c8 = fitted.explanations_["c8"]
    assert not c8.selected and "less than its cost of 413,000 PLN" in c8.reason
    c16 = fitted.explanations_["c16"]
    assert "effective votes at the start: 279.0" in c16.reason
    assert "after round" in c16.reason
    assert any("645.11 PLN" in note for note in fitted.result_.notes)
    assert fitted.effective_votes_["c21"] == c21.effective_votes


def test_greedy_explanations_give_rank_and_fit() -> None:
    fitted = GreedyUtilitarian().fit(read_pb(SWIECIE))
    c12 = fitted.explanations_["c12"]
    assert c12.rank == 1 and "ranked 1st of 22 by number of votes (1,030 votes)" in c12.reason
    assert "fitted in the 1,070,000 PLN still available" in c12.reason
    skipped = [e for e in fitted.explanations_.values() if not e.selected]
    assert all("was left, less than its cost" in e.reason for e in skipped)
