"""Property-based tests of the ``.pb`` reader: valid files round-trip, damaged ones raise only
``PBFormatError`` (see docs/security.md, "Property-based tests of every file reader")."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobilise.engines.budgeting.pabulib import (
    VOTE_TYPES,
    PBElection,
    PBFormatError,
    PBProject,
    PBVote,
    format_pb,
    parse_pb,
    read_pb,
)
from tests.mutations import mutated_bytes

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Ids and free text as a city might type them (no separators, no surrounding spaces).
IDS = st.text("abcdefghijkXYZ0123456789_-ł", min_size=1, max_size=6)
FREE = st.text(st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"]), max_size=10).map(
    str.strip
)
AMOUNTS = st.one_of(
    st.integers(0, 10**12).map(Fraction),
    st.fractions(min_value=0, max_value=10**6, max_denominator=1000),
)


@st.composite
def elections(draw: st.DrawFn) -> PBElection:
    vote_type = draw(st.sampled_from(VOTE_TYPES))
    ids = draw(st.lists(IDS, min_size=1, max_size=5, unique=True))
    projects = tuple(PBProject(pid, draw(AMOUNTS), {"name": draw(FREE)}) for pid in ids)
    votes = []
    for n in range(draw(st.integers(0, 6))):
        if vote_type == "choose-1":
            listed = draw(st.lists(st.sampled_from(ids), max_size=1))
        else:
            listed = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
        points = None
        if vote_type in ("cumulative", "scoring"):
            points = tuple(draw(AMOUNTS) for _ in listed)
        votes.append(PBVote(f"v{n}", tuple(listed), points, {"age": draw(FREE)}))
    meta = {"budget": str(draw(st.integers(0, 10**9))), "vote_type": vote_type}
    meta["description"] = draw(FREE)
    return PBElection(meta=meta, projects=projects, votes=tuple(votes))


@SETTINGS
@given(election=elections())
def test_a_valid_file_reads_back_to_the_same_election(election: PBElection) -> None:
    text = format_pb(election)
    again = parse_pb(text)
    assert again == election
    assert format_pb(again) == text


@SETTINGS
@given(data=st.data(), election=elections())
def test_a_damaged_file_is_read_or_refused_with_a_pb_format_error(
    tmp_path: Path, data: st.DataObject, election: PBElection
) -> None:
    damaged = data.draw(mutated_bytes(format_pb(election).encode("utf-8")))
    path = tmp_path / "damaged.pb"
    path.write_bytes(damaged)
    try:
        read_pb(path)
    except PBFormatError as exc:
        assert "damaged.pb, line " in str(exc)


@SETTINGS
@given(text=st.text(max_size=300))
def test_any_text_is_read_or_refused_with_a_pb_format_error(text: str) -> None:
    try:
        parse_pb("META\nkey;value\nbudget;100\n" + text)
    except PBFormatError:
        pass
