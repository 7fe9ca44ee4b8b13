"""Property-based tests of the Pol.is export reader: valid exports round-trip through the writer,
damaged ones raise only ``PolisFormatError`` (see docs/security.md, "Property-based tests of every
file reader")."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mobilise.engines.opinion.polis_io import (
    COMMENTS,
    PARTICIPANTS_VOTES,
    VOTES,
    PolisFormatError,
    read_polis_export,
    write_polis_export,
)
from tests.mutations import mutated_bytes

SETTINGS = settings(max_examples=60, deadline=None, database=None)

BODY = st.text(st.characters(blacklist_categories=["Cs"]), max_size=15)


def _csv(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    # Rows end "\r\n" (as Pol.is writes them), so a "\r" inside a body is quoted.
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


@st.composite
def exports(draw: st.DrawFn) -> dict[str, bytes]:
    """The files of a small valid export: a few comments, a few participants, a vote log."""
    comment_ids = draw(st.lists(st.integers(0, 50), min_size=1, max_size=4, unique=True))
    comments = [
        ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated"]
        + ["is-meta", "comment-body"]
    ]
    for cid in comment_ids:
        comments.append(
            [
                draw(st.integers(0, 10**12)),
                "x",
                cid,
                draw(st.integers(0, 9)),
                0,
                0,
                draw(st.sampled_from([-1, 0, 1])),
                draw(st.sampled_from(["true", "false", ""])),
                draw(BODY),
            ]
        )
    votes = [["timestamp", "datetime", "comment-id", "voter-id", "vote"]]
    for _ in range(draw(st.integers(0, 12))):
        votes.append(
            [
                draw(st.integers(0, 10**12)),
                "",
                draw(st.sampled_from(comment_ids)),
                draw(st.integers(0, 6)),
                draw(st.sampled_from([-1, 0, 1])),
            ]
        )
    return {COMMENTS: _csv(comments), VOTES: _csv(votes)}


def _folder(files: dict[str, bytes]) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="polis-"))
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


@SETTINGS
@given(files=exports())
def test_a_valid_export_reads_back_the_same_after_writing(files: dict[str, bytes]) -> None:
    folder = _folder(files)
    try:
        first = read_polis_export(folder)
        assert (
            len(first.comments) == len(list(csv.reader(io.StringIO(files[COMMENTS].decode())))) - 1
        )
        assert len(first.vote_log.votes) == len(files[VOTES].decode().splitlines()) - 1
        write_polis_export(folder / "again", first)
        second = read_polis_export(folder / "again")
        assert second.votes.participant_ids.tolist() == first.votes.participant_ids.tolist()
        assert second.votes.statement_ids.tolist() == first.votes.statement_ids.tolist()
        assert np.array_equal(second.votes.to_dense(), first.votes.to_dense(), equal_nan=True)
        assert second.votes.moderated_out.tolist() == first.votes.moderated_out.tolist()
        assert {c.id: c.body for c in second.comments} == {c.id: c.body for c in first.comments}
    finally:
        shutil.rmtree(folder)


@SETTINGS
@given(data=st.data(), files=exports(), target=st.sampled_from([COMMENTS, VOTES, "pv"]))
def test_a_damaged_export_is_read_or_refused_with_a_polis_format_error(
    data: st.DataObject, files: dict[str, bytes], target: str
) -> None:
    folder = _folder(files)
    try:
        if target == "pv":
            # The participants-votes matrix, written by our own writer, then damaged.
            write_polis_export(folder / "w", read_polis_export(folder))
            files = {
                COMMENTS: (folder / "w" / COMMENTS).read_bytes(),
                PARTICIPANTS_VOTES: (folder / "w" / PARTICIPANTS_VOTES).read_bytes(),
            }
            (folder / VOTES).unlink()
            target = PARTICIPANTS_VOTES
        files[target] = data.draw(mutated_bytes(files[target]))
        for name, content in files.items():
            (folder / name).write_bytes(content)
        try:
            read_polis_export(folder)
        except PolisFormatError as exc:
            assert ".csv, line " in str(exc)
    finally:
        shutil.rmtree(folder)
