"""Reading and writing Pol.is export folders."""

import re
from pathlib import Path

import numpy as np
import pytest

from mobilise.engines.opinion import OpinionEngine, read_polis_export, write_polis_export

COMMENTS = """timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body
100,x,0,1,0,0,1,First
101,x,1,1,0,0,-1,"Second, moderated out"
102,x,2,2,0,0,0,Third
"""


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_revotes_latest_by_timestamp_wins(tmp_path: Path) -> None:
    _write(tmp_path, "comments.csv", COMMENTS)
    # Out of time order in the file: the vote at t=300 is the latest for (1, 0).
    _write(
        tmp_path,
        "votes.csv",
        "timestamp,datetime,comment-id,voter-id,vote\n"
        "300,x,0,1,-1\n100,x,0,1,1\n200,x,0,1,0\n150,x,2,1,1\n100,x,0,2,1\n",
    )
    export = read_polis_export(tmp_path)
    dense = export.votes.to_dense()
    assert export.votes.participant_ids.tolist() == [1, 2]
    assert export.votes.statement_ids.tolist() == [0, 1, 2]
    assert dense[0, 0] == -1 and dense[0, 2] == 1 and dense[1, 0] == 1
    assert export.votes.moderated_out.tolist() == [False, True, False]
    assert len(export.vote_log.votes) == 5
    assert export.comments[1].body == "Second, moderated out"


def test_equal_timestamps_keep_file_order(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "votes.csv",
        "timestamp,datetime,comment-id,voter-id,vote\n5,x,0,1,1\n5,x,0,1,-1\n",
    )
    assert read_polis_export(tmp_path).votes.to_dense()[0, 0] == -1


def test_falls_back_to_participants_votes(tmp_path: Path) -> None:
    _write(tmp_path, "comments.csv", COMMENTS)
    _write(
        tmp_path,
        "participants-votes.csv",
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n"
        "1,0,2,2,1,0,1,,0\n2,1,1,1,0,1,,-1,\n3,,0,0,0,0,,,\n",
    )
    export = read_polis_export(tmp_path)
    assert export.vote_log is None
    assert export.votes.participant_ids.tolist() == [1, 2, 3]
    np.testing.assert_array_equal(
        export.votes.to_dense(), [[1, np.nan, 0], [np.nan, -1, np.nan], [np.nan] * 3]
    )
    assert export.polis_groups == {1: 0, 2: 1}


def test_reads_the_newer_layout_with_xid_and_is_meta(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "comments.csv",
        "timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,group-informed-consensus,comment-body\n"
        "1,4,0,1,0,1,true,true,0.5,Meta\n2,5,0,1,0,1,false,false,0.5,Plain\n",
    )
    _write(
        tmp_path,
        "participants-votes.csv",
        "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,4,5\n0,abc,1,2,2,2,0,1,1\n",
    )
    export = read_polis_export(tmp_path)
    assert export.votes.meta.tolist() == [True, False]
    assert export.comments[0].is_seed
    assert export.polis_groups == {0: 1}


@pytest.mark.parametrize(
    "name, text, where",
    [
        (
            "votes.csv",
            "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,1\n2,x,0,1,2\n",
            "votes.csv, line 3",
        ),
        (
            "votes.csv",
            "timestamp,datetime,comment-id,voter-id,vote\n1,x,zero,1,1\n",
            "votes.csv, line 2",
        ),
        (
            "votes.csv",
            "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1\n",
            "votes.csv, line 2",
        ),
        (
            "participants-votes.csv",
            "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n1,0,0,1,1,0,yes\n",
            "participants-votes.csv, line 2",
        ),
        (
            "participants-votes.csv",
            "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0\n1,0,0,1\n",
            "participants-votes.csv, line 2",
        ),
        ("votes.csv", "comment-id,vote\n1,1\n", "missing column"),
    ],
)
def test_malformed_rows_name_file_and_line(
    tmp_path: Path, name: str, text: str, where: str
) -> None:
    _write(tmp_path, name, text)
    with pytest.raises(ValueError, match=where):
        read_polis_export(tmp_path)


def test_malformed_comment_names_file_and_line(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "comments.csv",
        COMMENTS.replace("102,x,2,2,0,0,0,Third", "102,x,2,2,0,0,maybe,Third"),
    )
    _write(tmp_path, "votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,1\n")
    with pytest.raises(ValueError, match="comments.csv, line 4, column moderated: "):
        read_polis_export(tmp_path)


def test_no_votes_at_all(tmp_path: Path) -> None:
    _write(tmp_path, "comments.csv", COMMENTS)
    with pytest.raises(ValueError, match="neither votes.csv nor participants-votes.csv"):
        read_polis_export(tmp_path)
    with pytest.raises(ValueError, match="not a folder"):
        read_polis_export(tmp_path / "missing")


def test_shipped_sample_votes_match_its_participants_votes(samples: Path) -> None:
    # votes.csv (123 re-votes resolved) and participants-votes.csv must describe the same matrix.
    from mobilise.engines.opinion.polis_io import read_participants_votes

    export = read_polis_export(samples / "15-per-hour-seattle")
    _, groups, vp, vs, vv, _ = read_participants_votes(
        samples / "15-per-hour-seattle" / "participants-votes.csv"
    )
    ours = {(int(p), int(s)): int(v) for p, s, v in zip(*export.votes.triplets(), strict=True)}
    theirs = {(p, s): v for p, s, v in zip(vp, vs, vv, strict=True)}
    assert ours == theirs
    assert len(export.vote_log.votes) - export.votes.nnz == 123
    assert export.polis_groups == groups
    assert export.summary["topic"] == "$15/hour"


def test_round_trip(samples: Path, tmp_path: Path) -> None:
    original = read_polis_export(samples / "15-per-hour-seattle")
    write_polis_export(tmp_path / "copy", original)
    again = read_polis_export(tmp_path / "copy")
    assert again.votes.participant_ids.tolist() == original.votes.participant_ids.tolist()
    assert again.votes.statement_ids.tolist() == original.votes.statement_ids.tolist()
    np.testing.assert_array_equal(again.votes.to_dense(), original.votes.to_dense())
    np.testing.assert_array_equal(again.votes.moderated_out, original.votes.moderated_out)
    assert dict(again.polis_groups) == dict(original.polis_groups)
    assert [c.body for c in again.comments] == [
        c.body for c in sorted(original.comments, key=lambda c: c.id)
    ]
    np.testing.assert_array_equal(again.vote_log.votes, original.vote_log.votes)


def test_round_trip_without_log_and_with_our_groups(samples: Path, tmp_path: Path) -> None:
    from dataclasses import replace

    original = replace(read_polis_export(samples / "london.youth.policing"), vote_log=None)
    result = OpinionEngine(random_state=0).fit(original.votes).result_
    write_polis_export(tmp_path, original, result)
    again = read_polis_export(tmp_path)
    np.testing.assert_array_equal(again.votes.to_dense(), original.votes.to_dense())
    assert dict(again.polis_groups) == result.groups()
    assert again.summary["groups"] == str(result.n_groups)
    text = (tmp_path / "comments.csv").read_text()
    assert "group-informed-consensus" in text.splitlines()[0]


# ---- bad exports (issue #16, defect 7) ---------------------------------------------------------
_VOTES = "timestamp,datetime,comment-id,voter-id,vote\n"
_PV = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,2\n"
BAD_EXPORTS = {
    "30-digit voter id": ("votes.csv", _VOTES + "1,x,0," + "9" * 30 + ",1\n", "line 2, column voter-id", "too large"),
    "NaN vote": ("votes.csv", _VOTES + "1,x,0,1,nan\n", "line 2, column vote", "whole number"),
    "NaN timestamp": ("votes.csv", _VOTES + "NaN,x,0,1,1\n", "line 2, column timestamp", "whole number"),
    "infinite timestamp": ("votes.csv", _VOTES + "inf,x,0,1,1\n", "line 2, column timestamp", "whole number"),
    "vote on an unknown comment": ("votes.csv", _VOTES + "1,x,0,1,1\n2,x,7,1,1\n", "line 3, column comment-id", "comments.csv does not list"),
    "negative voter id": ("votes.csv", _VOTES + "1,x,0,-4,1\n", "line 2, column voter-id", "0 or more"),
    "negative timestamp": ("votes.csv", _VOTES + "-1,x,0,4,1\n", "line 2, column timestamp", "0 or more"),
    "unknown comment column": ("participants-votes.csv", _PV.replace(",2\n", ",9\n") + "1,0,0,1,1,0,1,\n", "line 1, column 9", "not listed in comments.csv"),
    "30-digit participant": ("participants-votes.csv", _PV + "9" * 30 + ",0,0,1,1,0,1,\n", "line 2, column participant", "too large"),
    "NaN in the matrix": ("participants-votes.csv", _PV + "1,0,0,1,1,0,nan,\n", "line 2, column 0", "whole number"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(BAD_EXPORTS))
def test_a_bad_export_is_refused_naming_file_line_and_column(tmp_path: Path, name: str) -> None:
    from mobilise.engines.opinion import PolisFormatError
    from mobilise.engines.opinion.cli import main

    filename, text, where, message = BAD_EXPORTS[name]
    _write(tmp_path, "comments.csv", COMMENTS)
    _write(tmp_path, filename, text)
    with pytest.raises(PolisFormatError) as caught:
        read_polis_export(tmp_path)
    assert f"{filename}, {where}: " in str(caught.value) and message in str(caught.value)
    out = tmp_path / "out"
    assert main(["analyse", str(tmp_path), "--write", str(out)]) == 2
    assert not out.exists()


@pytest.mark.parametrize(
    ("comments", "where"),
    [
        (COMMENTS + "103,x,2,2,0,0,0,Third again\n", "line 5, column comment-id: comment 2 appears twice (first on line 4)"),
        (COMMENTS.replace("102,x,2,2,", "102,x,-2,2,"), "line 4, column comment-id: must be 0 or more"),
        (COMMENTS.replace("102,x,2,2,", "102,x,2,-2,"), "line 4, column author-id: must be 0 or more"),
        (COMMENTS.replace("102,x,2,2,", "102,x," + "1" * 30 + ",2,"), "line 4, column comment-id: "),
    ],
)  # fmt: skip
def test_bad_comment_ids_are_refused(tmp_path: Path, comments: str, where: str) -> None:
    _write(tmp_path, "comments.csv", comments)
    _write(tmp_path, "votes.csv", _VOTES + "1,x,0,1,1\n")
    with pytest.raises(ValueError, match=re.escape("comments.csv, " + where)):
        read_polis_export(tmp_path)


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    _write(tmp_path, "comments.csv", COMMENTS)
    (tmp_path / "votes.csv").write_bytes((_VOTES + "1,x,0,1,1\n2,x,0,\xe9,1\n").encode("latin-1"))
    with pytest.raises(ValueError, match=r"votes.csv, line 3: not UTF-8 text \(character 7"):
        read_polis_export(tmp_path)


def test_an_empty_comments_file_is_a_polis_format_error_naming_it(tmp_path: Path) -> None:
    # Found by the property tests: an empty file raised a plain ValueError.
    from mobilise.engines.opinion.polis_io import PolisFormatError

    _write(tmp_path, "comments.csv", "")
    _write(tmp_path, "votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n")
    with pytest.raises(PolisFormatError, match=r"comments\.csv, line 1: the file is empty"):
        read_polis_export(tmp_path)
