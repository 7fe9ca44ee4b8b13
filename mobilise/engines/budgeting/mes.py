"""The Method of Equal Shares (MES), with the completions cities use.

The budget is split equally among the voters. Round by round, MES funds the project whose supporters
can pay for it most cheaply per unit of satisfaction, each paying an equal share (or all they have
left if that is less), until no project's supporters can afford it. See :mod:`._mes_core` for how it
is computed quickly and exactly.

Because the supporters of expensive or niche projects may not afford them, plain MES often leaves
money unspent. The completions:

``"none"``
    plain MES (pabutools ``method_of_equal_shares``).
``"add1"``
    equalshares.net's Add1: raise each voter's share by ``increment`` (one currency unit) and rerun,
    as long as the outcome still fits the budget. With ``exhaustive_stop=True`` it also stops as soon
    as the outcome is exhaustive (no other eligible project fits), which is pabutools'
    ``method_of_equal_shares(voter_budget_increment=1)``; with ``False`` it stops only when the
    next outcome would overspend, which is equalshares.net's default and pabutools'
    ``exhaustion_by_budget_increase(..., exhaustive_stop=False)``.
``"utilitarian"``
    plain MES, then greedy by the same satisfaction (by votes, for cost satisfaction) with the money
    left (pabutools ``completion_by_rule_combination``).
``"add1-utilitarian"``
    Add1, then the greedy completion.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Final, Self

from mobilise.engines._validation import check_choice

from ._base import BudgetRule, check_election, money, ordinal, plural, unexplained, vote_counts
from ._mes_core import MESData, MESEngine, add1_search, report
from ._profile import build_profile, check_satisfaction
from .greedy import _CRITERION, GreedyStep, describe_score, greedy_fill
from .pabulib import PBElection, format_number
from .results import BudgetResult, ProjectExplanation

__all__ = ["COMPLETIONS", "MethodOfEqualShares"]

COMPLETIONS: Final[tuple[str, ...]] = ("none", "add1", "utilitarian", "add1-utilitarian")


def _check_increment(value: object) -> Fraction:
    try:
        increment = Fraction(str(value)) if not isinstance(value, Fraction) else value
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"increment must be a positive number, got {value!r}.") from None
    if isinstance(value, bool) or increment <= 0:
        raise ValueError(f"increment must be a positive number, got {value!r}.")
    return increment


class MethodOfEqualShares(BudgetRule):
    """The Method of Equal Shares, optionally completed.

    Parameters
    ----------
    satisfaction : {"cost", "cardinality", "points", "borda"} or None
        How much a voter gains from a project (see :mod:`._profile`); ``None`` picks the default for
        the ballot type. ``"cost"`` (the default for approval ballots, as on equalshares.net) splits a
        project's cost equally among its supporters.
    completion : {"none", "add1", "utilitarian", "add1-utilitarian"}
        What to do about money MES leaves unspent; see the module docstring.
    increment : int, Fraction or str
        How much Add1 raises each voter's share at a time, in the budget's currency (default 1).
    exhaustive_stop : bool
        Whether Add1 also stops as soon as the outcome is exhaustive (default ``True``, as pabutools).

    Attributes (after ``fit``)
    --------------------------
    As :class:`BudgetRule`, plus:

    voter_share_ : Fraction
        Each voter's share of the budget in the run that decided the outcome (raised by Add1).
    add1_steps_ : int
        How many times Add1 raised the share (0 without Add1).
    effective_votes_ : Mapping[str, float | None]
        Each project's effective vote count: when funded, at that moment; otherwise at the start.
    """

    rule_name = "mes"

    def __init__(
        self,
        *,
        satisfaction: str | None = None,
        completion: str = "none",
        increment: int | Fraction | str = 1,
        exhaustive_stop: bool = True,
    ) -> None:
        self.satisfaction = satisfaction
        self.completion = completion
        self.increment = increment
        self.exhaustive_stop = exhaustive_stop

    def fit(self, election: PBElection) -> Self:
        election = check_election(election)
        completion = check_choice(self.completion, name="completion", choices=COMPLETIONS)
        increment = _check_increment(self.increment)
        if not isinstance(self.exhaustive_stop, bool):
            raise ValueError(
                f"exhaustive_stop must be True or False, got {self.exhaustive_stop!r}."
            )
        satisfaction = check_satisfaction(self.satisfaction, election.vote_type)
        profile = build_profile(election, satisfaction)
        data = MESData.from_profile(profile)
        budget = election.budget
        n_voters = election.num_voters
        settings = {"satisfaction": satisfaction, "completion": completion}
        if completion.startswith("add1"):
            settings["increment"] = format_number(increment)
            settings["exhaustive_stop"] = str(self.exhaustive_stop).lower()

        notes: list[str] = []
        sequence: list[int] = []
        free: list[int] = []
        share = Fraction(0)
        start_share = Fraction(0)
        steps = runs = 0
        stopped_by = ""
        if n_voters:
            engine = MESEngine(data)
            start_share = share = budget / n_voters
            free = list(data.free)
            if completion.startswith("add1"):
                eligible = [int(j) for j in data.eligible]

                def cost_of(run_: object) -> Fraction:
                    return sum((data.cost[j] for j in run_.sequence), Fraction(0))  # type: ignore[attr-defined]

                def exhaustive(run_: object) -> bool:
                    spent = cost_of(run_)
                    funded = set(run_.sequence)  # type: ignore[attr-defined]
                    return all(j in funded or spent + data.cost[j] > budget for j in eligible)

                outcome = add1_search(
                    engine,
                    start_share,
                    increment,
                    cost_of=cost_of,
                    exhaustive=exhaustive if self.exhaustive_stop else None,
                    budget=budget,
                    max_steps=None if self.exhaustive_stop else int(budget // increment),
                )
                run = outcome.run
                steps, runs, stopped_by = outcome.steps, outcome.runs, outcome.stopped_by
                share = run.beta
            else:
                run = engine.run(start_share)
                runs = 1
            sequence = run.sequence

        mes_ids = free + sequence
        completed: list[int] = []
        fill: list[GreedyStep] = []
        if completion.endswith("utilitarian"):
            fill = greedy_fill(profile, mes_ids)
            completed = [step.project for step in fill if step.taken]
        order = mes_ids + completed
        selected = tuple(profile.project_ids[j] for j in order)
        total = sum((profile.costs[j] for j in order), Fraction(0))

        if n_voters:
            notes.append(
                f"Each voter's share of the budget started at {money(start_share, election)} "
                f"({money(budget, election)} ÷ {n_voters:,} voters)."
            )
        if completion.startswith("add1") and n_voters:
            currency = election.meta.get("currency", "") or "unit"
            how = (
                "the outcome used the budget as fully as it could (no other project fitted)"
                if stopped_by == "exhaustive"
                else "a larger share would have funded more than the budget"
                if stopped_by == "overspend"
                else "the limit on raises was reached"
            )
            notes.append(
                f"The add1 completion raised every share by {format_number(increment)} {currency} at a "
                f"time, {plural(steps, 'time')}, to {money(share, election)}, stopping because {how}."
            )
        if completed:
            spare = budget - sum((profile.costs[j] for j in mes_ids), Fraction(0))
            notes.append(
                f"After equal shares, {money(spare, election)} was left; the utilitarian completion "
                f"funded {plural(len(completed), 'more project')} with it."
            )

        explanations = self._explain(election, data, share, sequence, free, fill, satisfaction)
        self.voter_share_ = share
        self.add1_steps_ = steps
        self.effective_votes_ = {pid: e.effective_votes for pid, e in explanations.items()}
        self._store(
            BudgetResult(
                rule=self.rule_name,
                settings=settings,
                selected=selected,
                total_cost=total,
                budget=budget,
                currency=election.meta.get("currency", ""),
                explanations=explanations,
                notes=tuple(notes),
                details={
                    "voter_share": share,
                    "start_share": start_share,
                    "add1_steps": steps,
                    "mes_runs": runs,
                    "stopped_by": stopped_by,
                    "rounds": len(sequence),
                },
            )
        )
        return self

    @staticmethod
    def _explain(
        election: PBElection,
        data: MESData,
        share: Fraction,
        sequence: list[int],
        free: list[int],
        fill: list[GreedyStep],
        satisfaction: str,
    ) -> dict[str, ProjectExplanation]:
        votes = vote_counts(data.profile)
        explanations = unexplained(election)
        funded, drops = report(data, share, sequence) if election.num_voters else ({}, {})
        position = {j: k + 1 for k, j in enumerate(free + sequence)}
        offset = len(free) + len(sequence)
        steps = {step.project: step for step in fill}
        n_fill = len(fill)
        for k, step in enumerate(s for s in fill if s.taken):
            position[step.project] = offset + k + 1
        rounds = len(sequence)
        for j, project in enumerate(election.projects):
            pid = project.project_id
            cost = money(project.cost, election)
            n = votes[pid]
            eff: float | None = None
            stage = ""
            round_no: int | None = None
            if j in free:
                stage = "free"
                reason = (
                    f"Funded: it costs nothing and {plural(n, 'voter')} supported it, so it is funded "
                    "before any money is shared out."
                )
            elif j in funded:
                f = funded[j]
                stage, round_no, eff = "equal shares", f.round, f.effective_votes
                reason = (
                    f"Funded in round {f.round} of {rounds}: its cost of {cost} was shared among its "
                    f"{plural(f.supporters, 'supporter')}, each paying at most "
                    f"{money(f.max_payment, election)}, as if {f.effective_votes:,.1f} voters paid equal "
                    "shares (its effective vote count)."
                )
                if f.paid_all_they_had:
                    reason += (
                        f" {f.paid_all_they_had:,} of them had less than a full share left and paid "
                        "all they had."
                    )
            elif j in drops:
                d = drops[j]
                eff = d.start_effective_votes
                if d.start_effective_votes is None:
                    reason = (
                        f"Not funded: its {plural(n, 'supporter')}' equal shares came to "
                        f"{money(d.start_money, election)} in total, less than its cost of {cost}."
                    )
                else:
                    reason = (
                        f"Not funded: {plural(n, 'voter')} supported it (effective votes at the start: "
                        f"{d.start_effective_votes:,.1f}), but they also supported projects funded "
                        f"before it; after round {d.dropped_after_round} they had "
                        f"{money(d.money_left, election)} left between them, less than its cost of {cost}."
                    )
            elif data.total_util[j] > 0:
                reason = (
                    "Not funded."  # pragma: no cover - every supported project is free or eligible
                )
            elif n == 0:
                reason = "Not funded: nobody voted for it."
            elif project.cost == 0:
                reason = (
                    "Not funded by equal shares: it costs nothing, so under cost satisfaction it "
                    "gives its supporters no satisfaction and equal shares never considers it."
                )
            else:
                reason = "Not funded: its supporters gave it no points."
            selected = j in position
            if j in steps:
                step = steps[j]
                ranked = (
                    f"ranked {ordinal(step.rank)} of {n_fill} remaining projects by "
                    f"{_CRITERION[satisfaction]} ({describe_score(satisfaction, step.score, n)})"
                )
                if step.taken:
                    stage = "completion"
                    reason = (
                        f"Funded by the utilitarian completion: {ranked}, and its cost of {cost} fitted "
                        f"in the {money(step.available, election)} left after equal shares. "
                        + reason.replace(
                            "Not funded: ", "Under equal shares alone it was not funded: "
                        )
                    )
                else:
                    reason += (
                        f" The utilitarian completion could not fit it either ({ranked}; only "
                        f"{money(step.available, election)} was left when its turn came)."
                    )
            explanations[pid] = ProjectExplanation(
                project_id=pid,
                name=project.name,
                cost=project.cost,
                votes=n,
                selected=selected,
                reason=reason,
                position=position.get(j),
                stage=stage,
                round=round_no,
                effective_votes=eff,
            )
        return explanations
