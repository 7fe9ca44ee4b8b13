"""Reading and writing ``.pb`` files."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from mobilise.engines.budgeting import PBFormatError, format_pb, parse_pb, read_pb, write_pb
from mobilise.engines.budgeting.pabulib import format_number, parse_number

from .conftest import SHIPPED, make_pb


def test_the_sample_is_shipped() -> None:
    assert len(SHIPPED) >= 5
    assert sum(path.stat().st_size for path in SHIPPED) < 3_000_000


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_round_trip_every_shipped_file(path: Path, tmp_path: Path) -> None:
    election = read_pb(path)
    assert election.projects and election.votes
    text = format_pb(election)
    assert parse_pb(text) == election
    original = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    if '"' not in original:
        # Files in canonical form come back byte for byte. (A stray quote mark, as in one Grabówka
        # project name, is read the way Python's csv module and pabutools read it, so its spelling
        # may change; the values do not.)
        assert text == original
    assert format_pb(parse_pb(text)) == text
    write_pb(election, tmp_path / "copy.pb")
    assert read_pb(tmp_path / "copy.pb") == election


def test_optional_fields_and_meta_are_kept() -> None:
    election = read_pb(next(p for p in SHIPPED if p.name == "Poland_Swiecie_2023.pb"))
    assert election.meta["rule"] == "equalshares/add1"
    assert list(election.meta)[:3] == ["description", "country", "unit"]
    assert election.project_columns == ("project_id", "cost", "votes", "name", "selected")
    c1 = election.project("c1")
    assert c1.cost == 68000 and c1.extra["selected"] == "1" and c1.extra["votes"] == "380"
    assert c1.name.startswith("Bezpieczny")
    assert election.budget == 1070000 and election.vote_type == "approval"


def test_numbers_are_exact_and_keep_their_spelling() -> None:
    text = make_pb({"A": "4000.0", "B": "12,5"}, ["A", "B"], budget="100000.5")
    election = parse_pb(text)
    assert election.project("A").cost == 4000
    assert election.project("B").cost == Fraction(25, 2)
    assert election.budget == Fraction(200001, 2)
    assert "A;4000.0;" in format_pb(election)  # written back as the file spelt it


def test_points_quotes_and_byte_order_mark() -> None:
    text = make_pb(
        {"A": 10, "B": 20}, ["A,B", "B"], budget=30, vote_type="cumulative", points=["2,3", "5"]
    )
    text = "\ufeff" + text.replace("Project A", '"Project ""A""; the first"')
    election = parse_pb(text)
    assert election.project("A").name == 'Project "A"; the first'
    assert election.votes[0].points == (2, 3)
    assert parse_pb(format_pb(election), allow_repeats=True) == election


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(7), "7"),
        (Fraction(5, 2), "2.5"),
        (Fraction(1, 8), "0.125"),
        (Fraction(-3, 4), "-0.75"),
        (Fraction(1, 3), "1/3"),
    ],
)
def test_format_number(value: Fraction, text: str) -> None:
    assert format_number(value) == text
    assert parse_number(text) == value


GOOD = make_pb({"A": 60, "B": 40}, ["A", "A,B"], budget=100)


def _line(text: str, startswith: str) -> int:
    return next(k for k, line in enumerate(text.splitlines(), 1) if line.startswith(startswith))


@pytest.mark.parametrize(
    ("broken", "message", "line"),
    [
        (GOOD.split("VOTES")[0], "without a VOTES section", None),
        (
            GOOD.replace("PROJECTS\n", "")
            .replace("project_id;cost;name\n", "")
            .replace("A;60;Project A\n", "")
            .replace("B;40;Project B\n", ""),
            "found VOTES where the PROJECTS section should start",
            "VOTES",
        ),
        (
            GOOD.replace("A;60;", "A;sixty;"),
            "cost of project 'A' is not valid: 'sixty' is not a number",
            "A;sixty",
        ),
        (GOOD.replace("budget;100", "budget;lots"), "budget is not valid", "budget;"),
        (GOOD.replace("v2;A,B", "v2;A,Z"), "names project 'Z', which is not in PROJECTS", "v2;"),
        (GOOD.replace("B;40;Project B", "A;40;Project B"), "project 'A' is listed twice", "A;40"),
        (GOOD.replace("v1;A", "v1;A;extra"), "has 3 cells but the header has 2", "v1;"),
        (
            GOOD.replace("vote_type;approval", "vote_type;ranked"),
            "vote_type must be one of",
            "vote_type",
        ),
        ("PROJECTS\n" + GOOD, "found PROJECTS where the META section should start", None),
        ("hello;world\n" + GOOD, "expected the file to start with META", None),
    ],
    ids=[
        "missing-votes",
        "missing-projects",
        "bad-cost",
        "bad-budget",
        "unknown-project",
        "duplicate-project",
        "extra-cell",
        "bad-vote-type",
        "meta-not-first",
        "junk-first",
    ],
)
def test_malformed_files_name_the_line(broken: str, message: str, line: str | None) -> None:
    with pytest.raises(ValueError, match="line") as caught:
        parse_pb(broken, source="broken.pb")
    text = str(caught.value)
    assert message in text
    assert text.startswith("broken.pb, line ")
    if line is not None:
        assert re.search(rf"line {_line(broken, line)}(, column \d+)?:", text)


def test_bad_points_name_the_line() -> None:
    text = make_pb(
        {"A": 10, "B": 20}, ["A,B", "B"], budget=30, vote_type="cumulative", points=["2,x", "5"]
    )
    with pytest.raises(
        ValueError, match=rf"line {_line(text, 'v1;')}: voter 'v1' gives project 'B' points"
    ):
        parse_pb(text)
    text = make_pb(
        {"A": 10, "B": 20}, ["A,B", "B"], budget=30, vote_type="cumulative", points=["2", "5"]
    )
    with pytest.raises(ValueError, match="lists 2 project"):
        parse_pb(text)


def test_repeated_project_in_a_vote_counts_once(tmp_path: Path) -> None:
    # Two real Pabulib files list a project twice in one approval ballot; pabutools counts it once.
    from mobilise.engines.budgeting import GreedyUtilitarian

    text = make_pb({"A": 60, "B": 40}, ["A,A", "B"], budget=60)
    with pytest.raises(PBFormatError, match="lists project 'A' more than once"):
        parse_pb(text)
    election = parse_pb(text, allow_repeats=True)
    assert election.votes[0].projects == ("A", "A")
    fitted = GreedyUtilitarian().fit(election)
    assert fitted.explanations_["A"].votes == 1
    assert parse_pb(format_pb(election), allow_repeats=True) == election
