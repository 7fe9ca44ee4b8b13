"""Fidelity: California's Proposition 99 (Abadie, Diamond & Hainmueller 2010)."""

from __future__ import annotations

import pytest

from mobilise.engines.evaluation import Panel, SyntheticControl, SynthResult

from .conftest import ADH_PREDICTORS

# Table 2 of the paper: state weights in synthetic California (all others 0).
PUBLISHED_WEIGHTS = {
    "Colorado": 0.164,
    "Connecticut": 0.069,
    "Montana": 0.199,
    "Nevada": 0.234,
    "Utah": 0.334,
}
PUBLISHED_PRE_RMSPE = 1.76


@pytest.fixture(scope="module")
def california(smoking: Panel) -> SynthResult:
    model = SyntheticControl(ADH_PREDICTORS, placebos=True, leave_one_out=True)
    return model.fit(smoking, outcome="cigsale", treated="California", start=1989).result_


def test_weights_match_the_published_ones_to_two_decimals(california: SynthResult) -> None:
    for state, weight in california.weights.items():
        assert weight == pytest.approx(PUBLISHED_WEIGHTS.get(state, 0.0), abs=0.005), state
    assert sum(california.weights.values()) == pytest.approx(1.0)


def test_pre_period_rmspe_within_five_percent_of_published(california: SynthResult) -> None:
    assert california.pre_rmspe == pytest.approx(PUBLISHED_PRE_RMSPE, rel=0.05)


def test_fit_is_at_least_as_good_as_the_published_weights(
    smoking: Panel, california: SynthResult
) -> None:
    y = smoking.column("cigsale")
    pre = smoking.times < 1989
    synthetic = sum(w * y[smoking.unit_index(u)] for u, w in PUBLISHED_WEIGHTS.items())
    gap = (y[smoking.unit_index("California")] - synthetic)[pre]
    assert california.mspe_loss <= float((gap**2).mean()) + 1e-9


def test_effect_and_placebo_rank(california: SynthResult) -> None:
    # The paper: about 26 packs fewer per capita by 2000, and California's post/pre ratio is the
    # largest of the 39 states (p = 1/39).
    assert california.gap[2000.0] == pytest.approx(-26, abs=2)
    assert california.effect < -15
    assert california.rank == 1
    assert california.p_value == pytest.approx(1 / 39)
    assert len(california.placebos) == 38


def test_leave_one_out_keeps_the_sign(california: SynthResult) -> None:
    assert set(california.leave_one_out) == set(PUBLISHED_WEIGHTS)
    assert all(effect < -10 for effect in california.leave_one_out.values())


def test_summary_states_uncertainty(california: SynthResult) -> None:
    text = california.summary()
    assert "lower than its synthetic control" in text
    assert "ranks 1 of 39" in text and "p = 0.026" in text
    assert text.endswith("Evidence of an effect: strong.")
