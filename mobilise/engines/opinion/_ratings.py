"""The engine's working copy of the votes, built for cheap incremental updates.

A full rebuild of a 50-million-vote CSR matrix takes seconds, so new votes are applied in
place: a re-vote on a stored cell overwrites its value, and a vote on a new cell goes into a
small side list of *extra* entries, folded into the main arrays once it passes 5% of the votes
(``compact``). The caller's ``VoteMatrix`` is never modified: values are copied before the
first overwrite.
Column and row counts are kept up to date vote by vote, in exact integer arithmetic, so an
update never drifts from what a full recount would give.
"""

from collections.abc import Hashable
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .votes import VoteMatrix, _check_votes, _id_array, build_csr

_NONE = np.int8(-128)  # "no previous vote" in the arrays apply() returns


def _kind(ids: NDArray[Any]) -> str:
    return "number" if ids.dtype.kind in "iu" else ids.dtype.kind


def _segment_sums(flags: NDArray[Any], indptr: NDArray[np.int64]) -> NDArray[np.int64]:
    """Sum of ``flags`` over each CSR row (works for empty rows, unlike np.add.reduceat)."""
    cs = np.zeros(len(flags) + 1, dtype=np.int64)
    np.cumsum(flags, out=cs[1:])
    return cs[indptr[1:]] - cs[indptr[:-1]]


def _row_positions(indptr: NDArray[np.int64], rows: NDArray[np.intp]) -> NDArray[np.int64]:
    """Positions in the CSR arrays of every entry of the given rows, row after row."""
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return offsets + np.arange(total, dtype=np.int64)


class Ratings:
    """Mutable votes: base CSR arrays plus extra entries, with running counts."""

    def __init__(self, votes: VoteMatrix) -> None:
        self.indptr: NDArray[np.int64] = votes.indptr
        self.indices: NDArray[np.int32] = votes.indices
        self.values: NDArray[np.int8] = votes.values
        self._owns_values = False
        self.base_rows = votes.shape[0]
        self._ids = {"p": votes.participant_ids, "s": votes.statement_ids}
        self._lookups: dict[str, dict[Hashable, int] | None] = {"p": None, "s": None}
        self._key: NDArray[np.int32] | None = None
        # Centred values of the base votes, the centre they used, and positions changed since.
        self._data: NDArray[np.floating] | None = None
        self._data_center: NDArray[np.float64] | None = None
        self._data_zeroed: NDArray[np.bool_] | None = None
        self._dirty: list[NDArray[np.int64]] = []
        self.extra_rows = np.zeros(0, dtype=np.int64)
        self.extra_cols = np.zeros(0, dtype=np.int64)
        self.extra_vals = np.zeros(0, dtype=np.int8)
        self._extra_pos: dict[int, int] = {}
        self.moderated_out = votes.moderated_out.copy()
        self.meta = votes.meta.copy()
        self._recount()

    # ---- shape and ids --------------------------------------------------------------------
    @property
    def n_rows(self) -> int:
        return len(self._ids["p"])

    @property
    def n_cols(self) -> int:
        return len(self._ids["s"])

    @property
    def nnz(self) -> int:
        return int(self.indptr[-1]) + len(self.extra_vals)

    @property
    def zeroed(self) -> NDArray[np.bool_]:
        """Statements Pol.is zeroes out of the map: moderated out or meta (``mod-update``)."""
        return self.moderated_out | self.meta

    def participant_id_array(self) -> NDArray[Any]:
        return self._ids["p"]

    def statement_id_array(self) -> NDArray[Any]:
        return self._ids["s"]

    def _lookup(self, which: str, ids: NDArray[Any]) -> NDArray[np.intp]:
        """Positions of ids, appending any new ones as new rows or columns.

        Sorted integer ids (Pol.is's, or positions) are found by binary search; anything
        else through a dictionary built on first use.
        """
        known = self._ids[which]
        out = np.full(len(ids), -1, dtype=np.intp)
        sorted_ints = (
            known.dtype.kind in "iu"
            and ids.dtype.kind in "iu"
            and self._lookups[which] is None
            and (len(known) < 2 or bool(np.all(known[1:] > known[:-1])))
        )
        if sorted_ints and len(known):
            pos = np.minimum(np.searchsorted(known, ids), len(known) - 1)
            hit = known[pos] == ids
            out[hit] = pos[hit]
        elif len(known):
            table = self._lookups[which]
            if table is None:
                table = {k: i for i, k in enumerate(known.tolist())}
                self._lookups[which] = table
            for i, key in enumerate(ids.tolist()):
                out[i] = table.get(key, -1)
        missing = out < 0
        if missing.any():
            try:
                # Sorted, so integer ids beyond the old ones keep the binary-search path.
                new_ids = np.unique(ids[missing])
            except TypeError as exc:
                raise ValueError(f"ids must be all numbers or all strings: {exc}") from exc
            start = len(known)
            merged = np.concatenate([known, new_ids])
            self._ids[which] = merged
            table = self._lookups[which]
            if table is not None:
                for i, key in enumerate(new_ids.tolist()):
                    table[key] = start + i
            elif not bool(np.all(merged[1:] > merged[:-1])) if len(merged) > 1 else False:
                # New ids out of order: switch to a dictionary from now on.
                self._lookups[which] = {k: i for i, k in enumerate(merged.tolist())}
            index = {k: start + i for i, k in enumerate(new_ids.tolist())}
            out[missing] = [index[k] for k in ids[missing].tolist()]
        return out

    def moderation_mask(self, ids: list[Hashable]) -> NDArray[np.bool_]:
        known = self._ids["s"].tolist()
        lookup = {k: i for i, k in enumerate(known)}
        mask = np.zeros(self.n_cols, dtype=bool)
        for key in ids:
            key = key.item() if isinstance(key, np.generic) else key
            pos = lookup.get(key)
            if pos is not None:
                mask[pos] = True
        return mask

    # ---- counts ---------------------------------------------------------------------------
    def _recount(self) -> None:
        m, n = self.n_cols, self.n_rows
        key = self.indices.astype(np.intp) * 3 + (self.values.astype(np.intp) + 1)
        col = np.bincount(key, minlength=3 * m).reshape(m, 3)
        del key
        self.row_count = np.zeros(n, dtype=np.int64)
        self.row_count[: self.base_rows] = np.diff(self.indptr)
        if len(self.extra_vals):
            ekey = self.extra_cols * 3 + (self.extra_vals.astype(np.int64) + 1)
            col = col + np.bincount(ekey, minlength=3 * m).reshape(m, 3)
            self.row_count += np.bincount(self.extra_rows, minlength=n)
        self.col_disagree = col[:, 0].astype(np.int64)
        self.col_agree = col[:, 2].astype(np.int64)
        self.col_count = col.sum(axis=1).astype(np.int64)
        self._recount_zeroed()

    def _recount_zeroed(self) -> None:
        """Votes each participant cast on zeroed statements (for Pol.is's projection count)."""
        n = self.n_rows
        self.row_zeroed = np.zeros(n, dtype=np.int64)
        zeroed = self.zeroed
        if not zeroed.any():
            return
        flags = zeroed[self.indices].astype(np.int32)
        self.row_zeroed[: self.base_rows] = _segment_sums(flags, self.indptr)
        if len(self.extra_vals):
            self.row_zeroed += np.bincount(
                self.extra_rows, weights=zeroed[self.extra_cols], minlength=n
            ).astype(np.int64)

    def set_moderation(self, moderated_out: NDArray[np.bool_], meta: NDArray[np.bool_]) -> None:
        self.moderated_out = moderated_out.copy()
        self.meta = meta.copy()
        self._recount_zeroed()

    # ---- updates --------------------------------------------------------------------------
    def _grow(self, n_rows: int, n_cols: int) -> None:
        if n_rows > len(self.row_count):
            extra = n_rows - len(self.row_count)
            self.row_count = np.concatenate([self.row_count, np.zeros(extra, np.int64)])
            self.row_zeroed = np.concatenate([self.row_zeroed, np.zeros(extra, np.int64)])
        if n_cols > len(self.col_count):
            extra = n_cols - len(self.col_count)
            for name in ("col_count", "col_agree", "col_disagree"):
                setattr(
                    self, name, np.concatenate([getattr(self, name), np.zeros(extra, np.int64)])
                )
            self.moderated_out = np.concatenate([self.moderated_out, np.zeros(extra, bool)])
            self.meta = np.concatenate([self.meta, np.zeros(extra, bool)])

    def _find_in_base(self, rows: NDArray[np.intp], cols: NDArray[np.intp]) -> NDArray[np.int64]:
        """Position of each (row, col) in the base arrays, or -1: a vectorised binary search."""
        pos = np.full(len(rows), -1, dtype=np.int64)
        inside = rows < self.base_rows
        if not inside.any() or len(self.indices) == 0:
            return pos
        r, c = rows[inside], cols[inside]
        lo = self.indptr[r].copy()
        hi = self.indptr[r + 1].copy()
        end = hi.copy()
        last = len(self.indices) - 1
        while np.any(lo < hi):
            active = lo < hi
            mid = (lo + hi) // 2
            less = self.indices[np.minimum(mid, last)] < c
            lo = np.where(active & less, mid + 1, lo)
            hi = np.where(active & ~less, mid, hi)
        hit = (lo < end) & (self.indices[np.minimum(lo, last)] == c)
        sub = np.where(hit, lo, -1)
        pos[inside] = sub
        return pos

    def apply(
        self, participants: Any, statements: Any, votes: Any
    ) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.int8], NDArray[np.int8]]:
        """Record new votes (a later repeat wins); returns (rows, cols, old votes, new votes).

        ``old`` is -128 where the participant had not voted on the statement before.
        """
        p = _id_array(participants, "participants")
        s = _id_array(statements, "statements")
        v = _check_votes(votes)
        if not (len(p) == len(s) == len(v)):
            raise ValueError(
                f"participants, statements and votes must be the same length; got {len(p)}, {len(s)} and {len(v)}."
            )
        # Check both id kinds before either lookup appends anything.
        for which, ids in (("p", p), ("s", s)):
            known = self._ids[which]
            if len(known) and len(ids) and _kind(known) != _kind(ids):
                raise ValueError(
                    "New ids must be of the same kind (numbers or strings) as the old ones."
                )
        rows = self._lookup("p", p)
        cols = self._lookup("s", s)
        self._grow(self.n_rows, self.n_cols)
        if len(rows) == 0:
            empty = np.zeros(0, dtype=np.int8)
            return rows, cols, empty, empty
        # Only the last vote per (participant, statement) in the batch matters.
        key = rows.astype(np.int64) * (self.n_cols + 1) + cols
        _, first_from_end = np.unique(key[::-1], return_index=True)
        keep = np.sort(len(key) - 1 - first_from_end)
        rows, cols, v = rows[keep], cols[keep], v[keep]
        old = np.full(len(rows), _NONE, dtype=np.int8)
        pos = self._find_in_base(rows, cols)
        in_base = pos >= 0
        if in_base.any():
            if not self._owns_values:
                self.values = self.values.copy()
                self._owns_values = True
            old[in_base] = self.values[pos[in_base]]
            self.values[pos[in_base]] = v[in_base]
            if self._key is not None:
                self._key[pos[in_base]] = self.indices[pos[in_base]] * 3 + v[in_base] + 1
                self._dirty.append(pos[in_base])
        new_rows, new_cols, new_vals = [], [], []
        for i in np.flatnonzero(~in_base):
            ekey = (int(rows[i]) << 32) | int(cols[i])
            idx = self._extra_pos.get(ekey)
            if idx is not None:
                old[i] = self.extra_vals[idx]
                self.extra_vals[idx] = v[i]
            else:
                self._extra_pos[ekey] = len(self.extra_vals) + len(new_vals)
                new_rows.append(rows[i])
                new_cols.append(cols[i])
                new_vals.append(v[i])
        if new_vals:
            self.extra_rows = np.concatenate([self.extra_rows, np.asarray(new_rows, np.int64)])
            self.extra_cols = np.concatenate([self.extra_cols, np.asarray(new_cols, np.int64)])
            self.extra_vals = np.concatenate([self.extra_vals, np.asarray(new_vals, np.int8)])
        # Running counts: remove each old vote, add each new one.
        had = old != _NONE
        for arr, val in ((self.col_agree, 1), (self.col_disagree, -1)):
            np.add.at(arr, cols[had & (old == val)], -1)
            np.add.at(arr, cols[v == val], 1)
        np.add.at(self.col_count, cols[~had], 1)
        np.add.at(self.row_count, rows[~had], 1)
        zeroed = self.zeroed
        np.add.at(self.row_zeroed, rows[~had & zeroed[cols]], 1)
        return rows, cols, old, v

    def compact(self) -> None:
        """Fold the extra entries into the base arrays (a full rebuild)."""
        if len(self.extra_vals) == 0 and self.base_rows == self.n_rows:
            return
        base_r = np.repeat(np.arange(self.base_rows, dtype=np.int64), np.diff(self.indptr))
        rows = np.concatenate([base_r, self.extra_rows])
        cols = np.concatenate([self.indices.astype(np.int64), self.extra_cols])
        vals = np.concatenate([self.values, self.extra_vals])
        del base_r
        self.indptr, self.indices, self.values = build_csr(
            rows, cols, vals, (self.n_rows, self.n_cols)
        )
        self._owns_values = True
        self._key = None
        self._data = None
        self._data_center = None
        self._dirty = []
        self.base_rows = self.n_rows
        self.extra_rows = np.zeros(0, dtype=np.int64)
        self.extra_cols = np.zeros(0, dtype=np.int64)
        self.extra_vals = np.zeros(0, dtype=np.int8)
        self._extra_pos = {}

    # ---- matrices -------------------------------------------------------------------------
    def centered_parts(
        self, center: NDArray[np.float64], dtype: type, *, refresh: float = 0.0
    ) -> tuple[list[sp.csr_matrix], NDArray[np.float64]]:
        """``Xc`` (vote minus column centre on voted cells, zero on zeroed columns) as CSR parts.

        Returns (parts, centre used). With ``refresh > 0`` (updates of big conversations) the
        stored centred values are kept while no statement's mean has moved by more than
        ``refresh`` since they were computed: only the cells that changed are re-centred, and
        the centre returned is the one the values use. Pol.is's large-conversation update
        moves its centre far more slowly (a 1% blend per step).
        """
        m = self.n_cols
        zeroed = self.zeroed
        indptr = self.indptr
        if self.n_rows > self.base_rows:
            indptr = np.concatenate([indptr, np.full(self.n_rows - self.base_rows, indptr[-1])])
        if self._key is None:
            # Each stored vote's slot in the (statement, vote) table, kept between updates
            # so re-centring costs one gather.
            key = self.indices * np.int32(3)
            key += self.values
            key += np.int32(1)
            self._key = key
            self._data = None
        old = self._data_center
        reuse = (
            refresh > 0
            and self._data is not None
            and self._data.dtype == dtype
            and old is not None
            and np.array_equal(self._data_zeroed, zeroed[: len(old)])
            and float(np.abs(center[: len(old)] - old).max(initial=0.0)) <= refresh
        )
        used = np.concatenate([old, center[len(old) :]]) if reuse else center.copy()
        table = (np.arange(3)[None, :] - 1 - used[:, None]).astype(dtype)
        table[zeroed] = 0
        table = table.ravel()
        if reuse:
            if self._dirty:
                pos = np.concatenate(self._dirty)
                self._data[pos] = table[self._key[pos]]
        else:
            # Fancy indexing gathers straight from int32 keys; np.take would copy them to intp.
            self._data = table[self._key]
            self._data_center = used.copy()
            self._data_zeroed = zeroed.copy()
        self._dirty = []
        parts = [sp.csr_matrix((self._data, self.indices, indptr), shape=(self.n_rows, m))]
        if len(self.extra_vals):
            edata = table[self.extra_cols * 3 + self.extra_vals.astype(np.int64) + 1]
            parts.append(
                sp.csr_matrix((edata, (self.extra_rows, self.extra_cols)), shape=(self.n_rows, m))
            )
        return parts, used

    def group_counts(
        self, labels: NDArray[np.intp], n_groups: int, rows: NDArray[np.intp] | None = None
    ) -> NDArray[np.int64]:
        """Votes per (group, statement, kind) for participants with ``labels >= 0``.

        Returns shape (groups, statements, 3) with kinds disagree, pass, agree. With ``rows``,
        only those participants' votes are counted.
        """
        m = self.n_cols
        size = (n_groups + 1) * 3 * m
        shifted = labels.astype(np.int64) + 1  # slot 0 collects the unclustered
        if rows is None:
            lab = np.repeat(shifted[: self.base_rows].astype(np.int16), np.diff(self.indptr))
            key = lab.astype(np.intp) * (3 * m)
            del lab
            key += self.indices * 3
            key += self.values
            key += 1
            counts = np.bincount(key, minlength=size)
            del key
            erows = self.extra_rows
            ekeep = slice(None)
        else:
            base = rows[rows < self.base_rows]
            positions = _row_positions(self.indptr, base)
            lab = np.repeat(shifted[base], np.diff(self.indptr)[base])
            key = (
                lab * (3 * m)
                + self.indices[positions].astype(np.int64) * 3
                + self.values[positions]
                + 1
            )
            counts = np.bincount(key, minlength=size)
            member = np.zeros(self.n_rows, dtype=bool)
            member[rows] = True
            ekeep = member[self.extra_rows]
            erows = self.extra_rows[ekeep]
        if len(self.extra_vals):
            ekey = (
                shifted[erows] * (3 * m)
                + self.extra_cols[ekeep] * 3
                + self.extra_vals[ekeep].astype(np.int64)
                + 1
            )
            counts = counts + np.bincount(ekey, minlength=size)
        return counts.reshape(n_groups + 1, m, 3)[1:].astype(np.int64)
