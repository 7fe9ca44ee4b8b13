"""The command line, run as a separate process the way people will run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA, SMOKING

CK = DATA / "card_krueger.csv"


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mobilise.engines.evaluation.cli", *argv],
        capture_output=True,
        text=True,
        timeout=300,
    )


SYNTH = ["synth", str(SMOKING), "--unit", "state", "--time", "year", "--outcome", "cigsale"]


def test_synth_json_with_the_published_predictors() -> None:
    preds = [
        "lnincome@1980-1988",
        "retprice@1980-1988",
        "age15to24@1980-1988",
        "beer@1984-1988",
        "cigsale@1975",
        "cigsale@1980",
        "cigsale@1988",
    ]
    args = [*SYNTH, "--treated", "California", "--start", "1989", "--json"]
    for p in preds:
        args += ["--predictor", p]
    done = _run(*args)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["weights"]["Utah"] == pytest.approx(0.334, abs=0.005)
    assert data["pre_rmspe"] == pytest.approx(1.76, rel=0.05)
    assert set(data) >= {"weights", "predictor_weights", "pre_rmspe", "gap", "effect"}
    assert "p_value" not in data
    assert len(data["gap"]) == 31


def test_synth_text_with_placebos_on_a_small_donor_pool() -> None:
    donors = "Utah,Nevada,Montana,Colorado,Connecticut,Idaho,Texas,Ohio"
    done = _run(
        *SYNTH,
        "--treated",
        "California",
        "--start",
        "1989",
        "--donors",
        donors,
        "--placebos",
        "--jobs",
        "2",
    )
    assert done.returncode == 0, done.stderr
    assert "Donor weights:" in done.stdout
    assert "Placebo p-value: 0.111" in done.stdout  # ranks 1 of 9
    assert "Evidence of an effect:" in done.stdout


def test_did_text_and_json() -> None:
    base = ["did", str(CK), "--unit", "store", "--time", "wave", "--outcome", "fte"]
    done = _run(*base, "--treated-col", "nj", "--start", "1", "--design", "2x2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == ["estimate: 2.754", "se: 1.307"]
    assert "n: 794" in done.stdout
    done = _run(*base, "--treated-col", "nj", "--start", "1", "--json")
    data = json.loads(done.stdout)
    assert data["estimate"] == pytest.approx(2.75)
    assert set(data) >= {"estimate", "se", "ci_low", "ci_high", "n"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--outcome", "packs", "--treated", "California", "--start", "1989"], "no column 'packs'"),
        (["--outcome", "cigsale", "--treated", "Atlantis", "--start", "1989"], "unit 'Atlantis'"),
        (["--outcome", "cigsale", "--treated", "California", "--start", "1970"], "no pre-period"),
        (
            [
                "--outcome",
                "cigsale",
                "--treated",
                "California",
                "--start",
                "1989",
                "--donors",
                "Utah",
            ],
            "at least 2 donor units",
        ),
    ],
)
def test_synth_bad_input_exits_2(extra: list[str], message: str) -> None:
    done = _run("synth", str(SMOKING), "--unit", "state", "--time", "year", *extra)
    assert done.returncode == 2
    assert message in done.stderr and str(SMOKING) in done.stderr


def test_non_numeric_value_names_file_row_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "panel.csv"
    bad.write_text("unit,t,y,g\na,1,1,1\na,2,2,1\nb,1,3,0\nb,2,lots,0\n", encoding="utf-8")
    done = _run(
        "did",
        str(bad),
        "--unit",
        "unit",
        "--time",
        "t",
        "--outcome",
        "y",
        "--treated-col",
        "g",
        "--start",
        "2",
    )
    assert done.returncode == 2
    assert f"{bad}, row 5, column 'y': 'lots' is not a number" in done.stderr


def test_did_missing_column(tmp_path: Path) -> None:
    done = _run(
        "did",
        str(CK),
        "--unit",
        "store",
        "--time",
        "wave",
        "--outcome",
        "fte",
        "--treated-col",
        "state",
        "--start",
        "1",
    )
    assert done.returncode == 2
    assert "no column 'state'" in done.stderr


def test_did_post_column_and_few_clusters_warning() -> None:
    done = _run(
        "did",
        str(CK),
        "--unit",
        "store",
        "--time",
        "wave",
        "--outcome",
        "fte",
        "--treated-col",
        "nj",
        "--post-col",
        "wave",
        "--cluster",
        "nj",
        "--design",
        "2x2",
    )
    assert done.returncode == 0, done.stderr
    assert "estimate: 2.754" in done.stdout and "clusters: 2" in done.stdout
    assert "With only 2 clusters the cluster-robust standard error may be too small." in done.stdout
