"""``mobilise pb run|compare`` through the console script, on the shipped Pabulib files."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mobilise.cli import main

PABULIB = Path(__file__).resolve().parents[2] / "data" / "pabulib"
SWIECIE = str(PABULIB / "Poland_Swiecie_2023.pb")


def test_run_prints_the_mes_selection_as_json(capsys):
    main(["mobilise", "pb", "run", SWIECIE, "--rule", "mes", "--completion", "add1", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert result["rule"] == "mes"
    assert result["selected"][:4] == ["c12", "c10", "c20", "c21"]
    assert len(result["selected"]) == 17
    assert result["total_cost"] == 1_040_337 and result["budget"] == 1_070_000


def test_run_prints_text_and_compare_shows_both_rules(capsys):
    main(["mobilise", "pb", "run", SWIECIE, "--rule", "greedy"])
    out = capsys.readouterr().out
    assert "Selected (9, in order):" in out and "Budget: 1,070,000 PLN" in out
    main(["mobilise", "pb", "compare", str(PABULIB / "Netherlands_Assen_2024.pb")])
    out = capsys.readouterr().out
    assert "Greedy funds" in out and "MES funds" in out


def test_a_malformed_file_gives_an_error_naming_the_line(tmp_path, capsys):
    bad = tmp_path / "broken.pb"
    bad.write_text(
        "META\nkey;value\nbudget;100\nvote_type;approval\n"
        "PROJECTS\nproject_id;cost\nA;40\nB;lots\n"
        "VOTES\nvoter_id;vote\nv1;A\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as exit_:
        main(["mobilise", "pb", "run", str(bad), "--rule", "mes"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "broken.pb, line 8" in err


def test_call_command_works_too(tmp_path):
    out = StringIO()
    call_command("pb", "run", SWIECIE, "--rule", "phragmen", stdout=out)
    assert out.getvalue().startswith("Sequential Phragmén")
    with pytest.raises(CommandError):
        call_command("pb", "run", str(tmp_path / "missing.pb"), "--rule", "mes", stderr=StringIO())
