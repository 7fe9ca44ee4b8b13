"""Writes to coalitions, by sub-domain: membership, pledges, the exchange of asks and offers, volunteering.

Every service takes keyword arguments, runs in one transaction, checks who is acting (views have
checked already through ``access``; services check again because they decide what may be written),
and raises ``ValidationError`` keyed by field, writing nothing, when the input is wrong. The
database constraints in models.py back each rule, so a race ends in a refusal, not bad data.

Callers import this package (``services.pledge_create``); the sub-modules hold the code.
"""

from ._common import MAX_CAPACITY, MAX_TAGS, normalise_tags
from .exchange import (
    KINDS,
    ListingKind,
    OnBehalf,
    ask_close,
    ask_create,
    listing_close,
    listing_create,
    listing_kind,
    match_consent_on_behalf,
    match_create,
    match_respond,
    offer_close,
    offer_create,
)
from .membership import coalition_join_request, coalition_member_decide
from .pledges import pledge_create, pledge_flag, pledge_offer, pledge_progress_add, pledge_recount
from .volunteering import (
    Attendance,
    OpportunityFields,
    attendance_record,
    opportunity_create,
    opportunity_update,
    session_create,
    session_update,
    signup_cancel,
    signup_create,
)

__all__ = [
    "Attendance",
    "KINDS",
    "ListingKind",
    "MAX_CAPACITY",
    "MAX_TAGS",
    "OnBehalf",
    "OpportunityFields",
    "ask_close",
    "ask_create",
    "attendance_record",
    "coalition_join_request",
    "coalition_member_decide",
    "listing_close",
    "listing_create",
    "listing_kind",
    "match_consent_on_behalf",
    "match_create",
    "match_respond",
    "normalise_tags",
    "offer_close",
    "offer_create",
    "opportunity_create",
    "opportunity_update",
    "pledge_create",
    "pledge_flag",
    "pledge_offer",
    "pledge_progress_add",
    "pledge_recount",
    "session_create",
    "session_update",
    "signup_cancel",
    "signup_create",
]
