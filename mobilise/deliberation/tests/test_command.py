"""``mobilise opinion analyse DIR --json`` through the console script's entry point."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from mobilise.cli import main

POLIS = Path(settings.BASE_DIR) / "data" / "polis"


def test_analyse_prints_the_json_the_issue_asks_for(capsys):
    main(["mobilise", "opinion", "analyse", str(POLIS / "15-per-hour-seattle"), "--json"])
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"groups", "repness", "consensus", "group_aware_consensus"}
    assert len(set(result["groups"].values())) == 2  # Pol.is also found two groups
    assert len(result["groups"]) == 138
    assert set(result["consensus"]) == {"agree", "disagree"}
    assert all(isinstance(s, int) for ids in result["repness"].values() for s in ids)


def test_analyse_prints_a_readable_report_without_json(capsys):
    main(["mobilise", "opinion", "analyse", str(POLIS / "london.youth.policing")])
    out = capsys.readouterr().out
    assert "participants" in out and "opinion group" in out


def test_a_folder_without_votes_is_a_clear_error(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["mobilise", "opinion", "analyse", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "no votes to read" in capsys.readouterr().err
