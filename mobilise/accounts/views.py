"""Pages about people and organisations. Thin: access helpers decide who, services do the writing."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mobilise.core.forms_govuk import apply_service_errors
from mobilise.core.personal_data import personal_data
from mobilise.core.sections import waiting_for_you, your_pages
from mobilise.core.text import paragraphs

from . import access, selectors, services
from .forms import (
    AccountDeleteForm,
    MembershipAddForm,
    MembershipRoleForm,
    OrganisationForm,
    ProfileForm,
)
from .models import DataExport, Membership, Sector

ORGANISATIONS_PER_PAGE = 50


def organisation_index(request: HttpRequest) -> HttpResponse:
    sector = request.GET.get("sector", "")
    if sector not in Sector.values:
        sector = ""
    paginator = Paginator(
        selectors.organisation_list(sector=sector or None), ORGANISATIONS_PER_PAGE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organisation_index.html",
        {
            "organisations": page.object_list,
            "page": page,
            "sector": sector,
            "sector_label": Sector(sector).label if sector else "",
            "sectors": Sector.choices,
        },
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_get(slug=slug)
    if organisation is None:
        raise Http404
    is_member = selectors.user_is_member(request.user, organisation)
    is_admin = selectors.user_is_organisation_admin(request.user, organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "description_html": paragraphs(organisation.description),
            "missions": selectors.organisation_public_missions(organisation),
            # Who belongs to an organisation is shown to its own members only.
            "members": selectors.organisation_member_list(organisation) if is_member else None,
            "can_edit": is_admin or selectors.user_is_platform_admin(request.user),
            "can_manage_members": is_admin,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(creator=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been created") % {"name": organisation.name})
            return redirect(organisation)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": None})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.access_organisation_for_admin(request.user, slug)
    # The form gets a copy of the stored values rather than the instance itself, so invalid input
    # never touches `organisation` (the page heading keeps showing its real name); the service
    # alone writes.
    initial = model_to_dict(organisation, fields=OrganisationForm.Meta.fields)
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The organisation’s details have been saved"))
            return redirect(organisation)
    return render(
        request, "accounts/organisation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access.access_organisation_for_member_management(request.user, slug)
    form = MembershipAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(
                organisation=organisation, user=form.person, role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s has been added as %(role)s")
                % {
                    "person": membership.user.get_full_name(),
                    "role": membership.get_role_display().lower(),
                },
            )
            return redirect("accounts:organisation_members", slug=organisation.slug)
    return render(
        request,
        "accounts/organisation_members.html",
        {
            "organisation": organisation,
            "memberships": selectors.organisation_member_list(organisation),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_change(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    membership = access.access_membership_for_management(request.user, slug, membership_id)
    organisation = membership.organisation
    form = MembershipRoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(membership=membership, role=form.cleaned_data["role"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s is now %(role)s")
                % {
                    "person": membership.user.get_full_name(),
                    "role": membership.get_role_display().lower(),
                },
            )
            if not selectors.user_is_organisation_admin(request.user, organisation):
                return redirect(organisation)  # they made themselves a member: no way back in here
            return redirect("accounts:organisation_members", slug=organisation.slug)
    return render(
        request,
        "accounts/membership_change.html",
        {"organisation": organisation, "membership": membership, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    membership = access.access_membership_for_management(request.user, slug, membership_id)
    organisation = membership.organisation
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("%(person)s has been removed from %(organisation)s")
                % {"person": membership.user.get_full_name(), "organisation": organisation.name},
            )
            if membership.user_id == request.user.pk:
                return redirect(organisation)
            return redirect("accounts:organisation_members", slug=organisation.slug)
    return render(
        request,
        "accounts/membership_remove.html",
        {
            "organisation": organisation,
            "membership": membership,
            "error": error,
            "page_has_errors": bool(error),
            "is_self": membership.user_id == request.user.pk,
        },
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    response = render(
        request,
        "accounts/dashboard.html",
        {
            "roles": selectors.user_role_list(user),
            "memberships": selectors.user_membership_list(user),
            # What waits for the person, from every app that registered (core.sections).
            "waiting": waiting_for_you.collect(user),
            "your_pages": your_pages.collect(user),
            "admin_role": Membership.Role.ADMIN,
            "data_export": selectors.user_data_export(user),
        },
    )
    response["Cache-Control"] = "no-store"  # personal details and the data download's state
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None, initial={"name": user.name, "home_place": user.home_place_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your details have been saved"))
            return redirect("accounts:dashboard")
    return render(request, "accounts/profile_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def your_data(request: HttpRequest) -> HttpResponse:
    """Ask for a download of everything held about you (POST), or see how it is doing (GET)."""
    if request.method == "POST":
        # The page it returns to says the download is being prepared, until a refresh finds it
        # ready: no JavaScript needed.
        services.data_export_request(user=request.user)
        return redirect("accounts:your_data")
    return _your_data_page(request)


def _your_data_page(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "accounts/your_data.html",
        {"data_export": selectors.user_data_export(request.user)},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET"])
def data_export_download(request: HttpRequest) -> HttpResponse:
    # Only the signed-in person's own download: there is no id in the address to try others'.
    export = selectors.user_data_export(request.user, with_content=True)
    if export is None or export.status != DataExport.Status.READY:
        return _your_data_page(request)  # nothing ready yet: the page says where it has got to
    response = HttpResponse(bytes(export.content), content_type="application/zip")
    stamp = export.finished_at.strftime("%Y-%m-%d") if export.finished_at else "latest"
    response["Content-Disposition"] = f'attachment; filename="mobilise-your-data-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    user = request.user
    blockers = personal_data.blockers(user)
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            services.account_erase(user=user)
        except services.ErasureBlocked as error:
            blockers = error.messages
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data have been deleted"))
            return redirect("home")
    return render(
        request,
        "accounts/account_delete.html",
        {"form": form, "blockers": blockers, "page_has_errors": bool(form.errors)},
    )
