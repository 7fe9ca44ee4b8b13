"""The engine's input: a sparse participants x statements vote matrix plus moderation.

Votes use the Pol.is *export* coding: agree = +1, disagree = -1, pass = 0, and a statement a
participant has not seen has no entry at all. (Pol.is's math flips the sign internally, agree
= -1; nothing here does.) Passes are real entries, so the matrix keeps its own CSR arrays
(``indptr``, ``indices``, ``values``) rather than a SciPy matrix, which would be free to drop
explicit zeros.

A participant who votes twice on a statement keeps the later vote: in the arrays given to
``from_votes``, a later position wins.
"""

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

AGREE = 1
DISAGREE = -1
PASS = 0

# Votes a participant needs before they are clustered into an opinion group (Pol.is: 7), capped
# at the number of statements. Pages that explain who is grouped quote this number.
MIN_VOTES = 7

IdArray = NDArray[Any]


def _id_array(ids: Iterable[Hashable] | ArrayLike, name: str) -> IdArray:
    arr = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a flat list of ids.")
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise ValueError(f"{name} must be whole numbers or strings, not fractions or NaN.")
        arr = arr.astype(np.int64)
    return arr


def _check_votes(values: ArrayLike, name: str = "votes") -> NDArray[np.int8]:
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)):
            raise ValueError(
                f"{name} contains missing or infinite values; leave unseen statements out."
            )
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be numbers: 1 for agree, -1 for disagree, 0 for pass.")
    bad = (arr != 1) & (arr != -1) & (arr != 0)
    if np.any(bad):
        example = arr[np.flatnonzero(bad)[0]].item()
        raise ValueError(f"{name} must be 1 (agree), -1 (disagree) or 0 (pass); found {example!r}.")
    return arr.astype(np.int8)


def _index_of(ids: IdArray, wanted: IdArray, name: str) -> NDArray[np.intp]:
    """Positions of ``wanted`` in ``ids``; raises naming the first id that is missing."""
    if len(wanted) == 0:
        return np.zeros(0, dtype=np.intp)
    if len(ids) == 0:
        raise ValueError(f"{name} {wanted[0].item()!r} is not in the list of {name}s given.")
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    try:
        pos = np.minimum(np.searchsorted(sorted_ids, wanted), len(ids) - 1)
    except TypeError as exc:
        raise ValueError(f"{name} ids must be all numbers or all strings: {exc}") from exc
    found = sorted_ids[pos] == wanted
    if not np.all(found):
        missing = wanted[np.flatnonzero(~found)[0]].item()
        raise ValueError(f"{name} {missing!r} is not in the list of {name}s given.")
    return order[pos]


def build_csr(
    rows: NDArray[np.integer],
    cols: NDArray[np.integer],
    values: NDArray[np.int8],
    shape: tuple[int, int],
) -> tuple[NDArray[np.int64], NDArray[np.int32], NDArray[np.int8]]:
    """CSR arrays (indptr, indices, values) with sorted columns, the later of duplicates winning.

    SciPy's COO-to-CSR conversion is linear-time but sums duplicates, so votes go in as codes
    1/2/3 (never zero, so nothing is dropped) and the count of entries tells us whether any
    pair was repeated. Only then do we pay for a sort to keep each pair's last vote.
    """
    n_rows, n_cols = shape
    if len(rows):
        if rows.min() < 0 or rows.max() >= n_rows or cols.min() < 0 or cols.max() >= n_cols:
            raise ValueError("A vote refers to a participant or statement outside the matrix.")
    codes = (values.astype(np.int8) + 2).astype(np.int8)
    mat = sp.csr_matrix(
        (codes, (rows.astype(np.int32, copy=False), cols.astype(np.int32, copy=False))),
        shape=shape,
    )
    if mat.nnz != len(rows):
        key = rows.astype(np.int64) * n_cols + cols.astype(np.int64)
        # np.unique on the reversed keys finds each pair's first occurrence from the end,
        # that is its last vote.
        _, first_from_end = np.unique(key[::-1], return_index=True)
        keep = len(key) - 1 - first_from_end
        mat = sp.csr_matrix(
            (codes[keep], (rows[keep].astype(np.int32), cols[keep].astype(np.int32))), shape=shape
        )
    mat.sort_indices()
    indptr = mat.indptr.astype(np.int64)
    return indptr, mat.indices.astype(np.int32, copy=False), (mat.data - 2).astype(np.int8)


class VoteMatrix:
    """Who voted how on what: participants x statements, agree +1, disagree -1, pass 0.

    Build one with ``from_votes`` (id triplets, e.g. a vote log), ``from_indices`` (positions,
    the fast path for large synthetic data) or ``from_dense`` (NaN for unseen). The arrays are
    read-only; the engine copies what it needs to change.

    ``moderated_out`` and ``meta`` are boolean masks over statements: moderated-out statements
    are hidden by a moderator, meta statements are about the conversation itself. Pol.is keeps
    their votes but leaves both out of the map (their columns are zeroed) and of the
    representative and consensus statements.
    """

    __slots__ = (
        "indptr",
        "indices",
        "values",
        "participant_ids",
        "statement_ids",
        "moderated_out",
        "meta",
    )

    def __init__(
        self,
        indptr: ArrayLike,
        indices: ArrayLike,
        values: ArrayLike,
        *,
        participant_ids: ArrayLike,
        statement_ids: ArrayLike,
        moderated_out: ArrayLike | None = None,
        meta: ArrayLike | None = None,
    ) -> None:
        p_ids = _id_array(participant_ids, "participant_ids")
        s_ids = _id_array(statement_ids, "statement_ids")
        n_rows, n_cols = len(p_ids), len(s_ids)
        indptr_a = np.asarray(indptr, dtype=np.int64)
        indices_a = np.asarray(indices, dtype=np.int32)
        values_a = _check_votes(values, "values")
        if indptr_a.shape != (n_rows + 1,) or indptr_a[0] != 0 or np.any(np.diff(indptr_a) < 0):
            raise ValueError(
                "indptr must start at 0, never decrease and have one entry per participant plus one."
            )
        if indices_a.shape != values_a.shape or indptr_a[-1] != len(indices_a):
            raise ValueError("indices and values must have one entry per vote, as indptr says.")
        if len(indices_a) and (indices_a.min() < 0 or indices_a.max() >= n_cols):
            raise ValueError("A vote refers to a statement outside the matrix.")
        if len(np.unique(p_ids)) != n_rows:
            raise ValueError("participant_ids must not repeat.")
        if len(np.unique(s_ids)) != n_cols:
            raise ValueError("statement_ids must not repeat.")
        self.indptr = indptr_a
        self.indices = indices_a
        self.values = values_a
        self.participant_ids = p_ids
        self.statement_ids = s_ids
        self.moderated_out = self._mask(moderated_out, n_cols, "moderated_out")
        self.meta = self._mask(meta, n_cols, "meta")
        for arr in (
            self.indptr,
            self.indices,
            self.values,
            self.participant_ids,
            self.statement_ids,
            self.moderated_out,
            self.meta,
        ):
            arr.setflags(write=False)

    @staticmethod
    def _mask(mask: ArrayLike | None, n: int, name: str) -> NDArray[np.bool_]:
        if mask is None:
            return np.zeros(n, dtype=bool)
        arr = np.asarray(mask)
        if arr.dtype != bool or arr.shape != (n,):
            raise ValueError(f"{name} must be one True/False per statement ({n}).")
        return arr.copy()

    # ---- constructors ---------------------------------------------------------------------
    @classmethod
    def from_votes(
        cls,
        participants: ArrayLike,
        statements: ArrayLike,
        votes: ArrayLike,
        *,
        participant_ids: ArrayLike | None = None,
        statement_ids: ArrayLike | None = None,
        moderated_out: Iterable[Hashable] = (),
        meta: Iterable[Hashable] = (),
    ) -> "VoteMatrix":
        """From one (participant id, statement id, vote) triplet per vote; a later repeat wins.

        ``participant_ids`` / ``statement_ids`` fix the rows and columns (and may include people
        or statements with no votes); by default they are the sorted distinct ids seen.
        ``moderated_out`` and ``meta`` are statement ids.
        """
        p = _id_array(participants, "participants")
        s = _id_array(statements, "statements")
        v = _check_votes(votes)
        if not (len(p) == len(s) == len(v)):
            raise ValueError(
                f"participants, statements and votes must be the same length; got {len(p)}, {len(s)} and {len(v)}."
            )
        try:
            p_ids = (
                np.unique(p)
                if participant_ids is None
                else _id_array(participant_ids, "participant_ids")
            )
            s_ids = (
                np.unique(s) if statement_ids is None else _id_array(statement_ids, "statement_ids")
            )
        except TypeError as exc:
            raise ValueError(f"ids must be all numbers or all strings: {exc}") from exc
        rows = _index_of(p_ids, p, "participant")
        cols = _index_of(s_ids, s, "statement")
        indptr, indices, values = build_csr(rows, cols, v, (len(p_ids), len(s_ids)))
        return cls(
            indptr,
            indices,
            values,
            participant_ids=p_ids,
            statement_ids=s_ids,
            moderated_out=cls._id_mask(s_ids, moderated_out, "moderated_out"),
            meta=cls._id_mask(s_ids, meta, "meta"),
        )

    @classmethod
    def from_indices(
        cls,
        rows: ArrayLike,
        cols: ArrayLike,
        votes: ArrayLike,
        *,
        shape: tuple[int, int],
        moderated_out: ArrayLike | None = None,
        meta: ArrayLike | None = None,
    ) -> "VoteMatrix":
        """From row and column positions (ids are then 0..n-1); a later repeat wins.

        The fast path for large data: no id lookups. ``moderated_out`` / ``meta`` are boolean
        masks over the columns.
        """
        r = np.asarray(rows)
        c = np.asarray(cols)
        if r.dtype.kind not in "iu" or c.dtype.kind not in "iu":
            raise ValueError("rows and cols must be integer positions.")
        v = _check_votes(votes)
        if not (r.shape == c.shape == v.shape) or r.ndim != 1:
            raise ValueError("rows, cols and votes must be flat arrays of the same length.")
        indptr, indices, values = build_csr(r, c, v, shape)
        return cls(
            indptr,
            indices,
            values,
            participant_ids=np.arange(shape[0]),
            statement_ids=np.arange(shape[1]),
            moderated_out=moderated_out,
            meta=meta,
        )

    @classmethod
    def from_dense(
        cls,
        matrix: ArrayLike,
        *,
        participant_ids: ArrayLike | None = None,
        statement_ids: ArrayLike | None = None,
        moderated_out: Iterable[Hashable] = (),
        meta: Iterable[Hashable] = (),
    ) -> "VoteMatrix":
        """From a dense array with NaN where a participant has not seen a statement."""
        arr = np.asarray(matrix, dtype=float)
        if arr.ndim != 2:
            raise ValueError(
                f"The vote matrix must be two-dimensional, got {arr.ndim} dimension(s)."
            )
        seen = ~np.isnan(arr)
        rows, cols = np.nonzero(seen)
        if np.isinf(arr).any():
            raise ValueError("The vote matrix contains infinite values.")
        values = _check_votes(arr[rows, cols], "The vote matrix")
        p_ids = (
            np.arange(arr.shape[0])
            if participant_ids is None
            else _id_array(participant_ids, "participant_ids")
        )
        s_ids = (
            np.arange(arr.shape[1])
            if statement_ids is None
            else _id_array(statement_ids, "statement_ids")
        )
        if len(p_ids) != arr.shape[0] or len(s_ids) != arr.shape[1]:
            raise ValueError("participant_ids and statement_ids must match the matrix's shape.")
        indptr, indices, vals = build_csr(rows, cols, values, arr.shape)
        return cls(
            indptr,
            indices,
            vals,
            participant_ids=p_ids,
            statement_ids=s_ids,
            moderated_out=cls._id_mask(s_ids, moderated_out, "moderated_out"),
            meta=cls._id_mask(s_ids, meta, "meta"),
        )

    @staticmethod
    def _id_mask(ids: IdArray, chosen: Iterable[Hashable], name: str) -> NDArray[np.bool_]:
        wanted = [c for c in chosen]
        mask = np.zeros(len(ids), dtype=bool)
        if wanted:
            # Moderation may name statements nobody has voted on yet; they are simply absent.
            lookup = {k: i for i, k in enumerate(ids.tolist())}
            for c in wanted:
                key = c.item() if isinstance(c, np.generic) else c
                if key in lookup:
                    mask[lookup[key]] = True
        return mask

    # ---- views ----------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.participant_ids), len(self.statement_ids))

    @property
    def nnz(self) -> int:
        """Number of votes (agree, disagree and pass)."""
        return int(self.indptr[-1])

    def votes_per_participant(self) -> NDArray[np.int64]:
        return np.diff(self.indptr)

    def rows(self) -> NDArray[np.intp]:
        """The row (participant position) of every stored vote, aligned with ``indices``."""
        return np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))

    def to_dense(self) -> NDArray[np.float64]:
        """Dense array with NaN for unseen; only for small matrices."""
        out = np.full(self.shape, np.nan)
        out[self.rows(), self.indices] = self.values
        return out

    def triplets(self) -> tuple[IdArray, IdArray, NDArray[np.int8]]:
        """(participant ids, statement ids, votes), one entry per vote, participant by participant."""
        return (
            self.participant_ids[self.rows()],
            self.statement_ids[self.indices],
            self.values.copy(),
        )

    def with_moderation(
        self, *, moderated_out: Iterable[Hashable] = (), meta: Iterable[Hashable] = ()
    ) -> "VoteMatrix":
        """The same votes with a new set of moderated-out and meta statement ids."""
        return VoteMatrix(
            self.indptr,
            self.indices,
            self.values,
            participant_ids=self.participant_ids,
            statement_ids=self.statement_ids,
            moderated_out=self._id_mask(self.statement_ids, moderated_out, "moderated_out"),
            meta=self._id_mask(self.statement_ids, meta, "meta"),
        )

    def __repr__(self) -> str:
        n, m = self.shape
        return f"VoteMatrix({n} participants x {m} statements, {self.nnz} votes)"


def as_vote_matrix(votes: "VoteMatrix | ArrayLike | Sequence[Sequence[float]]") -> VoteMatrix:
    """Accept a ``VoteMatrix`` or a dense array-like (NaN for unseen)."""
    if isinstance(votes, VoteMatrix):
        return votes
    if sp.issparse(votes):
        raise ValueError(
            "A SciPy sparse matrix cannot tell a pass (0) from an unseen statement; "
            "build a VoteMatrix with VoteMatrix.from_indices or from_votes instead."
        )
    return VoteMatrix.from_dense(votes)
