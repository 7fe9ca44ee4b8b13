"""``MatchRanker``: score and rank every ask–offer pair, with the reasons for each score.

Each component is a number between 0 and 1, or "does not apply" (NaN in ``components_``):

=============  ==========================================================  ====================
component      value                                                       does not apply when
=============  ==========================================================  ====================
category       1 for the same category, 0 otherwise                        never
skills         share of the ask's tags the offer has                       the ask has no tags
place          ``place_scores`` of the two places' ``Proximity``           never
availability   share of the ask's dates the offer covers (1 if the ask     neither has dates
               is open-ended and they overlap at all)
quantity       offered ÷ asked, at most 1 (the offer converted into the     the units differ and
               ask's unit where ``units`` has a rule: 1 day = 8 hours)     do not convert
=============  ==========================================================  ====================

A pair whose units differ and do not convert is still ranked on the other components, but its
``units_differ`` is True: a score then says nothing about quantity, and an app should say "units
differ" rather than show the score as a percentage of what was asked.

score = Σ weight × value / Σ weight, over the components that apply. Pairs of different categories
(``same_category_only``) or whose dates do not overlap (``require_overlap``) are not matches at all;
neither are pairs scoring below ``min_score``.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mobilise.engines._validation import check_is_fitted

from . import units as _units
from ._places import PlaceRelations, Proximity

COMPONENTS = ("category", "skills", "place", "availability", "quantity")
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "category": 1.0,
    "skills": 2.0,
    "place": 2.0,
    "availability": 1.0,
    "quantity": 1.0,
}
DEFAULT_PLACE_SCORES: Mapping[Proximity, float] = {
    Proximity.SAME: 1.0,
    Proximity.OFFER_CONTAINS: 0.75,
    Proximity.ASK_CONTAINS: 0.75,
    Proximity.NEIGHBOUR: 0.5,
    Proximity.NONE: 0.0,
}
_FAR_PAST, _FAR_FUTURE = date.min.toordinal(), date.max.toordinal()


@dataclass(frozen=True)
class _Listing:
    id: Hashable
    category: str
    place: str
    quantity: float
    unit: str = ""
    tags: frozenset[str] | Sequence[str] = frozenset()
    start: date | None = None  # None: from any time
    end: date | None = None  # None: open-ended


@dataclass(frozen=True)
class Ask(_Listing):
    """What a mission team or partner needs: ``quantity`` of ``unit`` between ``start`` and ``end``."""


@dataclass(frozen=True)
class Offer(_Listing):
    """What a partner or resident can give: ``quantity`` of ``unit``, available ``start``–``end``."""


@dataclass(frozen=True)
class Reason:
    """Why a match scored as it did: a stable ``code`` and its ``params`` (for the app to translate),
    and the same in English."""

    code: str
    text: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    ask_id: Hashable
    offer_id: Hashable
    score: float
    components: Mapping[str, float | None]
    reasons: tuple[Reason, ...]

    @property
    def units_differ(self) -> bool:
        """The quantities are in units that do not convert, so they were not compared."""
        return self.components.get("quantity") is None


def _norm_tags(tags: Iterable[str]) -> frozenset[str]:
    if isinstance(tags, str):
        raise ValueError("tags must be a collection of strings, not one string.")
    return frozenset(t.strip().casefold() for t in tags if t and t.strip())


def _fmt(number: float) -> str:
    return f"{number:g}"


class MatchRanker:
    """Rank offers for asks (and asks for offers).

    Parameters
    ----------
    weights : mapping of component name to a weight ≥ 0; missing names keep their default
        (category 1, skills 2, place 2, availability 1, quantity 1).
    place_scores : mapping of ``Proximity`` (or its value) to a score in [0, 1]; missing ones keep
        their default (same 1, either containing the other 0.75, neighbour 0.5, otherwise 0).
    same_category_only : pairs of different categories are not matches (default True).
    require_overlap : pairs whose dates do not overlap are not matches (default True).
    min_score : pairs scoring below this are not matches (default 0).
    max_per_ask : keep at most this many matches for each ask (default: all).

    After ``fit``: ``matches_`` (every match, by ask in input order then best first),
    ``scores_`` (asks × offers, NaN where a pair is not a match) and ``components_``
    (asks × offers × components, NaN where a component does not apply).
    """

    def __init__(
        self,
        weights: Mapping[str, float] | None = None,
        place_scores: Mapping[Proximity | str, float] | None = None,
        *,
        same_category_only: bool = True,
        require_overlap: bool = True,
        min_score: float = 0.0,
        max_per_ask: int | None = None,
    ) -> None:
        self.weights = weights
        self.place_scores = place_scores
        self.same_category_only = same_category_only
        self.require_overlap = require_overlap
        self.min_score = min_score
        self.max_per_ask = max_per_ask

    # --- validation ------------------------------------------------------------------------------

    def _check_params(self) -> tuple[NDArray[np.float64], dict[Proximity, float]]:
        weights = dict(DEFAULT_WEIGHTS)
        for name, value in (self.weights or {}).items():
            if name not in COMPONENTS:
                raise ValueError(
                    f"Unknown weight {name!r}: the components are {', '.join(COMPONENTS)}."
                )
            weights[name] = _finite(value, f"The weight of {name}")
            if weights[name] < 0:
                raise ValueError(f"The weight of {name} must be zero or more, got {value}.")
        if not any(weights.values()):
            raise ValueError("At least one weight must be more than zero.")
        place_scores = dict(DEFAULT_PLACE_SCORES)
        for key, value in (self.place_scores or {}).items():
            try:
                proximity = Proximity(key)
            except ValueError as exc:
                names = ", ".join(p.value for p in Proximity)
                raise ValueError(f"Unknown place relation {key!r}: use one of {names}.") from exc
            place_scores[proximity] = _finite(value, f"The place score for {proximity.value}")
            if not 0 <= place_scores[proximity] <= 1:
                raise ValueError(
                    f"The place score for {proximity.value} must be between 0 and 1, got {value}."
                )
        if not 0 <= _finite(self.min_score, "min_score") <= 1:
            raise ValueError(f"min_score must be between 0 and 1, got {self.min_score}.")
        if self.max_per_ask is not None and (
            isinstance(self.max_per_ask, bool)
            or not isinstance(self.max_per_ask, int)
            or self.max_per_ask < 1
        ):
            raise ValueError(
                f"max_per_ask must be a whole number of 1 or more, got {self.max_per_ask!r}."
            )
        return np.array([weights[c] for c in COMPONENTS], dtype=float), place_scores

    @staticmethod
    def _check_listings(items: Sequence[_Listing], kind: type, name: str) -> list[_Listing]:
        items = list(items)
        seen: set[Hashable] = set()
        for item in items:
            if not isinstance(item, kind):
                raise ValueError(
                    f"{name} must be {kind.__name__} objects, got {type(item).__name__}."
                )
            if item.id in seen:
                raise ValueError(f"{name} has the id {item.id!r} more than once.")
            seen.add(item.id)
            quantity = _finite(item.quantity, f"The quantity of {name[:-1]} {item.id!r}")
            if quantity <= 0:
                raise ValueError(
                    f"The quantity of {name[:-1]} {item.id!r} must be more than zero, got {item.quantity}."
                )
            if item.start and item.end and item.end < item.start:
                raise ValueError(f"{name[:-1].capitalize()} {item.id!r} ends before it starts.")
            if not item.category:
                raise ValueError(f"{name[:-1].capitalize()} {item.id!r} has no category.")
        return items

    # --- fitting ---------------------------------------------------------------------------------

    def fit(
        self,
        asks: Sequence[Ask],
        offers: Sequence[Offer],
        places: PlaceRelations | None = None,
    ) -> "MatchRanker":
        weights, place_scores = self._check_params()
        asks_ = self._check_listings(asks, Ask, "asks")
        offers_ = self._check_listings(offers, Offer, "offers")
        if places is not None and not isinstance(places, PlaceRelations):
            raise ValueError("places must be a PlaceRelations.")
        relations = places or PlaceRelations()

        n_a, n_o, n_c = len(asks_), len(offers_), len(COMPONENTS)
        comp = np.full((n_a, n_o, n_c), np.nan)
        excluded = np.zeros((n_a, n_o), dtype=bool)
        proximity: dict[tuple[int, int], Proximity] = {}
        a_tags = [_norm_tags(a.tags) for a in asks_]
        o_tags = [_norm_tags(o.tags) for o in offers_]
        # How many of the ask's unit one of the offer's unit is (NaN: they do not convert).
        unit_factor = np.array(
            [[_units.factor(o.unit, a.unit) or np.nan for o in offers_] for a in asks_], dtype=float
        ).reshape(n_a, n_o)
        a_cat = np.array([a.category for a in asks_], dtype=object)
        o_cat = np.array([o.category for o in offers_], dtype=object)

        # Category.
        same_cat = a_cat[:, None] == o_cat[None, :] if n_a and n_o else np.zeros((n_a, n_o), bool)
        comp[:, :, 0] = same_cat.astype(float)
        if self.same_category_only:
            excluded |= ~same_cat

        # Skills: the share of the ask's tags the offer has.
        for i, tags in enumerate(a_tags):
            if tags:
                comp[i, :, 1] = [len(tags & o) / len(tags) for o in o_tags]

        # Place.
        for i, ask in enumerate(asks_):
            for j, offer in enumerate(offers_):
                rel = relations.relation(ask.place, offer.place)
                proximity[i, j] = rel
                comp[i, j, 2] = place_scores[rel]

        # Availability, on whole days, both ends included; a missing end is open.
        a_start, a_end = _ordinals(asks_)
        o_start, o_end = _ordinals(offers_)
        overlap = (
            np.minimum(a_end[:, None], o_end[None, :])
            - np.maximum(a_start[:, None], o_start[None, :])
            + 1
        )
        overlap = np.maximum(overlap, 0)
        a_bounded = (a_start > _FAR_PAST) & (a_end < _FAR_FUTURE)
        a_days = np.where(a_bounded, a_end - a_start + 1, 1)
        fraction = np.where(a_bounded[:, None], overlap / a_days[:, None], (overlap > 0) * 1.0)
        a_dated = np.array([a.start is not None or a.end is not None for a in asks_], dtype=bool)
        o_dated = np.array([o.start is not None or o.end is not None for o in offers_], dtype=bool)
        any_dates = a_dated[:, None] | o_dated[None, :]
        comp[:, :, 3] = np.where(any_dates, np.minimum(fraction, 1.0), np.nan)
        if self.require_overlap:
            excluded |= any_dates & (overlap <= 0)

        # Quantity, in the ask's unit: the same unit, or one that converts (``units``).
        a_q = np.array([float(a.quantity) for a in asks_])
        o_q = np.array([float(o.quantity) for o in offers_])
        ratio = (
            np.minimum(o_q[None, :] * unit_factor / a_q[:, None], 1.0)
            if n_a and n_o
            else np.zeros((n_a, n_o))
        )
        comp[:, :, 4] = ratio  # NaN where the units do not convert

        applies = ~np.isnan(comp)
        weight_sum = (applies * weights).sum(axis=2)
        weighted = np.where(applies, comp, 0.0) @ weights if n_c else np.zeros((n_a, n_o))
        scores = np.divide(weighted, weight_sum, out=np.zeros_like(weighted), where=weight_sum > 0)
        scores = np.round(scores, 10)  # the same inputs give the same ranking on every machine
        excluded |= scores < self.min_score
        scores = np.where(excluded, np.nan, scores)

        matches: list[Match] = []
        for i, ask in enumerate(asks_):
            order = [j for j in np.argsort(-np.nan_to_num(scores[i], nan=-1.0), kind="stable")]
            kept = [j for j in order if not np.isnan(scores[i, j])]
            if self.max_per_ask is not None:
                kept = kept[: self.max_per_ask]
            for j in kept:
                offer = offers_[j]
                values = {
                    name: (None if np.isnan(comp[i, j, c]) else float(comp[i, j, c]))
                    for c, name in enumerate(COMPONENTS)
                }
                reasons = _reasons(
                    ask,
                    offer,
                    ask_tags=a_tags[i],
                    offer_tags=o_tags[j],
                    proximity=proximity[i, j],
                    values=values,
                    overlap_days=int(overlap[i, j]),
                    unit_factor=float(unit_factor[i, j]),
                )
                matches.append(
                    Match(
                        ask_id=ask.id,
                        offer_id=offer.id,
                        score=float(scores[i, j]),
                        components=values,
                        reasons=reasons,
                    )
                )
        self.matches_ = matches
        self.scores_ = scores
        self.components_ = comp
        self.ask_ids_ = [a.id for a in asks_]
        self.offer_ids_ = [o.id for o in offers_]
        return self

    # --- reading results -------------------------------------------------------------------------

    def offers_for(self, ask_id: Hashable) -> list[Match]:
        """The matches for one ask, best first."""
        check_is_fitted(self, ["matches_"])
        if ask_id not in self.ask_ids_:
            raise ValueError(f"There is no ask with the id {ask_id!r}.")
        return [m for m in self.matches_ if m.ask_id == ask_id]

    def asks_for(self, offer_id: Hashable) -> list[Match]:
        """The asks one offer could meet, best first (ties in the order the asks came in)."""
        check_is_fitted(self, ["matches_"])
        if offer_id not in self.offer_ids_:
            raise ValueError(f"There is no offer with the id {offer_id!r}.")
        position = {ask_id: n for n, ask_id in enumerate(self.ask_ids_)}
        found = [m for m in self.matches_ if m.offer_id == offer_id]
        return sorted(found, key=lambda m: (-m.score, position[m.ask_id]))


def _finite(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a number, got {value!r}.") from exc
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    return number


def _ordinals(items: Sequence[_Listing]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    starts = np.array(
        [i.start.toordinal() if i.start else _FAR_PAST for i in items], dtype=np.int64
    )
    ends = np.array([i.end.toordinal() if i.end else _FAR_FUTURE for i in items], dtype=np.int64)
    return starts, ends


_PLACE_TEXT = {
    Proximity.SAME: ("same_place", "In the same place ({ask_place})"),
    Proximity.OFFER_CONTAINS: (
        "offer_covers_place",
        "Offered across {offer_place}, which includes {ask_place}",
    ),
    Proximity.ASK_CONTAINS: (
        "ask_covers_place",
        "Offered in {offer_place}, inside the area asked for ({ask_place})",
    ),
    Proximity.NEIGHBOUR: ("neighbouring_place", "Offered in {offer_place}, next to {ask_place}"),
    Proximity.NONE: ("distant_place", "Offered in {offer_place}, away from {ask_place}"),
}


def _reasons(
    ask: _Listing,
    offer: _Listing,
    *,
    ask_tags: frozenset[str],
    offer_tags: frozenset[str],
    proximity: Proximity,
    values: Mapping[str, float | None],
    overlap_days: int,
    unit_factor: float = 1.0,
) -> tuple[Reason, ...]:
    reasons: list[Reason] = []
    if ask.category == offer.category:
        reasons.append(
            Reason("same_category", f"Both are {ask.category}", {"category": ask.category})
        )
    else:
        reasons.append(
            Reason(
                "different_category",
                f"Asks for {ask.category}; offers {offer.category}",
                {"ask_category": ask.category, "offer_category": offer.category},
            )
        )

    if ask_tags:
        matched = sorted(ask_tags & offer_tags)
        missing = sorted(ask_tags - offer_tags)
        params = {"matched": matched, "missing": missing, "asked": len(ask_tags)}
        if not missing:
            reasons.append(
                Reason("skills_all", f"Has every skill asked for: {', '.join(matched)}", params)
            )
        elif matched:
            reasons.append(
                Reason(
                    "skills_some",
                    f"Has {len(matched)} of the {len(ask_tags)} skills asked for: "
                    f"{', '.join(matched)} (not {', '.join(missing)})",
                    params,
                )
            )
        else:
            reasons.append(
                Reason(
                    "skills_none", f"Has none of the skills asked for: {', '.join(missing)}", params
                )
            )

    code, template = _PLACE_TEXT[proximity]
    place_params = {"ask_place": ask.place, "offer_place": offer.place}
    reasons.append(Reason(code, template.format(**place_params), place_params))

    availability = values["availability"]
    if availability is not None:
        if availability >= 1:
            reasons.append(Reason("dates_cover", "Available on all the dates asked for", {}))
        elif overlap_days > 0:
            share = round(availability * 100)
            reasons.append(
                Reason(
                    "dates_partly",
                    f"Available on {overlap_days} of the days asked for ({share}%)",
                    {"days": overlap_days, "percent": share},
                )
            )
        else:
            reasons.append(Reason("dates_apart", "Not available on the dates asked for", {}))

    quantity = values["quantity"]
    q_params: dict[str, Any] = {
        "offered": float(offer.quantity),
        "asked": float(ask.quantity),
        "unit": ask.unit,
    }
    converts = quantity is not None and _units.normalise(offer.unit) != _units.normalise(ask.unit)
    if converts:
        # Say how the units were compared, so the reader can check the rule.
        converted = round(float(offer.quantity) * unit_factor, 2)
        q_params.update(offer_unit=offer.unit, converted=converted)
        reasons.append(
            Reason(
                "units_converted",
                f"{_fmt(offer.quantity)} {offer.unit} is {_fmt(converted)} {ask.unit} "
                f"(a day is {_fmt(_units.HOURS_PER_DAY)} hours)",
                dict(q_params),
            )
        )
    if quantity is None:
        reasons.append(
            Reason(
                "different_units",
                f"Offers {_fmt(offer.quantity)} {offer.unit}; asks for {_fmt(ask.quantity)} {ask.unit}",
                {**q_params, "offer_unit": offer.unit},
            )
        )
    elif quantity >= 1:
        reasons.append(
            Reason(
                "quantity_enough",
                f"Offers {_fmt(offer.quantity)} {offer.unit}, enough for the {_fmt(ask.quantity)} asked for".replace(
                    "  ", " "
                ),
                q_params,
            )
        )
    else:
        share = round(quantity * 100)
        reasons.append(
            Reason(
                "quantity_partial",
                f"Offers {_fmt(offer.quantity)} of the {_fmt(ask.quantity)} {ask.unit} asked for ({share}%)".replace(
                    "  ", " "
                ),
                {**q_params, "percent": share},
            )
        )
    return tuple(reasons)
