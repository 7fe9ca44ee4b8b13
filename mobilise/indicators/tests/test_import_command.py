"""``mobilise indicators import``: the report on the terminal and the exit status."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mobilise.indicators.models import Observation
from mobilise.places.tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db

META = "indicators:\n  x:\n    title: X\n"


@pytest.fixture
def files(tmp_path):
    PlaceFactory(code="E09000007", name="Camden")
    good = tmp_path / "good.csv"
    good.write_text("indicator,geocode,period,value\nx,E09000007,2019,1\nx,E09000007,2020,2\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,geocode,period,value\nx,E09000007,2019,1\nx,E09000007,twenty,2\n")
    meta = tmp_path / "x.yaml"
    meta.write_text(META)
    return good, bad, meta


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("indicators_import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_is_imported_and_summarised(files):
    good, _bad, meta = files
    out, _err = run(str(good), "--meta", str(meta))
    assert "2 created, 0 updated, 0 unchanged" in out
    assert "x: 2 observations in 1 series" in out
    assert Observation.objects.count() == 2
    out, _err = run(str(good), "--meta", str(meta))
    assert "0 created, 0 updated, 2 unchanged" in out


def test_a_bad_file_exits_non_zero_with_the_report_and_writes_nothing(files):
    _good, bad, meta = files
    with pytest.raises(CommandError, match="Nothing was imported: 1 error"):
        call_command(
            "indicators_import", str(bad), "--meta", str(meta), stderr=(err := io.StringIO())
        )
    assert "bad.csv, row 3, column “period”" in err.getvalue()
    assert "twenty" in err.getvalue()
    assert not Observation.objects.exists()


def test_dry_run_writes_nothing(files):
    good, _bad, meta = files
    out, _err = run(str(good), "--meta", str(meta), "--dry-run")
    assert "dry run, nothing written" in out and "2 created" in out
    assert not Observation.objects.exists()


def test_a_missing_path_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("indicators_import", str(tmp_path / "nowhere.csv"), stderr=io.StringIO())


def test_the_mobilise_cli_spelling():
    """``mobilise indicators import`` runs ``indicators_import``: mobilise.cli joins the first two
    words when Django knows a command by that name."""
    from django.core.management import get_commands

    assert get_commands()["indicators_import"] == "mobilise.indicators"
