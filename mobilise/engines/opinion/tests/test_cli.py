"""``mobilise opinion analyse DIR``."""

import json
from pathlib import Path

import pytest

from mobilise.engines.opinion.cli import main


def test_json_output_shape(samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyse", str(samples / "15-per-hour-seattle"), "--json", "--seed", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"groups", "repness", "consensus", "group_aware_consensus"}
    assert all(isinstance(k, str) and isinstance(v, int) for k, v in data["groups"].items())
    n_groups = len(set(data["groups"].values()))
    assert sorted(data["repness"]) == [str(g) for g in range(n_groups)]
    assert all(isinstance(s, int) for lst in data["repness"].values() for s in lst)
    assert set(data["consensus"]) == {"agree", "disagree"}
    assert all(
        isinstance(s, int) for s in data["consensus"]["agree"] + data["consensus"]["disagree"]
    )
    assert len(data["group_aware_consensus"]) == 54
    assert all(0 <= v <= 1 for v in data["group_aware_consensus"].values())


def test_json_is_deterministic(samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["analyse", str(samples / "london.youth.policing"), "--json"])
    first = capsys.readouterr().out
    main(["analyse", str(samples / "london.youth.policing"), "--json"])
    assert capsys.readouterr().out == first


def test_human_output_and_write(
    samples: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["analyse", str(samples / "15-per-hour-seattle"), "--write", str(tmp_path / "out")])
        == 0
    )
    out = capsys.readouterr().out
    assert "339 participants, 54 statements, 2872 votes." in out
    assert "opinion group(s)" in out and "Group 0" in out
    assert (tmp_path / "out" / "participants-votes.csv").exists()


def test_bad_folder_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyse", str(tmp_path)]) == 2
    assert "neither votes.csv nor participants-votes.csv" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["frobnicate"])


def test_polis_history_clusters_whom_polis_rule_would_have(
    samples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Seattle ran before Pol.is's November 2017 fix, when votes on moderated-out statements
    counted towards the 7 needed: replaying that history groups people with fewer votes."""
    folder = str(samples / "15-per-hour-seattle")
    main(["analyse", folder, "--json"])
    plain = json.loads(capsys.readouterr().out)["groups"]
    main(["analyse", folder, "--json", "--polis-history"])
    replayed = json.loads(capsys.readouterr().out)["groups"]
    assert len(plain) == 138
    assert len(replayed) == 275
    assert set(plain) < set(replayed)
