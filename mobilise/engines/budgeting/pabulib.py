"""Reading and writing Pabulib ``.pb`` files.

A ``.pb`` file (http://pabulib.org/format) has three sections, each a ``;``-separated CSV table:

``META``
    ``key;value`` rows: the budget, the ballot type (``vote_type``) and descriptive keys.
``PROJECTS``
    a header row starting ``project_id;cost`` and one row per project; any further columns
    (``name``, ``votes``, ``selected``, ``category`` …) are optional.
``VOTES``
    a header row with ``voter_id`` and ``vote`` (and ``points`` for cumulative and scoring ballots),
    then one row per voter. ``vote`` lists project ids separated by commas, best first for ordinal
    ballots; ``points`` gives each listed project's points in the same order.

Every optional column and META key is kept, in file order, so a file read and written again says the
same thing. Problems are reported as ``ValueError`` naming the line, because the people who fix these
files open them in a text editor.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal, TypeAlias

__all__ = [
    "VOTE_TYPES",
    "PBElection",
    "PBFormatError",
    "PBProject",
    "PBVote",
    "VoteType",
    "format_number",
    "format_pb",
    "parse_number",
    "parse_pb",
    "read_pb",
    "write_pb",
]

VoteType: TypeAlias = Literal["approval", "choose-1", "cumulative", "scoring", "ordinal"]
VOTE_TYPES: Final[tuple[str, ...]] = ("approval", "choose-1", "cumulative", "scoring", "ordinal")
_WITH_POINTS: Final = frozenset({"cumulative", "scoring"})
_SECTIONS: Final = ("meta", "projects", "votes")
_EMPTY: Mapping[str, str] = MappingProxyType({})
# Budgets, costs and points above a quadrillion are typing mistakes (and would overflow the floats
# the rules report with); more digits than this cannot be a number anyone meant.
MAX_NUMBER: Final = 10**15
_MAX_DIGITS: Final = 40


class PBFormatError(ValueError):
    """A ``.pb`` file that cannot be read, naming the file, line and (where known) column."""

    def __init__(self, message: str, source: str, line: int, column: int | None = None) -> None:
        where = f"{source}, line {line}" + (f", column {column}" if column else "")
        super().__init__(f"{where}: {message}")
        self.source = source
        self.line = line
        self.column = column


def parse_number(text: str) -> Fraction:
    """Read a Pabulib number exactly: ``1200``, ``1200.50`` or, as some cities write it, ``1200,50``.

    Raises ``ValueError`` (without a line number; callers add it) for anything else, including
    ``nan`` and ``inf``, which ``Fraction`` would otherwise reject with a less helpful message.
    """
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        raise ValueError("it is empty")
    if len(cleaned) > _MAX_DIGITS:
        raise ValueError(f"{cleaned[:20]}… is too long to be a number")
    try:
        value = Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{text.strip()!r} is not a number") from None
    if abs(value) > MAX_NUMBER:
        raise ValueError(f"{text.strip()!r} is more than {MAX_NUMBER:,}")
    return value


def format_number(value: Fraction | int) -> str:
    """Write a number the way Pabulib files do: an integer when it is one, else a decimal.

    Values that have no finite decimal expansion (a third, say) are written as a fraction ``1/3``,
    which :func:`parse_number` reads back exactly, so nothing is lost on a round trip.
    """
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = abs(value.numerator) * 10**places // value.denominator
    sign = "-" if value < 0 else ""
    whole, frac = divmod(scaled, 10**places)
    return f"{sign}{whole}.{str(frac).zfill(places).rstrip('0')}"


@dataclass(frozen=True, slots=True)
class PBProject:
    """One project: its id, exact cost, and every other column of its row as text."""

    project_id: str
    cost: Fraction
    extra: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    # The cost as the file spelt it ("4000.0"), so that writing the file back changes nothing;
    # ignored when it no longer matches ``cost``.
    cost_text: str = field(default="", compare=False, repr=False)

    @property
    def name(self) -> str:
        """The project's human name, or its id when the file gives none."""
        return self.extra.get("name") or self.project_id


@dataclass(frozen=True, slots=True)
class PBVote:
    """One voter's ballot.

    ``projects`` keeps the file's order (the ranking, for ordinal ballots); ``points`` is given for
    cumulative and scoring ballots, one number per listed project, and is ``None`` otherwise.
    A project listed twice (two real files do this) is kept as written; the rules count it once,
    as pabutools does: its first position ranks it and, for points, its last value counts.
    """

    voter_id: str
    projects: tuple[str, ...]
    points: tuple[Fraction | int, ...] | None = None
    extra: Mapping[str, str] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True)
class PBElection:
    """A participatory-budgeting election as a Pabulib file describes it.

    ``meta`` holds every META row as text, in file order; ``budget`` and ``vote_type`` are read from
    it. ``project_columns`` and ``vote_columns`` remember the file's column order so that writing
    the election back gives the same table.
    """

    meta: Mapping[str, str]
    projects: tuple[PBProject, ...]
    votes: tuple[PBVote, ...]
    project_columns: tuple[str, ...] = ()
    vote_columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if "budget" not in self.meta:
            raise ValueError("META has no budget row.")
        try:
            budget = parse_number(self.meta["budget"])
        except ValueError as exc:
            raise ValueError(f"META budget: {exc}.") from None
        if budget < 0:
            raise ValueError(f"META budget must be zero or more, got {self.meta['budget']!r}.")
        vote_type = self.meta.get("vote_type", "approval")
        if vote_type not in VOTE_TYPES:
            raise ValueError(
                f"META vote_type must be one of {', '.join(VOTE_TYPES)}; got {vote_type!r}."
            )
        ids = [p.project_id for p in self.projects]
        if len(set(ids)) != len(ids):
            raise ValueError("Two projects share a project_id.")
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))
        object.__setattr__(self, "_budget", budget)
        if not self.project_columns:
            columns = ["project_id", "cost"]
            for project in self.projects:
                columns += [key for key in project.extra if key not in columns]
            object.__setattr__(self, "project_columns", tuple(columns))
        if not self.vote_columns:
            columns = ["voter_id", "vote"]
            if vote_type in _WITH_POINTS:
                columns.append("points")
            for vote in self.votes:
                columns += [key for key in vote.extra if key not in columns]
            object.__setattr__(self, "vote_columns", tuple(columns))

    @property
    def budget(self) -> Fraction:
        """The amount to spend, exactly."""
        return self._budget  # type: ignore[attr-defined]

    @property
    def vote_type(self) -> VoteType:
        """``approval``, ``choose-1``, ``cumulative``, ``scoring`` or ``ordinal``."""
        return self.meta.get("vote_type", "approval")  # type: ignore[return-value]

    @property
    def project_ids(self) -> tuple[str, ...]:
        return tuple(p.project_id for p in self.projects)

    def project(self, project_id: str) -> PBProject:
        """The project with this id; ``KeyError`` if there is none."""
        for project in self.projects:
            if project.project_id == project_id:
                return project
        raise KeyError(project_id)

    @property
    def num_voters(self) -> int:
        """Ballots in the file, including empty ones (they still hold an equal share under MES)."""
        return len(self.votes)


# --------------------------------------------------------------------------------------------------
# Reading


class _Reader:
    """Walks the CSV rows of a ``.pb`` text, keeping the physical line number for error messages."""

    def __init__(self, text: str, source: str) -> None:
        # newline="" lets the csv module see line breaks inside quoted cells as part of the cell,
        # and line_num then counts physical lines, which is what an editor shows.
        self._csv = csv.reader(io.StringIO(text, newline=""), delimiter=";")
        self.source = source
        self.line = 0

    def __iter__(self) -> _Reader:
        return self

    def __next__(self) -> list[str]:
        while True:
            row = next(self._csv)
            self.line = self._csv.line_num
            if row and (row[0].strip() or any(cell.strip() for cell in row)):
                return row

    def error(
        self, message: str, line: int | None = None, column: int | None = None
    ) -> PBFormatError:
        return PBFormatError(message, self.source, self.line if line is None else line, column)


def _column(row: Sequence[str], index: int) -> int:
    """The column (from 1) where cell ``index`` of ``row`` starts, as an editor counts it."""
    return 1 + sum(len(cell) + 1 for cell in row[:index])


def _header(reader: _Reader, section: str, required: Sequence[str]) -> list[str]:
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise reader.error(f"the {section} section has no header row.") from None
    if header and header[0].lower() in _SECTIONS:
        raise reader.error(f"the {section} section has no header row.")
    missing = [name for name in required if name not in header]
    if missing:
        raise reader.error(
            f"the {section} header must name {', '.join(required)}; "
            f"{', '.join(missing)} missing (header is {';'.join(header)!r})."
        )
    if len(set(header)) != len(header):
        raise reader.error(f"the {section} header repeats a column name.")
    return header


def _cells(reader: _Reader, row: list[str], header: Sequence[str], what: str) -> dict[str, str]:
    if len(row) > len(header):
        raise reader.error(
            f"this {what} row has {len(row)} cells but the header has {len(header)} columns "
            "(a stray ';'?)."
        )
    cells = {key: value.strip() for key, value in zip(header, row, strict=False)}
    for key in header[len(row) :]:
        cells[key] = ""
    return cells


def parse_pb(text: str, *, source: str = "<string>", allow_repeats: bool = False) -> PBElection:
    """Parse the text of a ``.pb`` file.

    A project listed twice in one ballot is refused unless ``allow_repeats`` (a few published
    Pabulib files have such ballots; pabutools counts the project once, and so do the rules).

    Raises ``ValueError`` naming ``source`` and the line for a missing section, a bad number, an
    unknown or repeated project in a vote, a repeated id or a row with too many cells.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = _Reader(text, source)
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    projects: dict[str, PBProject] = {}
    project_lines: dict[str, int] = {}
    votes: list[PBVote] = []
    project_header: list[str] = []
    vote_header: list[str] = []
    seen: list[str] = []
    section = ""
    vote_type = ""

    for row in reader:
        word = row[0].strip().lower()
        if word in _SECTIONS and all(not cell.strip() for cell in row[1:]):
            if word in seen:
                raise reader.error(f"a second {word.upper()} section.")
            expected = _SECTIONS[len(seen)]
            if word != expected:
                raise reader.error(
                    f"found {word.upper()} where the {expected.upper()} section should start "
                    "(sections must come in the order META, PROJECTS, VOTES)."
                )
            seen.append(word)
            section = word
            if word == "meta":
                _header(reader, "META", ())
            elif word == "projects":
                vote_type = _check_meta(reader, meta, meta_lines)
                project_header = _header(reader, "PROJECTS", ("project_id", "cost"))
            else:
                if not projects:
                    raise reader.error("the PROJECTS section lists no projects.")
                required = (
                    ("voter_id", "vote", "points")
                    if vote_type in _WITH_POINTS
                    else ("voter_id", "vote")
                )
                vote_header = _header(reader, "VOTES", required)
                parse_vote = _VoteParser(vote_header, vote_type, projects, allow_repeats)
            continue
        if not section:
            raise reader.error(f"expected the file to start with META, found {row[0].strip()!r}.")
        if section == "meta":
            key = row[0].strip()
            if len(row) < 2 or any(cell.strip() for cell in row[2:]):
                raise reader.error(
                    f"a META row needs exactly a key and a value, got {';'.join(row)!r}."
                )
            if key in meta:
                raise reader.error(
                    f"META key {key!r} appears twice (first on line {meta_lines[key]})."
                )
            meta[key] = row[1].strip()
            meta_lines[key] = reader.line
        elif section == "projects":
            cells = _cells(reader, row, project_header, "PROJECTS")
            project_id = cells.pop("project_id")
            if not project_id:
                raise reader.error("a project has an empty project_id.")
            if project_id in projects:
                raise reader.error(
                    f"project {project_id!r} is listed twice (first on line {project_lines[project_id]})."
                )
            cost_text = cells.pop("cost")
            try:
                cost = parse_number(cost_text)
            except ValueError as exc:
                raise reader.error(
                    f"the cost of project {project_id!r} is not valid: {exc}.",
                    column=_column(row, project_header.index("cost")),
                ) from None
            votes_text = cells.get("votes", "")
            if votes_text and not (votes_text.isascii() and votes_text.isdigit()):
                raise reader.error(
                    f"the votes of project {project_id!r} must be a whole number, zero or more; "
                    f"got {votes_text!r}.",
                    column=_column(row, project_header.index("votes")),
                )
            if cost < 0:
                raise reader.error(f"project {project_id!r} has a negative cost.")
            projects[project_id] = PBProject(project_id, cost, MappingProxyType(cells), cost_text)
            project_lines[project_id] = reader.line
        else:
            votes.append(parse_vote(reader, row))

    if len(seen) < 3:
        missing = [name.upper() for name in _SECTIONS if name not in seen]
        raise reader.error(
            f"the file ends without a {' or '.join(missing)} section.", line=max(reader.line, 1)
        )
    return PBElection(
        meta=meta,
        projects=tuple(projects.values()),
        votes=tuple(votes),
        project_columns=tuple(project_header),
        vote_columns=tuple(vote_header),
    )


def _check_meta(reader: _Reader, meta: dict[str, str], lines: dict[str, int]) -> str:
    if "budget" not in meta:
        raise reader.error("META has no budget row (it must come before PROJECTS).")
    try:
        budget = parse_number(meta["budget"])
    except ValueError as exc:
        raise reader.error(
            f"the budget is not valid: {exc}.", line=lines["budget"], column=len("budget") + 2
        ) from None
    if budget < 0:
        raise reader.error("the budget is negative.", line=lines["budget"])
    for key in ("num_votes", "num_projects"):
        text = meta.get(key, "").strip()
        if text and not (text.isascii() and text.isdigit() and len(text) <= 15):
            raise reader.error(
                f"{key} must be a whole number, zero or more; got {text!r}.",
                line=lines[key],
                column=len(key) + 2,
            )
    vote_type = meta.get("vote_type", "approval")
    if vote_type not in VOTE_TYPES:
        raise reader.error(
            f"vote_type must be one of {', '.join(VOTE_TYPES)}; got {vote_type!r}.",
            line=lines["vote_type"],
        )
    return vote_type


class _VoteParser:
    """Reads VOTES rows; set up once per file so that 70,000 rows stay quick."""

    def __init__(
        self,
        header: Sequence[str],
        vote_type: str,
        projects: Mapping[str, PBProject],
        allow_repeats: bool = False,
    ) -> None:
        self.allow_repeats = allow_repeats
        self.width = len(header)
        self.voter = header.index("voter_id")
        self.vote = header.index("vote")
        self.points = header.index("points") if vote_type in _WITH_POINTS else -1
        used = {self.voter, self.vote, self.points}
        self.extra = [(key, i) for i, key in enumerate(header) if i not in used]
        self.known = projects.keys()
        self.choose_1 = vote_type == "choose-1"
        self.lines: dict[str, int] = {}

    def __call__(self, reader: _Reader, row: list[str]) -> PBVote:
        n = len(row)
        if n > self.width:
            raise reader.error(
                f"this VOTES row has {n} cells but the header has {self.width} columns (a stray ';'?)."
            )
        voter_id = row[self.voter].strip() if self.voter < n else ""
        if not voter_id:
            raise reader.error("a vote has an empty voter_id.")
        if voter_id in self.lines:
            raise reader.error(
                f"voter {voter_id!r} votes twice (first on line {self.lines[voter_id]})."
            )
        self.lines[voter_id] = reader.line
        needed = max(self.vote, self.points)
        if n <= needed:
            # "v7" alone is a line cut short, not an empty ballot ("v7;" is one).
            raise reader.error(
                f"the row of voter {voter_id!r} ends before its "
                f"{'vote' if n <= self.vote else 'points'} column (is the file cut short?).",
                column=_column(row, n - 1) + len(row[n - 1]),
            )
        raw_vote = row[self.vote].strip()
        listed: tuple[str, ...] = ()
        if raw_vote:
            listed = tuple(raw_vote.split(","))
            if " " in raw_vote or "\t" in raw_vote:
                listed = tuple(name.strip() for name in listed)
            if not self.known >= set(listed):
                if "" in listed:
                    raise reader.error(
                        f"the vote of voter {voter_id!r} has an empty project id ({raw_vote!r})."
                    )
                name = next(name for name in listed if name not in self.known)
                raise reader.error(
                    f"the vote of voter {voter_id!r} names project {name!r}, which is not in PROJECTS."
                )
            if not self.allow_repeats and len(set(listed)) != len(listed):
                seen: set[str] = set()
                twice = next(name for name in listed if name in seen or seen.add(name))
                raise reader.error(
                    f"the vote of voter {voter_id!r} lists project {twice!r} more than once.",
                    column=_column(row, self.vote),
                )
            if self.choose_1 and len(set(listed)) > 1:
                raise reader.error(
                    f"voter {voter_id!r} chose {len(listed)} projects in a choose-1 vote."
                )
        points: tuple[Fraction | int, ...] | None = None
        if self.points >= 0:
            raw_points = row[self.points].strip() if self.points < n else ""
            texts = raw_points.split(",") if raw_points else []
            if len(texts) != len(listed):
                raise reader.error(
                    f"voter {voter_id!r} lists {len(listed)} project(s) but {len(texts)} point value(s)."
                )
            parsed: list[Fraction | int] = []
            for name, text in zip(listed, texts, strict=True):
                try:
                    # Whole points stay ints: they compare equal to Fractions and are much faster.
                    parsed.append(int(text) if text.strip().isdigit() else parse_number(text))
                except ValueError as exc:
                    raise reader.error(
                        f"voter {voter_id!r} gives project {name!r} points that are not valid: {exc}."
                    ) from None
            points = tuple(parsed)
        extra = _EMPTY
        if self.extra:
            extra = MappingProxyType(
                {key: row[i].strip() if i < n else "" for key, i in self.extra}
            )
        return PBVote(voter_id, listed, points, extra)


def read_pb(path: str | os.PathLike[str], *, allow_repeats: bool = False) -> PBElection:
    """Read a ``.pb`` file (UTF-8, with or without a byte-order mark); see :func:`parse_pb`."""
    path = Path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PBFormatError(
            "the file is not UTF-8 text (save it as UTF-8 and try again).", path.name, line, column
        ) from None
    return parse_pb(text, source=path.name, allow_repeats=allow_repeats)


# --------------------------------------------------------------------------------------------------
# Writing


def _rows(election: PBElection) -> Iterable[list[str]]:
    yield ["META"]
    yield ["key", "value"]
    for key, value in election.meta.items():
        yield [key, value]
    yield ["PROJECTS"]
    columns = list(election.project_columns)
    yield columns
    for project in election.projects:
        cost = project.cost_text
        if not cost or parse_number(cost) != project.cost:
            cost = format_number(project.cost)
        cells = {"project_id": project.project_id, "cost": cost, **project.extra}
        yield [cells.get(column, "") for column in columns]
    yield ["VOTES"]
    columns = list(election.vote_columns)
    yield columns
    for vote in election.votes:
        cells = {"voter_id": vote.voter_id, "vote": ",".join(vote.projects), **vote.extra}
        if vote.points is not None:
            cells["points"] = ",".join(format_number(p) for p in vote.points)
        yield [cells.get(column, "") for column in columns]


def format_pb(election: PBElection) -> str:
    """The ``.pb`` text of an election; :func:`parse_pb` reads it back to an equal election."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerows(_rows(election))
    return buffer.getvalue()


def write_pb(election: PBElection, path: str | os.PathLike[str]) -> None:
    """Write an election as a UTF-8 ``.pb`` file."""
    Path(path).write_text(format_pb(election), encoding="utf-8", newline="")
