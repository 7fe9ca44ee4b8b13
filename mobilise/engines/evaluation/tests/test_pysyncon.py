"""Against pysyncon (the dev extra), on Abadie, Diamond & Hainmueller's California specification.

pysyncon runs the same nested optimisation (``Synth``) with SciPy's optimisers. With the
regression-based starting V it stops at a higher pre-period MSPE than ours; the test checks that
ours is at least as good, and that both give Utah the most weight.
"""

from __future__ import annotations

import pytest

from mobilise.engines.evaluation import Panel, SyntheticControl

from .conftest import ADH_PREDICTORS, SMOKING

pd = pytest.importorskip("pandas")
pysyncon = pytest.importorskip("pysyncon")


def test_fits_at_least_as_well_as_pysyncon(smoking: Panel) -> None:
    df = pd.read_csv(SMOKING)
    dataprep = pysyncon.Dataprep(
        foo=df,
        predictors=["lnincome", "retprice", "age15to24"],
        predictors_op="mean",
        time_predictors_prior=range(1980, 1989),
        special_predictors=[
            ("beer", range(1984, 1989), "mean"),
            ("cigsale", [1975], "mean"),
            ("cigsale", [1980], "mean"),
            ("cigsale", [1988], "mean"),
        ],
        dependent="cigsale",
        unit_variable="state",
        time_variable="year",
        treatment_identifier="California",
        controls_identifier=sorted(set(df.state) - {"California"}),
        time_optimize_ssr=range(1970, 1989),
    )
    theirs = pysyncon.Synth()
    theirs.fit(dataprep=dataprep, optim_method="Nelder-Mead", optim_initial="ols")
    ours = SyntheticControl(ADH_PREDICTORS).fit(
        smoking, outcome="cigsale", treated="California", start=1989
    )
    assert ours.result_.mspe_loss <= float(theirs.loss_V) + 1e-9
    their_weights = dict(theirs.weights(threshold=0.001))
    assert max(their_weights, key=their_weights.get) == "Utah"
    assert max(ours.weights_, key=ours.weights_.get) == "Utah"
    assert {"Utah", "Nevada", "Colorado", "Connecticut"} <= set(their_weights)
