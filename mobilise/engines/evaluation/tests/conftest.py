from pathlib import Path

import pytest

from mobilise.engines.evaluation import Panel, read_panel_csv

DATA = Path(__file__).parent / "data"
SMOKING = DATA / "smoking.csv"

# Abadie, Diamond & Hainmueller (2010), Table 1's predictors.
ADH_PREDICTORS = [
    "lnincome@1980-1988",
    "retprice@1980-1988",
    "age15to24@1980-1988",
    "beer@1984-1988",
    "cigsale@1975",
    "cigsale@1980",
    "cigsale@1988",
]


@pytest.fixture(scope="session")
def smoking() -> Panel:
    return read_panel_csv(SMOKING, unit="state", time="year")
