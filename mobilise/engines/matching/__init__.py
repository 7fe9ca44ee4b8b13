"""Matching engine: which offers could meet an ask, and which asks an offer could meet, and why.

A coalition posts *asks* (volunteers, skills, premises, equipment, funding, data, introductions)
and its partners and residents post *offers*. ``MatchRanker`` scores every ask–offer pair on five
components, each between 0 and 1, and ranks them:

* **category** – the same kind of thing (by default a pair of different categories is not a match);
* **skills** – the share of the ask's skills or tags the offer has;
* **place** – the same place, one containing the other, or neighbouring places (the relations are
  passed in as data, ``PlaceRelations``: the engine looks nothing up);
* **availability** – the share of the ask's dates the offer's dates cover (no overlap, no match);
* **quantity** – the share of the quantity asked that the offer covers, in the same unit or one that
  converts by a documented rule (``units``: hours, days and weeks of the same thing, a day being
  8 hours); otherwise the pair's ``units_differ`` and quantities are not compared.

The score is the weighted mean of the components that apply to the pair: an ask that names no
skills is not marked down on skills, and quantities in units that do not convert are not compared
(the match says so: an app should say "units differ" rather than show the score as a percentage).
Every match carries the reasons behind its score, as codes with parameters (for translation) and
as an English sentence.

Plain Python and NumPy, no Django; deterministic: ties keep the order the asks and offers came in.
"""

from . import units
from ._places import PlaceRelations, Proximity
from .ranker import COMPONENTS, Ask, Match, MatchRanker, Offer, Reason

__all__ = [
    "COMPONENTS",
    "Ask",
    "Match",
    "MatchRanker",
    "Offer",
    "PlaceRelations",
    "Proximity",
    "Reason",
    "units",
]
