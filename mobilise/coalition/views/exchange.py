"""The exchange: asks and offers (one set of views for both) and the matches between them."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mobilise.coalition import access, selectors, services
from mobilise.coalition.forms import (
    AskForm,
    ConsentForm,
    OfferForm,
    OnBehalfForm,
    RespondForm,
)
from mobilise.coalition.models import (
    ListingStatus,
    Match,
)
from mobilise.core.forms_govuk import apply_service_errors
from mobilise.missions.models import Mission
from mobilise.places.models import Place

from ._common import _base_url, _data, _render

# --- asks, offers and matches --------------------------------------------------------------------


def _listing_places(request: HttpRequest, mission: Mission, organisations: Any) -> list[Place]:
    extra = [request.user.home_place, *(o.home_place for o in organisations)]
    return selectors.nearby_place_choices(mission, extra=extra)


def _default_place(
    request: HttpRequest, mission: Mission, organisations: list[Any]
) -> Place | None:
    for candidate in [*(o.home_place for o in organisations), request.user.home_place]:
        if candidate is not None:
            return candidate
    return mission.places.defer("boundary", "bbox").first()


@login_required
@require_http_methods(["GET", "POST"])
def listing_create(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """Post an ask (coalition organisations) or an offer (any organisation, or a resident)."""
    user = request.user
    if kind == "ask":
        mission = access.access_mission_for_acting(user, slug)
        organisations = access.acting_organisations(user, mission)
    else:
        mission = access.access_mission_for_coalition(user, slug)
        organisations = access.offering_organisations(user)
    organisations = organisations.select_related("home_place").defer(
        "home_place__boundary", "home_place__bbox"
    )
    org_list = list(organisations)
    form = (AskForm if kind == "ask" else OfferForm)(
        _data(request),
        organisations=organisations if kind == "ask" else org_list,
        places=_listing_places(request, mission, org_list),
        default_place=_default_place(request, mission, org_list),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        spec = services.KINDS[kind]
        if kind == "offer":
            data["organisation"] = data.pop("offerer")
        start, end = data.pop(spec.start_field), data.pop(spec.end_field)
        try:
            listing = services.listing_create(
                kind=kind, mission=mission, user=user, start=start, end=end, **data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Ask posted. Offers that could meet it are listed below.")
                if kind == "ask"
                else _("Offer posted. Asks it could meet are listed below."),
            )
            return redirect(listing)
    return _render(request, f"coalition/{kind}_form.html", {"form": form, "mission": mission})


# One detail page and one close page serve asks and offers; ``kind`` comes from the URL.
_VIEW = {"ask": access.access_ask_for_view, "offer": access.access_offer_for_view}
_MANAGE = {"ask": access.access_ask_for_managing, "offer": access.access_offer_for_managing}
_CAN_MANAGE = {"ask": access.can_manage_ask, "offer": access.can_manage_offer}


def _kind_text(kind: str) -> dict[str, str]:
    """The words that differ between an ask's page and an offer's."""
    if kind == "ask":
        return {
            "caption": _("Ask for %(mission)s"),
            "list": _("Asks"),
            "anchor": "asks",
            "by": _("Asked by"),
            "close": _("Close this ask"),
            "close_heading": _("Close the ask ‘%(title)s’?"),
            "suggestions": _("Offers that could meet this ask"),
            "none": _("No open offers match this ask yet. We will list them here as they come in."),
        }
    return {
        "caption": _("Offer to %(mission)s"),
        "list": _("Offers"),
        "anchor": "offers",
        "by": _("Offered by"),
        "close": _("Close this offer"),
        "close_heading": _("Close the offer ‘%(title)s’?"),
        "suggestions": _("Asks this could meet"),
        "none": _("No open asks match this offer yet."),
    }


def listing_detail(request: HttpRequest, kind: str, listing_id: int) -> HttpResponse:
    listing = _VIEW[kind](request.user, listing_id)
    can_manage = _CAN_MANAGE[kind](request.user, listing)
    is_open = listing.status == ListingStatus.OPEN
    suggestions: list[selectors.Suggestion] = []
    if can_manage and is_open:
        suggestions = (
            selectors.suggested_offers(listing)
            if kind == "ask"
            else selectors.suggested_asks(listing)
        )
    start, end = (
        (listing.start_date, listing.end_date)
        if kind == "ask"
        else (listing.available_from, listing.available_until)
    )
    return _render(
        request,
        "coalition/listing_detail.html",
        {
            "listing": listing,
            "kind": kind,
            "other_kind": "offer" if kind == "ask" else "ask",
            "text": _kind_text(kind),
            "start": start,
            "end": end,
            "mission": listing.mission,
            "can_manage": can_manage,
            "suggestions": suggestions,
            "matches": selectors.listing_matches(listing) if can_manage else [],
            "close_url": reverse(f"coalition:{kind}_close", args=[listing.pk]),
            # An offer made from an in-kind pledge: matches on it count towards the pledge.
            "pledge": listing.pledge if kind == "offer" and listing.pledge_id else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def listing_close(request: HttpRequest, kind: str, listing_id: int) -> HttpResponse:
    listing = _MANAGE[kind](request.user, listing_id)
    if request.method == "POST":
        services.listing_close(listing=listing, user=request.user)
        messages.success(request, _("Closed"))
        return redirect(listing)
    return _render(
        request,
        "coalition/close_confirm.html",
        {
            "obj": listing,
            "mission": listing.mission,
            "heading": _kind_text(kind)["close_heading"] % {"title": listing.title},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def match_create(request: HttpRequest, ask_id: int, offer_id: int) -> HttpResponse:
    """Confirm a match from an ask's (or an offer's) suggestions."""
    user = request.user
    ask = access.access_ask_for_view(user, ask_id)
    offer = access.access_offer_for_view(user, offer_id)
    ask_side, offer_side = access.is_ask_side(user, ask), access.is_offer_side(user, offer)
    if not (ask_side or offer_side or access.can_manage_coalition(user, ask.mission)):
        raise PermissionDenied
    existing = Match.objects.filter(ask=ask, offer=offer).first()
    if existing is not None:
        return redirect(existing)
    party = ask_side or offer_side
    form = ConsentForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            match = services.match_create(
                ask=ask,
                offer=offer,
                user=user,
                consent=form.cleaned_data["consent"],
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Connected: you can now see each other’s contact details")
                if match.status == Match.Status.CONNECTED
                else _("Match made. We have asked the other side to accept it."),
            )
            return redirect(match)
    scored = selectors.score_pair(ask, offer)
    return _render(
        request,
        "coalition/match_create.html",
        {
            "form": form,
            "ask": ask,
            "offer": offer,
            "mission": ask.mission,
            "party": party,
            "score": None if scored is None or scored.units_differ else round(scored.score * 100),
            "reasons": selectors.reason_texts(
                scored.reasons if scored else [],
                {
                    ask.place.code: ask.place.display_name,
                    offer.place.code: offer.place.display_name,
                },
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def match_detail(request: HttpRequest, match_id: int) -> HttpResponse:
    match = access.access_match(request.user, match_id)
    user = request.user
    ask_side, offer_side = (
        access.is_ask_side(user, match.ask),
        access.is_offer_side(user, match.offer),
    )
    waiting_on_me = match.status == Match.Status.PROPOSED and (
        (ask_side and match.ask_consented_at is None)
        or (offer_side and match.offer_consented_at is None)
    )
    # Sides nobody on the site can answer for: a mission lead answers for them.
    behalf_sides = (
        [
            side
            for side, listing in (("ask", match.ask), ("offer", match.offer))
            if getattr(match, f"{side}_consented_at") is None and not access.has_people(listing)
        ]
        if match.status == Match.Status.PROPOSED
        and access.can_manage_coalition(user, match.ask.mission)
        else []
    )
    posted_behalf = request.method == "POST" and request.POST.get("form") == "on_behalf"
    behalf_form = None
    if behalf_sides:
        side_listing = match.ask if behalf_sides[0] == "ask" else match.offer
        behalf_form = OnBehalfForm(
            request.POST if posted_behalf else None,
            initial={
                "side": behalf_sides[0],
                "email": selectors.held_email(side_listing.organisation),
            },
        )
    if posted_behalf and behalf_form is not None and behalf_form.is_valid():
        try:
            match = services.match_consent_on_behalf(
                match=match, user=user, base_url=_base_url(request), **behalf_form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(behalf_form, exc)
        else:
            messages.success(
                request,
                _("Connected: both sides have agreed")
                if match.status == Match.Status.CONNECTED
                else _("Recorded. The match now waits for the other side."),
            )
            return redirect(match)
    form = RespondForm(_data(request) if not posted_behalf else None) if waiting_on_me else None
    if request.method == "POST" and not posted_behalf and form is not None and form.is_valid():
        try:
            match = services.match_respond(
                match=match,
                user=user,
                accept=form.cleaned_data["decision"] == "accept",
                consent=form.cleaned_data["consent"],
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                {
                    Match.Status.CONNECTED: _(
                        "Connected: you can now see each other’s contact details"
                    ),
                    Match.Status.DECLINED: _("Match declined"),
                }.get(match.status, _("Accepted. We have asked the other side to accept it too.")),
            )
            return redirect(match)
    connected = match.status == Match.Status.CONNECTED
    # Contact details go only to the other side, and only once both sides have agreed.
    contacts = []
    if connected and ask_side:
        contacts.append((_("Offered by"), selectors.contact_for(match.offer)))
    if connected and offer_side:
        contacts.append((_("Asked by"), selectors.contact_for(match.ask)))
    return _render(
        request,
        "coalition/match_detail.html",
        {
            "match": match,
            "mission": match.ask.mission,
            "form": form,
            "contacts": contacts,
            "reasons": selectors.reason_texts(
                match.reasons,
                {
                    match.ask.place.code: match.ask.place.display_name,
                    match.offer.place.code: match.offer.place.display_name,
                },
            ),
            "ask_side": ask_side,
            "offer_side": offer_side,
            "behalf_form": behalf_form,
            "page_has_errors": behalf_form is not None
            and behalf_form.is_bound
            and bool(behalf_form.errors),
            "behalf_name": (
                match.ask.organisation.name
                if behalf_sides[:1] == ["ask"]
                else match.offer.organisation.name
                if behalf_sides
                else ""
            ),
            "behalf_other_agreed": bool(behalf_sides)
            and (match.offer_consented_at if behalf_sides[0] == "ask" else match.ask_consented_at)
            is not None,
        },
    )


@login_required
def matches(request: HttpRequest, slug: str) -> HttpResponse:
    """For mission leads: the matches waiting for a reply, those only they can move first."""
    mission = access.access_mission_for_coalition_management(request.user, slug)
    return _render(
        request,
        "coalition/matches.html",
        {"mission": mission, "matches": selectors.mission_matches(mission)},
    )
