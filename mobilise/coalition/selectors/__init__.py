"""Reads about coalitions, by sub-domain: membership, pledges, the exchange, volunteering, overview.

Lists read related rows in a fixed number of queries (select_related / prefetch_related) and never
load place boundaries except to draw the members' map. Callers import this package.
"""

from ._common import MAX_SUGGESTIONS, MIN_MATCH_SCORE
from .exchange import (
    Suggestion,
    contact_for,
    listing_matches,
    mission_asks,
    mission_offers,
    place_relations,
    reason_texts,
    reasons_to_json,
    score_pair,
    suggested_asks,
    suggested_offers,
)
from .membership import (
    MapPlace,
    MembersMap,
    SectorGroup,
    coalition_members,
    decided_requests,
    members_by_sector,
    members_map,
    pending_requests,
    user_requests,
)
from .overview import (
    Dashboard,
    Mine,
    mine,
    mission_dashboard,
    opportunity_rows,
    place_dashboard,
    pledge_rows,
)
from .pledges import (
    mission_place_choices,
    mission_pledges,
    nearby_place_choices,
    pledge_updates,
    serves_choices,
)
from .volunteering import (
    OpportunityResult,
    mission_opportunities,
    my_sign_up,
    opportunity_search,
    past_sessions,
    session_sign_ups,
    upcoming_sessions,
    waiting_position,
)

__all__ = [
    "Dashboard",
    "MAX_SUGGESTIONS",
    "MIN_MATCH_SCORE",
    "MapPlace",
    "MembersMap",
    "Mine",
    "OpportunityResult",
    "SectorGroup",
    "Suggestion",
    "coalition_members",
    "contact_for",
    "decided_requests",
    "listing_matches",
    "members_by_sector",
    "members_map",
    "mine",
    "mission_asks",
    "mission_dashboard",
    "mission_offers",
    "mission_opportunities",
    "mission_place_choices",
    "mission_pledges",
    "my_sign_up",
    "nearby_place_choices",
    "opportunity_rows",
    "opportunity_search",
    "past_sessions",
    "pending_requests",
    "place_dashboard",
    "place_relations",
    "pledge_rows",
    "pledge_updates",
    "reason_texts",
    "reasons_to_json",
    "score_pair",
    "serves_choices",
    "session_sign_ups",
    "suggested_asks",
    "suggested_offers",
    "upcoming_sessions",
    "user_requests",
    "waiting_position",
]
