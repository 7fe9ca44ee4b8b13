"""The Method of Equal Shares, computed fast and exactly.

How a run works (equalshares.net, and pabutools' ``method_of_equal_shares``): every voter starts with
the same endowment ``beta``. In each round, for every remaining project, find the smallest price
``rho`` per unit of utility at which its supporters can pay its cost, each paying ``rho × utility``
or all they have left; fund the project with the smallest ``rho`` (ties: lowest id as a string),
charge its supporters, and repeat until no project's supporters can afford it.

Speed comes from four things:

* **Arrays, with identical voters merged.** Voters who support the same projects with the same
  utilities always have the same budget, so they form one weighted group; budgets are a float64 array
  and a project's price takes a few vectorised passes over its supporters' budgets.
* **Floats screen, exact arithmetic decides.** Whenever a decision is within ``_REL`` (relative) of
  going the other way — two projects' prices nearly equal, a supporter right on the pay-in-full
  boundary, money behind a project nearly equal to its cost — it is made with exact rationals:
  cheaply when every supporter who pays in full is certainly at zero (then ``rho = cost / rich
  utility`` exactly), otherwise by recomputing the whole run with :func:`exact_run`, which works in
  ``fractions.Fraction`` throughout. Real data has many exact ties (two projects needing 1/20 each).
* **Lazy evaluation.** A project's price only rises as budgets fall, so the price found in an earlier
  round is a lower bound; projects whose bound is above the best price so far are not re-evaluated.
* **Certified jumps for the add1 completion.** add1 reruns MES with each voter's endowment raised by
  one currency unit at a time; on Budapest 2024 that is 22,000 runs. With the sequence of funded
  projects held fixed, every budget rises and every price falls as the endowment rises (induction over
  rounds). So if, at endowment ``b``, every round's winner is priced no higher than every rival at a
  larger endowment ``b'``, every endowment in between funds the same projects in the same order.
  :meth:`MESEngine.run` checks this while it runs at ``b'`` ("guided" by the run at ``b``), allowing
  one exception: a rival the guide funds later, supported by nobody who supports anything funded in
  between, may overtake harmlessly. The same monotonicity lets a run at a larger endowment with the
  same sequence so far bound a smaller endowment's prices from below (``upper``). :func:`add1_search`
  gallops and bisects with these certificates, so it skips stretches with proof rather than hope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Final

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from ._profile import Profile

# Relative margin inside which floats are not trusted to decide. Rounding error in a run is many
# orders of magnitude smaller (float64 carries 16 digits; a run is tens of rounds of sums).
_REL: Final = 1e-9


# Verdicts of a certified round.
_FAIL, _PASS, _SWAPPED = 0, 1, 2

# Endowment steps tried at once by add1 (see ``add1_search``).
_MIN_STRETCH: Final = 8


class _Undecided(Exception):
    """Floats cannot settle a decision and the cheap exact check does not apply."""


@dataclass(frozen=True, eq=False)
class MESData:
    """What MES needs from a profile.

    Voters who give every project the same utility behave identically under MES (same budget at every
    step), so they are merged into one *group* with a weight. Only positive utilities count. A project
    is *eligible* when it has supporters and a positive cost; a supported project that costs nothing
    is funded before the first round (``free``), as pabutools does.
    """

    profile: Profile
    eligible: NDArray[np.intp]
    free: tuple[int, ...]
    n_groups: int
    supporters: tuple[NDArray[np.intp], ...]  # group indices, per project
    weight_f: tuple[NDArray[np.float64], ...]  # group sizes, per supporter
    weight_i: tuple[NDArray[np.int64], ...]
    util_f: tuple[NDArray[np.float64] | None, ...]  # None when every supporter has the same utility
    util_i: tuple[NDArray[np.int64], ...]
    uw_f: tuple[NDArray[np.float64] | None, ...]  # utility × weight, when utilities differ
    uniform: NDArray[np.float64]  # the shared (scaled) utility, or nan
    total_util: tuple[int, ...]  # Σ weight × utility, exactly
    total_weight: NDArray[np.float64]
    cost: tuple[Fraction, ...]
    cost_f: NDArray[np.float64]
    rank: NDArray[np.intp]
    twin: NDArray[np.intp]  # projects with identical cost and supporters share a twin id
    overlap: NDArray[np.bool_]  # overlap[a, b]: some voter supports both projects

    @classmethod
    def from_profile(cls, profile: Profile) -> MESData:
        n_projects = profile.n_projects
        positive = profile.util > 0
        project_of = np.repeat(np.arange(n_projects, dtype=np.intp), np.diff(profile.indptr))[
            positive
        ]
        voter_of = profile.voters[positive]
        util_of = profile.util[positive]
        order = np.lexsort((project_of, voter_of))
        project_of, voter_of, util_of = project_of[order], voter_of[order], util_of[order]
        # Group voters by the (project, utility) pairs they support: one padded row per voter.
        if voter_of.size:
            starts = np.flatnonzero(np.r_[True, voter_of[1:] != voter_of[:-1]])
            ends = np.r_[starts[1:], voter_of.size]
        else:
            starts = ends = np.empty(0, dtype=np.intp)
        group_of_voter, representative = _group_rows(project_of, util_of, starts, ends)
        n_groups = int(group_of_voter.max(initial=-1)) + 1
        weights = np.bincount(group_of_voter, minlength=n_groups).astype(np.int64)
        entry_group = np.repeat(group_of_voter, ends - starts)
        keep = np.repeat(representative, ends - starts)
        e_project, e_group, e_util = project_of[keep], entry_group[keep], util_of[keep]
        by_project = np.argsort(e_project, kind="stable")
        e_project, e_group, e_util = e_project[by_project], e_group[by_project], e_util[by_project]
        bounds = np.searchsorted(e_project, np.arange(n_projects + 1))

        supporters: list[NDArray[np.intp]] = []
        weight_f: list[NDArray[np.float64]] = []
        weight_i: list[NDArray[np.int64]] = []
        util_f: list[NDArray[np.float64] | None] = []
        util_i: list[NDArray[np.int64]] = []
        uw_f: list[NDArray[np.float64] | None] = []
        uniform = np.full(n_projects, np.nan)
        totals: list[int] = []
        total_weight = np.zeros(n_projects)
        eligible: list[int] = []
        free: list[int] = []
        for j in range(n_projects):
            groups = e_group[bounds[j] : bounds[j + 1]]
            util = e_util[bounds[j] : bounds[j + 1]]
            w = weights[groups]
            total = int(np.dot(w, util))
            totals.append(total)
            total_weight[j] = float(w.sum())
            if total > 0 and profile.costs[j] > 0:
                eligible.append(j)
            elif total > 0:
                free.append(j)
            supporters.append(groups)
            weight_i.append(w)
            weight_f.append(w.astype(np.float64))
            util_i.append(util)
            if util.size and (util == util[0]).all():
                uniform[j] = float(util[0])
                util_f.append(None)
                uw_f.append(None)
            else:
                util_f.append(util.astype(np.float64))
                uw_f.append((util * w).astype(np.float64))
        twins: dict[tuple[object, ...], int] = {}
        twin = np.arange(n_projects, dtype=np.intp)
        for j in eligible:
            key = (profile.costs[j], supporters[j].tobytes(), util_i[j].tobytes())
            twin[j] = twins.setdefault(key, j)
        rank = profile.lexicographic_rank()
        free.sort(key=lambda j: rank[j])
        incidence = sparse.csr_matrix(
            (np.ones(e_group.size), (e_project, e_group)), shape=(n_projects, max(n_groups, 1))
        )
        overlap = (incidence @ incidence.T).toarray() > 0
        return cls(
            profile=profile,
            eligible=np.asarray(eligible, dtype=np.intp),
            free=tuple(free),
            n_groups=n_groups,
            supporters=tuple(supporters),
            weight_f=tuple(weight_f),
            weight_i=tuple(weight_i),
            util_f=tuple(util_f),
            util_i=tuple(util_i),
            uw_f=tuple(uw_f),
            uniform=uniform,
            total_util=tuple(totals),
            total_weight=total_weight,
            cost=profile.costs,
            cost_f=np.asarray([float(c) for c in profile.costs]),
            rank=rank,
            twin=twin,
            overlap=overlap,
        )

    @property
    def n_voters(self) -> int:
        return self.profile.n_voters


def _group_rows(
    project_of: NDArray[np.intp],
    util_of: NDArray[np.int64],
    starts: NDArray[np.intp],
    ends: NDArray[np.intp],
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """Group id of each voter (identical ballots share one) and which voter represents its group."""
    counts = ends - starts
    n_voters = starts.size
    width = int(counts.max(initial=0))
    if n_voters * width <= 20_000_000:
        rows = np.repeat(np.arange(n_voters), counts)
        cols = np.arange(project_of.size) - np.repeat(starts, counts)
        padded = np.full((n_voters, 2 * width), -1, dtype=np.int64)
        padded[rows, cols] = project_of
        padded[rows, width + cols] = util_of
        _, first, inverse = np.unique(padded, axis=0, return_index=True, return_inverse=True)
        group = inverse.reshape(-1).astype(np.intp)
    else:  # very long ballots: group by the bytes of each ballot instead
        pairs = np.stack([project_of.astype(np.int64), util_of]).T.copy()
        ids: dict[bytes, int] = {}
        group = np.fromiter(
            (
                ids.setdefault(pairs[lo:hi].tobytes(), len(ids))
                for lo, hi in zip(starts.tolist(), ends.tolist(), strict=True)
            ),
            dtype=np.intp,
            count=n_voters,
        )
        _, first = np.unique(group, return_index=True)
    representative = np.zeros(n_voters, dtype=bool)
    representative[first] = True
    return group, representative


@dataclass
class Run:
    """One MES run at a fixed endowment: the funded projects in order and their prices.

    ``rho_exact`` holds the exact price where it is known cheaply (``None`` otherwise).
    """

    beta: Fraction
    sequence: list[int] = field(default_factory=list)
    rho: list[float] = field(default_factory=list)
    rho_exact: list[Fraction | None] = field(default_factory=list)
    # A lower bound on every rival's price in each round, and each round's lower bounds on all
    # prices: they let runs at smaller endowments (with the same sequence so far) skip work.
    min_rival: list[float] = field(default_factory=list)
    snapshots: list[NDArray[np.float64]] = field(default_factory=list)
    certified: bool = False
    exact: bool = False
    step: int = 0

    # False when a certified run followed its guide's order where another order is the natural one
    # (independent projects swapped): the funded set is right, the order may not be.
    natural_order: bool = True

    @cached_property
    def position(self) -> dict[int, int]:
        """Round (0-based) in which each funded project was funded."""
        return {j: t for t, j in enumerate(self.sequence)}


_Price = tuple[float, Fraction | None]


class MESEngine:
    """Runs MES at any endowment; see the module docstring for the method."""

    def __init__(self, data: MESData) -> None:
        self.data = data
        self.n_float_runs = 0
        self.n_exact_runs = 0
        self._tol = 0.0
        # Per-project figures as plain Python numbers: indexing NumPy arrays one element at a time
        # and computing with NumPy scalars is several times slower, and this runs in the inner loop.
        n = len(data.cost)
        self._cost = data.cost_f.tolist()
        self._uniform = data.uniform.tolist()
        self._weight = data.total_weight.tolist()
        self._util = [float(t) for t in data.total_util]
        self._rho0 = [
            c / t if t else np.inf for c, t in zip(self._cost, data.total_util, strict=True)
        ]
        self._rho0_exact = [
            data.cost[j] / data.total_util[j] if data.total_util[j] else None for j in range(n)
        ]
        self._eligible_rho0 = np.asarray([self._rho0[j] for j in data.eligible], dtype=np.float64)
        self._eligible_cost = data.cost_f[data.eligible]
        self._eligible_weight = data.total_weight[data.eligible]
        self._apart = ~data.overlap  # _apart[k, j]: funding k leaves j's supporters' budgets alone
        # Per run: the price found for each project, valid while ``_fresh`` says no project sharing
        # a supporter with it has been funded since (its supporters' budgets are then unchanged).
        self._fresh = np.zeros(n, dtype=bool)
        self._memo: list[_Price | None] = [None] * n

    # ---------------------------------------------------------------------------------------------
    # Float run with exact verification

    def run(self, beta: Fraction, guide: Run | None = None, upper: Run | None = None) -> Run:
        """MES at endowment ``beta``.

        With ``guide`` (a run at a smaller endowment), also certify: ``certified`` is set when every
        endowment in ``[guide.beta, beta]`` provably gives the same sequence as ``guide``. With
        ``upper`` (a run at a larger endowment), its prices bound this run's from below for as long
        as the two sequences agree, which saves evaluations. Either way the returned run is the true
        MES run at ``beta``.
        """
        try:
            self.n_float_runs += 1
            return self._float_run(beta, guide, upper)
        except _Undecided:
            self.n_exact_runs += 1
            sequence, rhos = exact_run(self.data, beta)
            return Run(
                beta, sequence, [float(r) for r in rhos], list(rhos), certified=False, exact=True
            )

    def _float_run(self, beta: Fraction, guide: Run | None, upper: Run | None) -> Run:
        d = self.data
        beta_f = float(beta)
        # Money below this is rounding noise: budgets are at most beta and a run is tens of rounds.
        self._tol = _REL * max(beta_f, 1e-300)
        budgets = np.full(d.n_groups, beta_f)
        zero = np.zeros(d.n_groups, dtype=bool)  # groups certainly at exactly zero
        lower = np.full(len(d.cost), np.inf)
        # Supporters' money only falls during a run, so a project they cannot afford at the start
        # (clearly: twice ``_price``'s margin) is never affordable in it; leaving it out from the
        # start saves evaluating it only to drop it, which is most evaluations on large cities.
        cost = self._eligible_cost
        margin = 2 * (_REL * cost + self._tol * self._eligible_weight)
        affordable = beta_f * self._eligible_weight >= cost - margin
        lower[d.eligible[affordable]] = self._eligible_rho0[affordable]
        self._fresh[:] = False
        out = Run(beta)
        leader = upper if upper is not None and not upper.exact else None
        round_no = 0
        while True:
            cache: dict[int, _Price | None] = {}
            if leader is not None:
                # Same funded projects so far at a larger endowment: its prices this round are
                # lower bounds for ours (budgets here are no larger, so prices are no smaller).
                if round_no < len(leader.snapshots) and leader.sequence[:round_no] == out.sequence:
                    np.maximum(lower, leader.snapshots[round_no] * (1 - 4 * _REL), out=lower)
                else:
                    leader = None
            if guide is not None and round_no == len(guide.sequence):
                # The guide stopped here: certify that nothing is affordable at this endowment either.
                if self._nothing_affordable(budgets, lower):
                    out.certified = True
                    return out
                guide = None
            if guide is not None:
                winner = guide.sequence[round_no]
                try:
                    found = self._current_price(winner, budgets, lower[winner])
                except _Undecided:
                    found = None
                if found is not None:
                    cache[winner] = found
                    lower[winner] = found[0]
                    verdict = self._certify_round(
                        winner, guide, round_no, budgets, zero, lower, cache
                    )
                    if verdict != _FAIL:
                        if verdict == _SWAPPED:
                            out.natural_order = False
                        self._select(out, winner, found, budgets, zero, lower)
                        round_no += 1
                        continue
                if not out.natural_order:
                    # Rounds taken in the guide's order are not necessarily this endowment's
                    # natural ones, so the natural rounds cannot simply continue from here.
                    return self._float_run(beta, None, upper)
                guide = None
            choice = self._natural_round(budgets, zero, lower, cache)
            if choice is None:
                return out
            self._select(out, choice[0], choice[1], budgets, zero, lower)
            round_no += 1

    def _current_price(self, j: int, budgets: NDArray[np.float64], lower: float) -> _Price | None:
        """:meth:`_price` within a run, remembered until a project sharing a supporter is funded."""
        if self._fresh[j]:
            return self._memo[j]
        found = self._price(j, budgets, lower)
        self._memo[j] = found
        self._fresh[j] = True
        return found

    def _price(self, j: int, budgets: NDArray[np.float64], lower: float) -> _Price | None:
        """Project ``j``'s price ``rho`` now (with its exact value when that comes free), or ``None``
        if its supporters cannot afford it."""
        d = self.data
        voters = d.supporters[j]
        b = budgets.take(voters)
        cost = self._cost[j]
        u = d.util_f[j]
        tol = self._tol
        rho0 = self._rho0[j]
        if u is None:
            # One utility for all: work in "what each supporter is asked to pay".
            u0 = self._uniform[j]
            x = rho0 * u0
            if b.min() >= x + tol:
                return rho0, self._rho0_exact[j]
            ratio = b
        else:
            if (b - rho0 * u).min() >= tol:
                return rho0, self._rho0_exact[j]
            ratio = b / u
            x = rho0
        w = d.weight_f[j]
        money = float(np.dot(b, w))
        tol_money = _REL * cost + tol * self._weight[j]
        if money < cost - tol_money:
            return None
        if money <= cost + tol_money:
            raise _Undecided
        known = lower * (1 - 4 * _REL)
        if u is None:
            x = max(x, known * u0)
            paying = w
            full = self._weight[j]
        else:
            x = max(x, known)
            paying = d.uw_f[j]  # type: ignore[assignment]
            full = self._util[j]
        bw = b * w
        previous = -1.0
        while True:
            poor = ratio < x
            poor_share = float(np.dot(paying, poor))
            if poor_share == previous:
                break
            previous = poor_share
            rich_share = full - poor_share
            if rich_share <= 0:
                raise _Undecided
            x = max(x, (cost - float(np.dot(bw, poor))) / rich_share)
        return (x / u0 if u is None else x), None

    def _exact_price(
        self, j: int, budgets: NDArray[np.float64], zero: NDArray[np.bool_], rho: float
    ) -> Fraction | None:
        """The exact price of ``j`` when every supporter who pays in full is certainly at zero and
        nobody is within rounding of the boundary; ``None`` otherwise."""
        d = self.data
        voters = d.supporters[j]
        b = budgets.take(voters)
        u = d.util_f[j]
        gap = b - rho * (self._uniform[j] if u is None else u)
        if np.abs(gap).min() < self._tol:
            return None
        poor = gap < 0
        if not zero.take(voters)[poor].all():
            return None
        rich = ~poor
        rich_util = int(np.dot(d.weight_i[j][rich], d.util_i[j][rich]))
        return d.cost[j] / rich_util

    def _select(
        self,
        out: Run,
        winner: int,
        found: _Price,
        budgets: NDArray[np.float64],
        zero: NDArray[np.bool_],
        lower: NDArray[np.float64],
    ) -> None:
        d = self.data
        rho, exact = found
        voters = d.supporters[winner]
        u = d.util_f[winner]
        gap = budgets.take(voters) - rho * (self._uniform[winner] if u is None else u)
        out.sequence.append(winner)
        out.rho.append(rho)
        out.snapshots.append(lower.copy())
        lower[winner] = np.inf
        out.min_rival.append(float(lower.min()))
        np.logical_and(self._fresh, self._apart[winner], out=self._fresh)
        if gap.min() >= self._tol:
            # Everyone paid a full share and nobody is near zero (often the case): the price is
            # exactly cost / total utility, and nobody's budget reaches zero.
            out.rho_exact.append(exact if exact is not None else self._rho0_exact[winner])
            budgets[voters] = gap
            return
        poor = gap < 0
        if exact is None and np.abs(gap).min() >= self._tol and zero.take(voters)[poor].all():
            # Every full payer was certainly at zero: the others paid the whole cost between them.
            rich = ~poor
            exact = d.cost[winner] / int(np.dot(d.weight_i[winner][rich], d.util_i[winner][rich]))
        out.rho_exact.append(exact)
        # Supporters clearly short of their share pay everything and are certainly at zero; those
        # within rounding of it are left at (nearly) zero without that certainty.
        zero[voters[gap < -self._tol]] = True
        budgets[voters] = np.maximum(gap, 0.0)

    def _nothing_affordable(self, budgets: NDArray[np.float64], lower: NDArray[np.float64]) -> bool:
        d = self.data
        for j in np.flatnonzero(np.isfinite(lower)):
            money = float(np.dot(budgets.take(d.supporters[j]), d.weight_f[j]))
            if money >= self._cost[j] * (1 - _REL) - self._tol * self._weight[j]:
                return False
        return True

    def _natural_round(
        self,
        budgets: NDArray[np.float64],
        zero: NDArray[np.bool_],
        lower: NDArray[np.float64],
        cache: dict[int, _Price | None],
    ) -> tuple[int, _Price] | None:
        best = np.inf
        evaluated: dict[int, _Price] = {}
        for j in np.argsort(lower, kind="stable").tolist():
            bound = lower[j]
            if not bound < best * (1 + 4 * _REL):
                break
            found = cache[j] if j in cache else self._current_price(j, budgets, bound)
            if found is None:
                lower[j] = np.inf
                continue
            lower[j] = found[0]
            evaluated[j] = found
            best = min(best, found[0])
        if not evaluated:
            return None
        near = [j for j, e in evaluated.items() if e[0] <= best * (1 + 2 * _REL)]
        winner = self._break_tie(near, evaluated, budgets, zero)
        return winner, evaluated[winner]

    def _break_tie(
        self,
        near: list[int],
        evaluated: dict[int, _Price],
        budgets: NDArray[np.float64],
        zero: NDArray[np.bool_],
    ) -> int:
        d = self.data
        if len(near) == 1:
            return near[0]
        # Twins (same cost, same supporters) are always exactly tied: keep the lowest id of each.
        by_twin: dict[int, int] = {}
        for j in near:
            t = int(d.twin[j])
            if t not in by_twin or d.rank[j] < d.rank[by_twin[t]]:
                by_twin[t] = j
        candidates = list(by_twin.values())
        if len(candidates) == 1:
            return candidates[0]
        exacts: list[Fraction] = []
        for j in candidates:
            rho, exact = evaluated[j]
            if exact is None:
                exact = self._exact_price(j, budgets, zero, rho)
                if exact is None:
                    raise _Undecided
                evaluated[j] = (rho, exact)
            exacts.append(exact)
        lowest = min(exacts)
        tied = [j for j, e in zip(candidates, exacts, strict=True) if e == lowest]
        return min(tied, key=lambda j: d.rank[j])

    def _commutes(self, rival: int, guide: Run, round_no: int) -> bool:
        """Could ``rival`` overtake this round's winner without changing anything?

        It could if the guide funds it later and no voter supports both it and any project the guide
        funds in between: funding it earlier then touches nobody else's budget, and rivals only get
        dearer. Districts whose ballots barely overlap swap order like this all the time.
        """
        later = guide.position.get(rival)
        if later is None or later <= round_no:
            return False
        between = guide.sequence[round_no:later]
        return not self.data.overlap[rival, between].any()

    def _certify_round(
        self,
        winner: int,
        guide: Run,
        round_no: int,
        budgets: NDArray[np.float64],
        zero: NDArray[np.bool_],
        lower: NDArray[np.float64],
        cache: dict[int, _Price | None],
    ) -> int:
        """Is ``winner``'s price at the guide's (smaller) endowment at most every rival's price here?

        For a fixed sequence, prices only fall as the endowment rises, so ``winner`` then wins this
        round at every endowment in between. Returns ``_PASS``, ``_FAIL``, or ``_SWAPPED`` when it
        passes only because a cheaper rival is one the guide funds later and can swap in harmlessly.
        """
        d = self.data
        ceiling = guide.rho[round_no]
        ceiling_exact = guide.rho_exact[round_no]
        verdict = _PASS
        for j in np.argsort(lower, kind="stable").tolist():
            if j == winner:
                continue
            bound = lower[j]
            if not bound <= ceiling * (1 + 4 * _REL):
                return verdict
            try:
                found = self._current_price(j, budgets, bound)
            except _Undecided:
                return _FAIL
            cache[j] = found
            if found is None:
                lower[j] = np.inf
                continue
            rho = found[0]
            lower[j] = rho
            if rho > ceiling * (1 + 2 * _REL):
                continue
            if self._commutes(j, guide, round_no):
                verdict = _SWAPPED
                continue
            if rho < ceiling * (1 - 2 * _REL):
                return _FAIL
            if d.twin[j] == d.twin[winner]:
                if d.rank[winner] < d.rank[j]:
                    continue
                return _FAIL
            exact = found[1] if found[1] is not None else self._exact_price(j, budgets, zero, rho)
            if exact is None or ceiling_exact is None:
                return _FAIL
            cache[j] = (rho, exact)
            if exact > ceiling_exact or (exact == ceiling_exact and d.rank[winner] < d.rank[j]):
                continue
            return _FAIL
        return verdict


# -------------------------------------------------------------------------------------------------
# Exact run


def exact_run(data: MESData, beta: Fraction) -> tuple[list[int], list[Fraction]]:
    """MES at endowment ``beta`` in exact rational arithmetic.

    Voter groups with the same budget share a *class*, so each evaluation works on a handful of
    (class, utility) groups rather than on every supporter. Used when floats cannot decide, and by the
    tests as an independent reference.
    """
    d = data
    classes = np.zeros(d.n_groups, dtype=np.int64)
    class_budget: list[Fraction] = [Fraction(beta), Fraction(0)]
    zero_class = 1
    remaining = {int(j) for j in d.eligible}
    lower: dict[int, Fraction] = {j: d.cost[j] / d.total_util[j] for j in remaining}
    sequence: list[int] = []
    rhos: list[Fraction] = []

    def groups(j: int) -> tuple[list[Fraction], list[int], list[int], NDArray[np.intp]]:
        keys = np.stack([classes[d.supporters[j]], d.util_i[j]])
        uniq, inverse = np.unique(keys, axis=1, return_inverse=True)
        inverse = inverse.reshape(-1)
        counts = np.bincount(inverse, weights=d.weight_f[j], minlength=uniq.shape[1])
        budgets = [class_budget[int(c)] for c in uniq[0]]
        return budgets, [int(u) for u in uniq[1]], [round(c) for c in counts], inverse

    def price(j: int) -> Fraction | None:
        budgets, util, counts, _ = groups(j)
        money = sum((b * k for b, k in zip(budgets, counts, strict=True)), Fraction(0))
        cost = d.cost[j]
        if money < cost:
            return None
        order = sorted(range(len(budgets)), key=lambda g: budgets[g] / util[g])
        paid = Fraction(0)
        rich = sum(u * k for u, k in zip(util, counts, strict=True))
        for g in order:
            rho = (cost - paid) / rich
            if rho * util[g] <= budgets[g]:
                return rho
            paid += budgets[g] * counts[g]
            rich -= util[g] * counts[g]
        raise AssertionError("an affordable project always has a price")  # pragma: no cover

    while True:
        best: Fraction | None = None
        best_j = -1
        for j in sorted(remaining, key=lambda k: (lower[k], d.rank[k])):
            if best is not None and lower[j] > best:
                break
            rho = price(j)
            if rho is None:
                remaining.discard(j)
                continue
            lower[j] = rho
            if best is None or rho < best or (rho == best and d.rank[j] < d.rank[best_j]):
                best, best_j = rho, j
        if best is None:
            return sequence, rhos
        sequence.append(best_j)
        rhos.append(best)
        remaining.discard(best_j)
        budgets, util, _, inverse = groups(best_j)
        new_ids = np.empty(len(budgets), dtype=np.int64)
        for g, (b, u) in enumerate(zip(budgets, util, strict=True)):
            left = b - min(b, best * u)
            if left == 0:
                new_ids[g] = zero_class
            else:
                new_ids[g] = len(class_budget)
                class_budget.append(left)
        classes[d.supporters[best_j]] = new_ids[inverse]


# -------------------------------------------------------------------------------------------------
# add1: raise the endowment until the outcome overspends (or is exhaustive)


@dataclass
class Add1Outcome:
    run: Run
    steps: int  # increments applied to the starting endowment
    runs: int  # MES runs computed
    stopped_by: str  # "exhaustive", "overspend" or "bound"


def _same_outcome_between(low: Run, high: Run) -> bool:
    """Do all endowments between two runs' provably fund what both fund, in the same order?

    Holds when the sequences agree and, round by round, the winner's price at the lower endowment
    is below every rival's price at the higher one (prices fall as the endowment rises).
    """
    if low.exact or high.exact or low.sequence != high.sequence:
        return False
    if not low.sequence:
        return True
    return bool(np.all(np.asarray(high.min_rival) > np.asarray(low.rho) * (1 + 2 * _REL)))


def add1_search(
    engine: MESEngine,
    beta0: Fraction,
    increment: Fraction,
    *,
    cost_of: Callable[[Run], Fraction],
    exhaustive: Callable[[Run], bool] | None,
    budget: Fraction,
    max_steps: int | None = None,
) -> Add1Outcome:
    """The first endowment ``beta0 + k·increment`` (k = 0, 1, …) whose outcome overspends the budget
    (answer: the outcome at ``k − 1``) or, if ``exhaustive`` is given, is exhaustive (answer: that
    outcome): exactly what trying every ``k`` in turn gives, found with certified jumps.

    ``max_steps`` bounds ``k`` (pabutools' ``exhaustion_by_budget_increase`` stops there).

    The search gallops: it runs MES a stretch ahead, guided by the current run; if that run certifies
    the whole stretch, every endowment in it funds the same projects and the stretch is skipped.
    Otherwise the stretch is bisected, each new run bounded by the run above it, until every
    endowment is either certified or computed; stretches that certify are skipped.
    """
    count = 0

    def at(step: int, guide: Run | None = None, upper: Run | None = None) -> Run:
        nonlocal count
        count += 1
        run = engine.run(beta0 + step * increment, guide=guide, upper=upper)
        run.step = step
        return run

    def explore(low: Run, high: Run) -> Add1Outcome | None:
        """Settle every endowment in (low, high]; ``low`` is known not to stop."""
        if high.step == low.step + 1:
            if cost_of(high) > budget:
                return Add1Outcome(low, low.step, count, "overspend")
            if exhaustive is not None and exhaustive(high):
                return Add1Outcome(high, high.step, count, "exhaustive")
            return None
        if _same_outcome_between(low, high):
            return None
        middle = at((low.step + high.step) // 2, guide=low, upper=high)
        if not middle.certified:
            found = explore(low, middle)
            if found is not None:
                return found
        return explore(middle, high)

    outcome = _gallop(at, explore, exhaustive, max_steps)
    if not outcome.run.natural_order:
        # The funded set is certain; recompute the run once to report pabutools' order too.
        outcome.run = at(outcome.run.step)
    outcome.runs = count
    return outcome


def _gallop(
    at: Callable[..., Run],
    explore: Callable[[Run, Run], Add1Outcome | None],
    exhaustive: Callable[[Run], bool] | None,
    max_steps: int | None,
) -> Add1Outcome:
    current = at(0)
    if exhaustive is not None and exhaustive(current):
        return Add1Outcome(current, 0, 1, "exhaustive")
    jump = _MIN_STRETCH
    while True:
        if max_steps is not None:
            if current.step >= max_steps:
                return Add1Outcome(current, current.step, 0, "bound")
            jump = min(jump, max_steps - current.step)
        ahead = at(current.step + jump, guide=current)
        if ahead.certified:
            current = ahead
            jump *= 2
            continue
        found = explore(current, ahead)
        if found is not None:
            return found
        current = ahead
        # Keep stretches of a few endowments even when they do not certify: bisecting one lets each
        # run borrow lower bounds from the run above it.
        jump = max(_MIN_STRETCH, jump // 2)


# -------------------------------------------------------------------------------------------------
# Figures for explanations


@dataclass
class RoundFigures:
    """What happened when a project was funded."""

    round: int  # 1-based
    rho: float
    max_payment: float
    effective_votes: float
    supporters: int
    paid_all_they_had: int  # supporters who could not pay a full share


@dataclass
class DropFigures:
    """An eligible project that was not funded."""

    start_effective_votes: float | None  # None when unaffordable from the start
    start_money: float
    dropped_after_round: int  # rounds funded before its supporters could no longer afford it
    money_left: float  # what its supporters had between them at that point


def report(
    data: MESData, beta: Fraction, sequence: list[int]
) -> tuple[dict[int, RoundFigures], dict[int, DropFigures]]:
    """Replay a run (in floats, following the known sequence) to collect figures residents can read."""
    engine = MESEngine(data)
    beta_f = float(beta)
    engine._tol = _REL * max(beta_f, 1e-300)
    budgets = np.full(data.n_groups, beta_f)
    selected = set(sequence)
    pending = [int(j) for j in data.eligible if int(j) not in selected]

    def money(j: int) -> float:
        return float(np.dot(budgets.take(data.supporters[j]), data.weight_f[j]))

    def payments(j: int, rho: float) -> NDArray[np.float64]:
        u = data.util_f[j]
        share = rho * (data.uniform[j] if u is None else u)
        return np.minimum(budgets.take(data.supporters[j]), share)

    drops: dict[int, DropFigures] = {}
    for j in pending:
        start = money(j)
        eff: float | None = None
        if start >= data.cost_f[j]:
            try:
                found = engine._price(j, budgets, data.cost_f[j] / data.total_util[j])
            except _Undecided:
                found = None
            if found is not None:
                eff = data.cost_f[j] / float(payments(j, found[0]).max())
        drops[j] = DropFigures(eff, start, 0, start)
    funded: dict[int, RoundFigures] = {}
    alive = [j for j in pending if drops[j].start_money >= data.cost_f[j]]
    for t, j in enumerate(sequence):
        try:
            found = engine._price(j, budgets, 0.0)
        except _Undecided:
            found = None
        rho = found[0] if found is not None else 0.0
        pay = payments(j, rho)
        top = float(pay.max()) if pay.size else 0.0
        u = data.util_f[j]
        share = rho * (data.uniform[j] if u is None else u)
        short = pay < share * (1 - 1e-9)
        funded[j] = RoundFigures(
            round=t + 1,
            rho=rho,
            max_payment=top,
            effective_votes=data.cost_f[j] / top if top > 0 else 0.0,
            supporters=int(data.weight_i[j].sum()),
            paid_all_they_had=int(data.weight_i[j][short].sum()),
        )
        voters = data.supporters[j]
        budgets[voters] = budgets.take(voters) - pay
        still = []
        for k in alive:
            left = money(k)
            if left < data.cost_f[k]:
                drops[k] = DropFigures(
                    drops[k].start_effective_votes, drops[k].start_money, t + 1, left
                )
            else:
                still.append(k)
        alive = still
    for k in alive:
        drops[k] = DropFigures(
            drops[k].start_effective_votes, drops[k].start_money, len(sequence), money(k)
        )
    return funded, drops
