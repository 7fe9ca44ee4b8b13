"""The rules on small worked examples, including ties and the add1 stopping rule."""

from __future__ import annotations

from fractions import Fraction

import pytest

from mobilise.engines._validation import NotFittedError
from mobilise.engines.budgeting import (
    GreedyUtilitarian,
    MethodOfEqualShares,
    PBElection,
    SequentialPhragmen,
    make_rule,
)

from .conftest import election

# --- greedy -----------------------------------------------------------------------------------


def test_greedy_by_votes_skips_what_does_not_fit() -> None:
    e = election({"P1": 80, "P2": 30, "P3": 20}, ["P1,P2,P3"] * 3 + ["P1,P2"] + ["P1"], budget=100)
    fitted = GreedyUtilitarian().fit(e)
    assert fitted.selected_ == ("P1", "P3")
    assert fitted.total_cost_ == 100 and fitted.budget_ == 100
    p2 = fitted.explanations_["P2"]
    assert not p2.selected and p2.rank == 2 and p2.score == 4
    assert "ranked 2nd of 3 by number of votes (4 votes)" in p2.reason
    assert "only 20 GBP was left" in p2.reason
    assert fitted.explanations_["P3"].position == 2


def test_greedy_by_cardinality_ranks_votes_per_cost() -> None:
    e = election({"big": 90, "small": 10}, ["big", "big", "small"], budget=95)
    assert GreedyUtilitarian().fit(e).selected_ == ("big",)
    # 1 vote per 10 beats 2 votes per 90.
    assert GreedyUtilitarian(satisfaction="cardinality").fit(e).selected_ == ("small",)


def test_greedy_ties_go_to_the_lower_id_as_text() -> None:
    # "10" sorts before "9" as text, as in pabutools' lexicographic tie-breaking.
    e = election({"9": 50, "10": 50}, ["9", "10"], budget=50)
    assert GreedyUtilitarian().fit(e).selected_ == ("10",)


def test_greedy_funds_unsupported_projects_last_if_they_fit() -> None:
    # pabutools does this too: a project nobody voted for has score 0 but is still taken if it fits.
    e = election({"A": 50, "B": 20}, ["A"], budget=100)
    fitted = GreedyUtilitarian().fit(e)
    assert fitted.selected_ == ("A", "B")


# --- Method of Equal Shares ---------------------------------------------------------------------


def test_mes_worked_example(four_voters: PBElection) -> None:
    fitted = MethodOfEqualShares().fit(four_voters)
    assert fitted.selected_ == ("A",)
    assert fitted.voter_share_ == 25
    a = fitted.explanations_["A"]
    assert a.round == 1 and a.effective_votes == pytest.approx(3.0)
    assert "each paying at most 20 GBP" in a.reason and "effective vote count" in a.reason
    b = fitted.explanations_["B"]
    assert (
        "after round 1 they had 30 GBP left between them, less than its cost of 40 GBP" in b.reason
    )
    assert fitted.explanations_["C"].effective_votes is None  # one share of 25 never covered 30


def test_mes_add1_stops_when_exhaustive(four_voters: PBElection) -> None:
    # Shares of 26..29 still fund only A; at 30, B's supporters have 10 + 30 = 40 and B is funded:
    # A and B cost 100, so nothing else fits and add1 stops there.
    fitted = MethodOfEqualShares(completion="add1").fit(four_voters)
    assert fitted.selected_ == ("A", "B")
    assert fitted.add1_steps_ == 5 and fitted.voter_share_ == 30
    assert fitted.result_.details["stopped_by"] == "exhaustive"
    assert any("5 times, to 30 GBP" in note for note in fitted.result_.notes)


def test_mes_add1_without_exhaustive_stop_goes_on_until_overspending(
    four_voters: PBElection,
) -> None:
    # With the exhaustive stop off, shares keep rising while the outcome fits. From a share of 40,
    # voter 3 can pay a full half of B (20), so voter 4 keeps s − 20; at 50 that covers C (30) too,
    # and A + B + C overspend: the answer is the outcome at 49.
    fitted = MethodOfEqualShares(completion="add1", exhaustive_stop=False).fit(four_voters)
    assert fitted.selected_ == ("A", "B")
    assert fitted.add1_steps_ == 24 and fitted.voter_share_ == 49
    assert fitted.result_.details["stopped_by"] == "overspend"


def test_mes_add1_increment(four_voters: PBElection) -> None:
    fitted = MethodOfEqualShares(completion="add1", increment="2.5").fit(four_voters)
    assert fitted.voter_share_ == 30 and fitted.add1_steps_ == 2


def test_mes_utilitarian_completion(four_voters: PBElection) -> None:
    fitted = MethodOfEqualShares(completion="utilitarian").fit(four_voters)
    assert fitted.selected_ == ("A", "B")
    b = fitted.explanations_["B"]
    assert b.stage == "completion" and b.position == 2
    assert "Funded by the utilitarian completion" in b.reason
    assert "could not fit it either" in fitted.explanations_["C"].reason


def test_mes_exact_tie_goes_to_the_lower_id() -> None:
    # Same cost, same number of supporters: exactly the same price, so the id "10" < "9" wins.
    e = election({"9": 50, "10": 50}, ["9", "9", "10", "10"], budget=100)
    assert MethodOfEqualShares().fit(e).selected_ == ("10", "9")


def test_mes_tie_after_supporters_run_dry() -> None:
    # After X is funded its supporters are at exactly zero; Y and Z then each cost 1/2 per unit
    # of cost among their remaining paying supporters: an exact tie broken by id.
    e = election(
        {"X": 40, "Y": 20, "Z": 20},
        ["X", "X,Y", "X,Z", "X", "Y", "Y", "Z", "Z"],
        budget=80,
    )
    fitted = MethodOfEqualShares().fit(e)
    assert fitted.selected_[0] == "X"
    assert fitted.selected_[1:] == ("Y", "Z")


def test_mes_free_projects() -> None:
    e = election({"A": 50, "free": 0, "nobody": 0}, ["A", "A,free"], budget=50)
    # With votes as satisfaction a supported free project is funded before the first round ...
    fitted = MethodOfEqualShares(satisfaction="cardinality").fit(e)
    assert fitted.selected_ == ("free", "A")
    assert fitted.explanations_["free"].stage == "free"
    assert not fitted.explanations_["nobody"].selected
    # ... but cost satisfaction values a free project at nothing, so MES ignores it (as pabutools).
    assert MethodOfEqualShares().fit(e).selected_ == ("A",)


def test_mes_with_points() -> None:
    e = election(
        {"A": 30, "B": 30},
        ["A,B", "A,B", "B"],
        points=["3,1", "1,1", "2"],
        budget=60,
        vote_type="cumulative",
    )
    fitted = MethodOfEqualShares().fit(e)  # points satisfaction by default
    assert fitted.result_.settings["satisfaction"] == "points"
    assert set(fitted.selected_) <= {"A", "B"} and fitted.selected_


def test_mes_no_voters_funds_nothing() -> None:
    e = election({"A": 10}, [], budget=10)
    fitted = MethodOfEqualShares(completion="add1").fit(e)
    assert fitted.selected_ == () and fitted.total_cost_ == 0


# --- Phragmén ------------------------------------------------------------------------------------


def test_phragmen_worked_example(four_voters: PBElection) -> None:
    # Round 1: A would leave its supporters at 60/3 = 20, B at 40/2 = 20 (tie, A first), C at 30.
    # Round 2: B → (20 + 0 + 40)/2 = 30, C → 30/1 = 30; tie, B first. Round 3: C does not fit: stop.
    fitted = SequentialPhragmen().fit(four_voters)
    assert fitted.selected_ == ("A", "B")
    assert fitted.explanations_["B"].round == 2
    assert "load of 30 GBP" in fitted.explanations_["B"].reason
    assert "did not fit" in fitted.explanations_["C"].reason


def test_phragmen_needs_approval_ballots() -> None:
    e = election({"A": 10}, ["A"], points=["1"], budget=10, vote_type="cumulative")
    with pytest.raises(ValueError, match="approval or choose-1 ballots"):
        SequentialPhragmen().fit(e)


# --- conventions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", ["greedy", "mes", "phragmen"])
def test_reading_results_before_fit_raises(rule: str) -> None:
    with pytest.raises(NotFittedError, match="call fit"):
        _ = make_rule(rule).selected_


def test_init_stores_hyperparameters_only() -> None:
    rule = MethodOfEqualShares(completion="add1", increment=2)
    assert rule.get_params() == {
        "satisfaction": None,
        "completion": "add1",
        "increment": 2,
        "exhaustive_stop": True,
    }
    assert "completion='add1'" in repr(rule)


@pytest.mark.parametrize(
    ("hyper", "message"),
    [
        ({"completion": "add2"}, "completion must be one of"),
        ({"increment": 0}, "increment must be a positive number"),
        ({"increment": "lots"}, "increment must be a positive number"),
        ({"exhaustive_stop": "yes"}, "exhaustive_stop must be True or False"),
        ({"satisfaction": "borda"}, "does not apply to approval ballots"),
    ],
)
def test_bad_settings_raise_value_errors(
    hyper: dict[str, object], message: str, four_voters: PBElection
) -> None:
    with pytest.raises(ValueError, match=message):
        MethodOfEqualShares(**hyper).fit(four_voters)  # type: ignore[arg-type]


def test_fit_needs_an_election() -> None:
    with pytest.raises(ValueError, match="needs a PBElection"):
        GreedyUtilitarian().fit("election.pb")  # type: ignore[arg-type]


def test_make_rule_rejects_unknown_rules() -> None:
    with pytest.raises(ValueError, match="rule must be one of"):
        make_rule("dhondt")


def test_result_totals_are_exact(four_voters: PBElection) -> None:
    result = MethodOfEqualShares(completion="add1").fit(four_voters).result_
    assert isinstance(result.total_cost, Fraction) and result.leftover == 0
    assert result.to_dict()["total_cost"] == 100
