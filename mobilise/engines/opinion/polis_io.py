"""Read and write Pol.is export folders (the CSV files pol.is offers for download).

A folder holds ``comments.csv`` (the statements and their moderation), ``votes.csv`` (the raw
vote log, re-votes included) and ``participants-votes.csv`` (the final vote matrix, one row
per participant, with Pol.is's opinion group in ``group-id``), and usually ``summary.csv``.
Exports code votes as agree = 1, disagree = -1, pass = 0: the opposite sign to Pol.is's
internal math, and the same as this engine.

Reading: votes come from ``votes.csv`` when it exists, keeping each participant's latest vote
on each statement (by timestamp, then file order); otherwise from ``participants-votes.csv``.
A statement is moderated out when ``moderated`` is -1 and meta when ``is-meta`` is true, as
in Pol.is's ``mod-update``. Two export generations exist (older ones have a ``datetime`` column
in ``comments.csv`` and no ``xid`` in ``participants-votes.csv``); both are read by column
name. Any malformed row raises ``ValueError`` naming the file and line.
"""

import csv
import datetime as dt
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from mobilise.core.csv import safe_writer, unescape_cell

from .results import OpinionResult
from .votes import VoteMatrix

COMMENTS = "comments.csv"
VOTES = "votes.csv"
PARTICIPANTS_VOTES = "participants-votes.csv"
SUMMARY = "summary.csv"

# participants-votes.csv columns before the first statement column, newest export first.
_PV_FIXED = ("participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")


@dataclass(frozen=True)
class PolisComment:
    """One statement from ``comments.csv``. ``moderated`` is -1 (out), 0 (unmoderated) or 1 (in)."""

    id: int
    body: str = ""
    author: int | None = None
    timestamp: int | None = None
    moderated: int = 0
    is_meta: bool = False
    is_seed: bool = False


@dataclass(frozen=True)
class VoteLog:
    """The raw vote log from ``votes.csv``, in file order (re-votes included)."""

    timestamps: NDArray[np.int64]
    participants: NDArray[np.int64]
    statements: NDArray[np.int64]
    votes: NDArray[np.int8]


@dataclass(frozen=True)
class PolisExport:
    """What a Pol.is export folder holds, ready for ``OpinionEngine.fit(export.votes)``.

    ``polis_groups`` maps each participant id Pol.is put in an opinion group to that group
    (from ``participants-votes.csv``); it is empty when the export has no groups.
    """

    votes: VoteMatrix
    comments: tuple[PolisComment, ...] = ()
    polis_groups: Mapping[int, int] = field(default_factory=dict)
    vote_log: VoteLog | None = None
    summary: Mapping[str, str] = field(default_factory=dict)


# Ids and timestamps are 64-bit integers (NumPy int64); anything bigger is not an id.
_MAX_INT = 2**63 - 1


class PolisFormatError(ValueError):
    """A Pol.is export that cannot be read, naming the file, line and (where known) column."""

    def __init__(self, path: Path, line: int, message: str, column: str | None = None) -> None:
        where = f"{path}, line {line}" + (f", column {column}" if column else "")
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.column = column


class _Rows:
    """CSV rows with their line numbers, and errors that name the file, line and column."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        reader = None
        try:
            with self.path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.reader(handle)
                for row in reader:
                    yield reader.line_num, row
        except csv.Error as exc:
            line = (reader.line_num if reader is not None else 0) or 1
            raise PolisFormatError(self.path, line, f"not a readable CSV file: {exc}") from None
        except UnicodeDecodeError as exc:
            data = self.path.read_bytes()
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise PolisFormatError(
                self.path, line, f"not UTF-8 text (character {column} of the line)."
            ) from None

    def error(self, line: int, message: str, column: str | None = None) -> PolisFormatError:
        return PolisFormatError(self.path, line, message, column)


def _int(rows: _Rows, line: int, text: str, what: str, *, minimum: int | None = 0) -> int:
    """A whole number (``12`` or ``12.0``) from column ``what``, from ``minimum`` to 2**63 - 1."""
    stripped = text.strip()
    try:
        value = int(stripped) if len(stripped) <= 25 else None
    except ValueError:
        try:
            number = float(stripped)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or number != int(number):
            raise rows.error(line, f"a whole number is needed, got {text!r}.", what) from None
        value = int(number)
    if value is None or abs(value) > _MAX_INT:
        raise rows.error(line, f"{text.strip()[:30]!r} is too large.", what)
    if minimum is not None and value < minimum:
        raise rows.error(line, f"must be {minimum} or more, got {text!r}.", what)
    return value


def _vote(rows: _Rows, line: int, text: str, column: str = "vote") -> int:
    value = _int(rows, line, text, column, minimum=None)
    if value not in (-1, 0, 1):
        raise rows.error(
            line, f"a vote must be 1 (agree), -1 (disagree) or 0 (pass), got {text!r}.", column
        )
    return value


def _header(
    rows: _Rows, required: tuple[str, ...]
) -> tuple[Iterator[tuple[int, list[str]]], dict[str, int], list[str]]:
    it = iter(rows)
    try:
        line, header = next(it)
    except StopIteration:
        raise rows.error(1, "the file is empty; expected a header row.") from None
    names = [h.strip() for h in header]
    index = {name: i for i, name in enumerate(names)}
    missing = [c for c in required if c not in index]
    if missing:
        raise rows.error(line, f"missing column(s) {', '.join(missing)}.")
    return it, index, names


def read_comments(path: Path) -> tuple[PolisComment, ...]:
    """Statements from ``comments.csv``."""
    rows = _Rows(path)
    it, col, names = _header(rows, ("comment-id",))
    out = []
    first_line: dict[int, int] = {}
    for line, row in it:
        if not row:
            continue
        if len(row) != len(names):
            raise rows.error(line, f"expected {len(names)} fields, found {len(row)}.")

        def get(name: str, row: list[str] = row) -> str:
            return row[col[name]].strip() if name in col else ""

        moderated = _int(rows, line, get("moderated") or "0", "moderated", minimum=None)
        if moderated not in (-1, 0, 1):
            raise rows.error(line, f"must be -1, 0 or 1, got {moderated}.", "moderated")
        flags = {}
        for name in ("is-meta", "is-seed"):
            text = get(name).lower()
            if text not in ("", "true", "false", "1", "0"):
                raise rows.error(line, f"must be true or false, got {text!r}.", name)
            flags[name] = text in ("true", "1")
        author = get("author-id")
        stamp = get("timestamp")
        comment_id = _int(rows, line, get("comment-id"), "comment-id")
        if comment_id in first_line:
            raise rows.error(
                line,
                f"comment {comment_id} appears twice (first on line {first_line[comment_id]}).",
                "comment-id",
            )
        first_line[comment_id] = line
        out.append(
            PolisComment(
                id=comment_id,
                body=unescape_cell(row[col["comment-body"]]) if "comment-body" in col else "",
                author=_int(rows, line, author, "author-id") if author else None,
                timestamp=_int(rows, line, stamp, "timestamp") if stamp else None,
                moderated=moderated,
                is_meta=flags["is-meta"],
                is_seed=flags["is-seed"],
            )
        )
    return tuple(out)


def read_vote_log(path: Path, known: set[int] | None = None) -> VoteLog:
    """The raw vote log from ``votes.csv``; with ``known``, a vote on another comment is refused."""
    rows = _Rows(path)
    it, col, names = _header(rows, ("comment-id", "voter-id", "vote"))
    ts, ps, ss, vs = [], [], [], []
    stamp_col = col.get("timestamp")
    for line, row in it:
        if not row:
            continue
        if len(row) != len(names):
            raise rows.error(line, f"expected {len(names)} fields, found {len(row)}.")
        stamp = row[stamp_col].strip() if stamp_col is not None else ""
        ts.append(_int(rows, line, stamp, "timestamp") if stamp else -1)
        comment_id = _int(rows, line, row[col["comment-id"]], "comment-id")
        if known is not None and comment_id not in known:
            raise rows.error(
                line,
                f"a vote on comment {comment_id}, which comments.csv does not list.",
                "comment-id",
            )
        ss.append(comment_id)
        ps.append(_int(rows, line, row[col["voter-id"]], "voter-id"))
        vs.append(_vote(rows, line, row[col["vote"]]))
    return VoteLog(
        np.asarray(ts, dtype=np.int64),
        np.asarray(ps, dtype=np.int64),
        np.asarray(ss, dtype=np.int64),
        np.asarray(vs, dtype=np.int8),
    )


def read_participants_votes(
    path: Path, known: set[int] | None = None
) -> tuple[list[int], dict[int, int], list[int], list[int], list[int], list[int]]:
    """``participants-votes.csv``: (participants, Pol.is groups, vote rows, cols, values as lists).

    Returns the participant ids in file order, their group ids where set, and the votes as
    parallel lists of participant id, statement id and vote.
    """
    rows = _Rows(path)
    it, col, names = _header(rows, ("participant",))
    fixed = [c for c in _PV_FIXED if c in col]
    first = max(col[c] for c in fixed) + 1
    statement_ids = []
    for name in names[first:]:
        sid = _int(rows, 1, name, name or "(no name)")
        if known is not None and sid not in known:
            raise rows.error(1, f"comment {sid} is not listed in comments.csv.", name)
        if sid in statement_ids:
            raise rows.error(1, f"comment {sid} has two columns.", name)
        statement_ids.append(sid)
    participants: list[int] = []
    groups: dict[int, int] = {}
    vp: list[int] = []
    vs: list[int] = []
    vv: list[int] = []
    for line, row in it:
        if not row:
            continue
        if len(row) != len(names):
            raise rows.error(line, f"expected {len(names)} fields, found {len(row)}.")
        pid = _int(rows, line, row[col["participant"]], "participant")
        participants.append(pid)
        if "group-id" in col and row[col["group-id"]].strip():
            groups[pid] = _int(rows, line, row[col["group-id"]], "group-id")
        for sid, cell in zip(statement_ids, row[first:], strict=True):
            if cell.strip():
                vp.append(pid)
                vs.append(sid)
                vv.append(_vote(rows, line, cell, str(sid)))
    return participants, groups, vp, vs, vv, statement_ids


def read_summary(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for _, row in _Rows(path):
        if len(row) >= 2:
            out[unescape_cell(row[0])] = unescape_cell(row[1])
    return out


def read_polis_export(directory: str | Path) -> PolisExport:
    """Read a Pol.is export folder; see the module docstring for the rules."""
    folder = Path(directory)
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a folder.")
    comments = read_comments(folder / COMMENTS) if (folder / COMMENTS).exists() else ()
    pv_path = folder / PARTICIPANTS_VOTES
    votes_path = folder / VOTES
    groups: dict[int, int] = {}
    participants: list[int] = []
    pv_statements: list[int] = []
    log = None
    known = {c.id for c in comments} if (folder / COMMENTS).exists() else None
    if votes_path.exists():
        log = read_vote_log(votes_path, known)
        if pv_path.exists():
            participants, groups, _, _, _, pv_statements = read_participants_votes(pv_path, known)
        # Latest vote wins: order by timestamp (file order among equals, or when the file has
        # no timestamps), then a later position overrides an earlier one in from_votes.
        if (log.timestamps >= 0).all():
            order = np.argsort(log.timestamps, kind="stable")
        else:
            order = np.arange(len(log.votes))
        p, s, v = log.participants[order], log.statements[order], log.votes[order]
    elif pv_path.exists():
        participants, groups, vp, vs, vv, pv_statements = read_participants_votes(pv_path, known)
        p, s, v = np.asarray(vp, np.int64), np.asarray(vs, np.int64), np.asarray(vv, np.int8)
    else:
        raise ValueError(
            f"{folder} has neither {VOTES} nor {PARTICIPANTS_VOTES}: no votes to read."
        )
    statement_ids = np.unique(
        np.concatenate(
            [
                np.asarray([c.id for c in comments], dtype=np.int64),
                np.asarray(pv_statements, np.int64),
                s,
            ]
        )
    )
    participant_ids = np.unique(np.concatenate([np.asarray(participants, np.int64), p]))
    matrix = VoteMatrix.from_votes(
        p,
        s,
        v,
        participant_ids=participant_ids,
        statement_ids=statement_ids,
        moderated_out=[c.id for c in comments if c.moderated == -1],
        meta=[c.id for c in comments if c.is_meta],
    )
    summary = read_summary(folder / SUMMARY) if (folder / SUMMARY).exists() else {}
    return PolisExport(matrix, comments, groups, log, summary)


# ---- writing --------------------------------------------------------------------------------
def _datetime_text(ms: int) -> str:
    if ms < 0:
        return ""
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC).strftime("%a %b %d %H:%M:%S UTC %Y")


def write_polis_export(
    directory: str | Path, export: PolisExport, result: OpinionResult | None = None
) -> Path:
    """Write ``export`` as a Pol.is export folder (created if needed); returns the folder.

    Writes ``comments.csv``, ``votes.csv``, ``participants-votes.csv`` and ``summary.csv`` in
    the current Pol.is layout. With a ``result`` the groups in ``participants-votes.csv`` and
    the ``group-informed-consensus`` column are ours; without, Pol.is's groups are kept.
    ``votes.csv`` is the original log when there is one, else one row per final vote with no
    timestamp (``read_polis_export`` then keeps file order).
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    matrix = export.votes
    p_ids = matrix.participant_ids.tolist()
    s_ids = matrix.statement_ids.tolist()
    rows = matrix.rows()
    values = matrix.values
    agrees = np.bincount(matrix.indices[values == 1], minlength=len(s_ids))
    disagrees = np.bincount(matrix.indices[values == -1], minlength=len(s_ids))
    gac: dict[int, float] = {}
    if result is not None:
        gac = dict(
            zip(
                result.statement_ids.tolist(),
                result.group_aware_consensus_agree.tolist(),
                strict=True,
            )
        )
    by_id = {c.id: c for c in export.comments}
    moderated = dict(zip(s_ids, matrix.moderated_out.tolist(), strict=True))
    meta = dict(zip(s_ids, matrix.meta.tolist(), strict=True))

    with (folder / COMMENTS).open("w", newline="", encoding="utf-8") as handle:
        w = safe_writer(handle)
        w.writerow(
            [
                "timestamp",
                "comment-id",
                "author-id",
                "agrees",
                "disagrees",
                "moderated",
                "is-meta",
                "is-seed",
                "group-informed-consensus",
                "comment-body",
            ]
        )
        for j, sid in enumerate(s_ids):
            c = by_id.get(sid, PolisComment(id=sid))
            mod = -1 if moderated[sid] else (c.moderated if c.moderated != -1 else 0)
            value = gac.get(sid)
            w.writerow(
                [
                    "" if c.timestamp is None else c.timestamp,
                    sid,
                    "" if c.author is None else c.author,
                    int(agrees[j]),
                    int(disagrees[j]),
                    mod,
                    "true" if meta[sid] else "false",
                    "true" if c.is_seed else "false",
                    "" if value is None or not np.isfinite(value) else repr(float(value)),
                    c.body,
                ]
            )

    with (folder / VOTES).open("w", newline="", encoding="utf-8") as handle:
        w = safe_writer(handle)
        w.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
        if export.vote_log is not None:
            log = export.vote_log
            for t, p, s, v in zip(
                log.timestamps.tolist(),
                log.participants.tolist(),
                log.statements.tolist(),
                log.votes.tolist(),
                strict=True,
            ):
                w.writerow(["" if t < 0 else t, _datetime_text(t), s, p, v])
        else:
            for r, j, v in zip(
                rows.tolist(), matrix.indices.tolist(), values.tolist(), strict=True
            ):
                w.writerow(["", "", s_ids[j], p_ids[r], v])

    groups: dict[int, int]
    if result is not None:
        groups = {int(k): v for k, v in result.groups().items()}
    else:
        groups = dict(export.polis_groups)
    authored: dict[int, int] = {}
    for c in export.comments:
        if c.author is not None:
            authored[c.author] = authored.get(c.author, 0) + 1
    dense = np.full((len(p_ids), len(s_ids)), "", dtype=object)
    dense[rows, matrix.indices] = values.astype(str)
    with (folder / PARTICIPANTS_VOTES).open("w", newline="", encoding="utf-8") as handle:
        w = safe_writer(handle)
        w.writerow(list(_PV_FIXED) + [str(s) for s in s_ids])
        for i, pid in enumerate(p_ids):
            mine = values[matrix.indptr[i] : matrix.indptr[i + 1]]
            w.writerow(
                [
                    pid,
                    "",
                    groups.get(pid, ""),
                    authored.get(pid, 0),
                    len(mine),
                    int((mine == 1).sum()),
                    int((mine == -1).sum()),
                    *dense[i].tolist(),
                ]
            )

    summary = dict(export.summary)
    summary["voters"] = str(int((np.diff(matrix.indptr) > 0).sum()))
    summary["comments"] = str(len(s_ids))
    if result is not None:
        summary["voters-in-conv"] = str(int(result.in_conv.sum()))
        summary["groups"] = str(result.n_groups)
    with (folder / SUMMARY).open("w", newline="", encoding="utf-8") as handle:
        w = safe_writer(handle)
        for key, value in summary.items():
            w.writerow([key, value])
    return folder
