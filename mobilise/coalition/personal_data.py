"""What a coalition holds about a person, and how their account's erasure leaves it.

A resident's own pledges, offers and volunteering sign-ups are theirs alone and go with the account
(a confirmed place on a session to come passes to the first person waiting). What they did for an
organisation — its pledges, updates, asks and offers, coalition requests — belongs to the
organisation's public record: it stays, unlinked from them.
"""

from typing import Any

from django.db.models import Q

from mobilise.core.personal_data import Rows, rows_of

from .models import Ask, CoalitionMember, Match, Offer, Pledge, PledgeUpdate, SignUp
from .services.volunteering import signups_erase

PLEDGE_FIELDS = (
    "id",
    "mission__title",
    "organisation__name",
    "title",
    "description",
    "quantity",
    "unit",
    "due_date",
    "money_value",
    "in_kind_value",
    "delivered",
    "fulfilled_on",
    "created_at",
)


def export(user: Any) -> dict[str, Rows]:
    return {
        "pledges": rows_of(Pledge.objects.filter(Q(person=user) | Q(made_by=user)), *PLEDGE_FIELDS),
        "pledge_updates": rows_of(
            PledgeUpdate.objects.filter(made_by=user),
            "pledge_id",
            "pledge__title",
            "amount",
            "reported_on",
            "note",
            "created_at",
        ),
        "offers": rows_of(
            Offer.objects.filter(Q(person=user) | Q(made_by=user)),
            "id",
            "mission__title",
            "organisation__name",
            "title",
            "description",
            "quantity",
            "unit",
            "status",
            "contact_consent",
            "created_at",
        ),
        "asks": rows_of(
            Ask.objects.filter(made_by=user),
            "id",
            "mission__title",
            "organisation__name",
            "title",
            "description",
            "quantity",
            "unit",
            "status",
            "created_at",
        ),
        "volunteering": rows_of(
            SignUp.objects.filter(person=user),
            "session__opportunity__role",
            "session__opportunity__organisation__name",
            "session__starts_at",
            "session__ends_at",
            "status",
            "attended",
            "hours",
            "created_at",
            "cancelled_at",
        ),
        "coalition_requests": rows_of(
            CoalitionMember.objects.filter(requested_by=user),
            "mission__title",
            "organisation__name",
            "statement",
            "status",
            "created_at",
        ),
    }


def erase(user: Any) -> None:
    signups_erase(person=user)
    Match.objects.filter(handed_over_to__iexact=user.email).update(handed_over_to="")
    # A resident's own pledges and offers go with the account (their rows cascade); everything done
    # for an organisation keeps its row and loses the link to them (SET_NULL).
    Pledge.objects.filter(person=user).delete()
    Offer.objects.filter(person=user).delete()
