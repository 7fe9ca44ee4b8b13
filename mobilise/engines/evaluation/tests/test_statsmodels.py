"""Against statsmodels (the dev extra): OLS with ``cov_type="cluster"`` on Card & Krueger's data.

statsmodels' cluster-robust covariance is CR1 with the small-sample factor
G/(G − 1) × (N − 1)/(N − K), the one Stata's ``regress, vce(cluster)`` uses and the engine's 2×2
design reports. With store fixed effects as dummies statsmodels counts all of them in K, where the
engine (like ``xtreg, fe`` and ``reghdfe``) does not count effects nested in the clusters: the two
standard errors then differ by exactly √((N − K_statsmodels)/(N − K_engine)).
"""

from __future__ import annotations

import numpy as np
import pytest

from mobilise.engines.evaluation import DifferenceInDifferences, read_panel_csv

from .conftest import DATA

pd = pytest.importorskip("pandas")
smf = pytest.importorskip("statsmodels.formula.api")

CARD_KRUEGER = DATA / "card_krueger.csv"


@pytest.fixture(scope="module")
def stores():
    return pd.read_csv(CARD_KRUEGER).dropna(subset=["fte"])


def test_2x2_matches_statsmodels_cluster_robust_ols(stores) -> None:
    ref = smf.ols("fte ~ nj * wave", data=stores).fit(
        cov_type="cluster", cov_kwds={"groups": stores["store"]}
    )
    panel = read_panel_csv(CARD_KRUEGER, unit="store", time="wave")
    ours = (
        DifferenceInDifferences(design="2x2")
        .fit(panel, outcome="fte", treated_col="nj", start=1)
        .result_
    )
    assert ours.estimate == pytest.approx(ref.params["nj:wave"], rel=1e-9)
    assert ours.se == pytest.approx(ref.bse["nj:wave"], rel=1e-9)
    assert ours.n == int(ref.nobs)


def test_twfe_matches_statsmodels_store_dummies(stores) -> None:
    # Stores seen once are fitted exactly by their own dummy: they add nothing to the estimate
    # but count in N and G, as they do in ``xtreg, fe`` and in the engine.
    data = stores.assign(d=lambda f: f["nj"] * f["wave"])
    ref = smf.ols("fte ~ d + C(store) + C(wave)", data=data).fit(
        cov_type="cluster", cov_kwds={"groups": data["store"]}
    )
    panel = read_panel_csv(CARD_KRUEGER, unit="store", time="wave")
    ours = DifferenceInDifferences().fit(panel, outcome="fte", treated_col="nj", start=1).result_
    assert ours.estimate == pytest.approx(ref.params["d"], rel=1e-9)
    n, k_theirs = int(ref.nobs), len(ref.params)
    k_ours = 3  # d, the wave effect and the intercept the nested store effects stand for
    factor = np.sqrt((n - k_ours) / (n - k_theirs))
    assert ours.se * factor == pytest.approx(ref.bse["d"], rel=1e-9)
    assert (ours.n, ours.n_clusters) == (n, data["store"].nunique())
