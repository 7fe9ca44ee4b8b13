"""How two places relate, from data the caller supplies: each place's parent and its neighbours."""

from collections.abc import Iterable, Mapping
from enum import StrEnum


class Proximity(StrEnum):
    """How an offer's place relates to an ask's place, nearest first."""

    SAME = "same"
    # The offer's place contains the ask's (a London-wide offer for an ask in Camden).
    OFFER_CONTAINS = "offer_contains"
    # The ask's place contains the offer's (an offer in Camden for a London-wide ask).
    ASK_CONTAINS = "ask_contains"
    NEIGHBOUR = "neighbour"
    NONE = "none"


class PlaceRelations:
    """Parents and neighbours of places, keyed by any hashable code (ONS codes in the app).

    ``parents`` maps a place to the place directly containing it (or ``None``); ``neighbours`` maps
    a place to those sharing a border with it. Neighbourhood is made symmetric, so the caller may
    give each border once. Places missing from both are simply unrelated to everything else.
    """

    def __init__(
        self,
        parents: Mapping[str, str | None] | None = None,
        neighbours: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.parents = dict(parents or {})
        self.neighbours: dict[str, set[str]] = {}
        for place, others in (neighbours or {}).items():
            for other in others:
                if other == place:
                    raise ValueError(f"Place {place!r} is listed as its own neighbour.")
                self.neighbours.setdefault(place, set()).add(other)
                self.neighbours.setdefault(other, set()).add(place)
        for place in self.parents:
            self.ancestors(place)  # fail now, with a clear message, on a cycle

    def ancestors(self, place: str) -> list[str]:
        """The places containing ``place``, nearest first."""
        chain: list[str] = []
        current = self.parents.get(place)
        while current is not None:
            if current == place or current in chain:
                raise ValueError(f"The parents of {place!r} form a loop.")
            chain.append(current)
            current = self.parents.get(current)
        return chain

    def relation(self, ask_place: str, offer_place: str) -> Proximity:
        if ask_place == offer_place:
            return Proximity.SAME
        if offer_place in self.ancestors(ask_place):
            return Proximity.OFFER_CONTAINS
        if ask_place in self.ancestors(offer_place):
            return Proximity.ASK_CONTAINS
        if offer_place in self.neighbours.get(ask_place, ()):
            return Proximity.NEIGHBOUR
        return Proximity.NONE
