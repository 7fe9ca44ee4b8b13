"""Pledges: making one, reporting progress, flagging for follow-up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mobilise.coalition import access, selectors, services
from mobilise.coalition.forms import (
    FlagForm,
    PledgeForm,
    PledgeOfferForm,
    ProgressForm,
)
from mobilise.core.forms_govuk import apply_service_errors

from ._common import _data, _render

# --- pledges -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def pledge_create(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_coalition(request.user, slug)
    organisations = list(access.acting_organisations(request.user, mission))
    form = PledgeForm(
        _data(request),
        mission=mission,
        user=request.user,
        organisations=organisations,
        initial={"places": [p.pk for p in selectors.mission_place_choices(mission)][:1]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome, node = data["serves"]
        try:
            pledge = services.pledge_create(
                mission=mission,
                user=request.user,
                organisation=data["pledger"],
                title=data["title"],
                description=data["description"],
                outcome=outcome,
                toc_node=node,
                places=data["places"],
                quantity=data["quantity"],
                unit=data["unit"],
                due_date=data["due_date"],
                money_value=data["money_value"],
                in_kind_value=data["in_kind_value"],
                offer_category=data["offer_category"],
                offer_contact_consent=data["offer_contact_consent"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Pledge made and offered in the exchange. Report progress on it here "
                    "whenever you have some; matches on the offer count towards it."
                )
                if data["offer_category"]
                else _("Pledge made. Report progress on it here whenever you have some."),
            )
            return redirect(pledge)
    return _render(request, "coalition/pledge_form.html", {"form": form, "mission": mission})


def pledge_detail(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = access.access_pledge_for_view(request.user, pledge_id)
    return _render(
        request,
        "coalition/pledge_detail.html",
        {
            "pledge": pledge,
            "mission": pledge.mission,
            "updates": selectors.pledge_updates(pledge),
            "places": list(pledge.places.defer("boundary", "bbox").order_by("name")),
            "timeliness": pledge.timeliness(timezone.localdate()),
            "is_pledger": access.is_pledger(request.user, pledge),
            "offers": selectors.pledge_offers(pledge),
            "can_manage": access.can_manage_coalition(request.user, pledge.mission),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pledge_progress(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = access.access_pledge_for_progress(request.user, pledge_id)
    form = ProgressForm(_data(request), initial={"reported_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_progress_add(pledge=pledge, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Progress reported. Thank you."))
            return redirect(pledge)
    return _render(
        request,
        "coalition/progress_form.html",
        {"form": form, "pledge": pledge, "mission": pledge.mission},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pledge_flag(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = access.access_pledge_for_flag(request.user, pledge_id)
    form = FlagForm(_data(request), initial={"note": pledge.flag_note})
    if request.method == "POST" and form.is_valid():
        flagged = request.POST.get("action") != "clear"
        services.pledge_flag(
            pledge=pledge, user=request.user, flagged=flagged, note=form.cleaned_data["note"]
        )
        messages.success(
            request, _("Flagged for follow-up") if flagged else _("Follow-up flag cleared")
        )
        return redirect(pledge)
    return _render(
        request,
        "coalition/flag_form.html",
        {"form": form, "pledge": pledge, "mission": pledge.mission},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pledge_offer(request: HttpRequest, pledge_id: int) -> HttpResponse:
    """Offer an in-kind pledge in the exchange (for a pledge made without ticking the box)."""
    pledge = access.access_pledge_for_progress(request.user, pledge_id)
    form = PledgeOfferForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.pledge_offer(pledge=pledge, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Offered in the exchange. Matches on it count towards your pledge.")
            )
            return redirect(offer)
    return _render(
        request,
        "coalition/pledge_offer_form.html",
        {"form": form, "pledge": pledge, "mission": pledge.mission},
    )
