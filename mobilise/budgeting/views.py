"""Budget round pages. Views stay thin: ``access`` fetches and guards, forms parse, services write.

Voting is three pages without JavaScript: who you are (eligibility), your choices, check and cast.
What has been answered so far is kept in the session under the round's id; the ballot itself is
written only when it is cast.
"""

from pathlib import Path
from typing import Any

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mobilise.core.forms_govuk import apply_service_errors
from mobilise.core.text import paragraphs

from . import access, counting, selectors, services, timetable
from .forms import (
    BallotForm,
    DeliveryForm,
    EligibilityForm,
    FollowForm,
    ProposeForm,
    ReviewForm,
    RoundEditForm,
    RoundForm,
    VoterCodesForm,
)
from .models import BallotType, BudgetRound, Phase, Project


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("paragraphs", paragraphs)
    context.setdefault("money", services.money)
    context.setdefault("phases", Phase)
    if isinstance(context.get("round"), BudgetRound):
        # What the published dates allow today, so that pages never offer what a service refuses.
        context.setdefault("dates", timetable.round_dates(context["round"]))
    return render(request, template, context, status=status)


def index(request: HttpRequest) -> HttpResponse:
    return _render(request, "budgeting/index.html", {"rounds": list(selectors.public_rounds())})


def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round_for_view(request.user, round_id)
    can_run = access.can_run_round(request.user, round_)
    voter = _voter(request, round_)
    return _render(
        request,
        "budgeting/round.html",
        {
            "round": round_,
            "projects": selectors.round_projects(round_),
            "can_run": can_run,
            "next_phase": services.next_phase(round_),
            "voted": voter is not None
            and selectors.existing_choices(round_, voter.key) is not None,
            "delivery": selectors.delivery_items([round_]),
            "last_change": selectors.last_change(round_),
        },
    )


def round_changes(request: HttpRequest, round_id: int) -> HttpResponse:
    """Every change to the round, newest first: public, as the round itself is."""
    round_ = access.access_round_for_view(request.user, round_id)
    return _render(
        request,
        "budgeting/changes.html",
        {"round": round_, "entries": selectors.round_history(round_)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_new_round(request.user, slug)
    places = mission.places.defer("boundary").order_by("name")
    form = RoundForm(_data(request), places=places)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_create(
                mission=mission,
                user=request.user,
                **{k: v for k, v in form.cleaned_data.items()},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Round opened. Residents can now propose ideas."))
            return redirect(round_)
    return _render(request, "budgeting/round_form.html", {"form": form, "mission": mission})


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round_for_running(request.user, round_id)
    places = round_.mission.places.defer("boundary").order_by("name")
    form = RoundEditForm(_data(request), round_=round_, places=places)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(round_=round_, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Round updated"))
            return redirect(round_)
    return _render(request, "budgeting/round_edit.html", {"form": form, "round": round_})


@login_required
@require_http_methods(["GET", "POST"])
def round_phase(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round_for_running(request.user, round_id)
    target = services.next_phase(round_)
    error = None
    if request.method == "POST" and target:
        try:
            services.round_move_phase(round_=round_, user=request.user, to=target)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("The round is now in its %(phase)s phase.")
                % {"phase": Phase(target).label.lower()},
            )
            return redirect(round_)
    return _render(
        request,
        "budgeting/phase.html",
        {
            "round": round_,
            "target": Phase(target) if target else None,
            "error": error,
            "waiting": round_.projects.filter(status=Project.Status.PROPOSED).count(),
            "ballots": round_.ballots.count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round_for_view(request.user, round_id)
    form = ProposeForm(_data(request))
    taking_ideas = timetable.round_dates(round_).taking_ideas
    if request.method == "POST" and taking_ideas and form.is_valid():
        try:
            services.project_propose(round_=round_, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Thank you: your idea is in. Officers will check whether it can be done and what it would cost."
                ),
            )
            return redirect(round_)
    return _render(request, "budgeting/propose.html", {"round": round_, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access.access_project_for_review(request.user, project_id)
    round_ = project.round
    initial = {
        "status": project.status if project.status != Project.Status.PROPOSED else None,
        "cost": project.cost,
        "reason": project.reason,
    }
    form = ReviewForm(_data(request), initial=initial, currency=round_.currency)
    open_for_review = round_.phase in (Phase.IDEAS, Phase.REVIEW)
    if request.method == "POST" and open_for_review and form.is_valid():
        try:
            services.project_review(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Decision recorded for %(title)s") % {"title": project.title}
            )
            return redirect(round_)
    return _render(
        request,
        "budgeting/review.html",
        {"round": round_, "project": project, "form": form, "open_for_review": open_for_review},
    )


@never_cache  # the codes are shown once: no browser or proxy may keep a copy
@login_required
@require_http_methods(["GET", "POST"])
def voter_codes(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round_for_running(request.user, round_id)
    form = VoterCodesForm(_data(request))
    codes: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.voter_codes_issue(
                round_=round_, user=request.user, count=form.cleaned_data["count"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return _render(
        request,
        "budgeting/voter_codes.html",
        {
            "round": round_,
            "form": form,
            "codes": codes,
            "issued": round_.voter_codes.count(),
            "used": round_.voter_codes.filter(used_at__isnull=False).count(),
        },
    )


# --- voting --------------------------------------------------------------------------------------


VOTER_CODE_ACTION = "voter_code_failed"  # its limits are in settings.ACCOUNT_RATE_LIMITS


def _session_key(round_: BudgetRound) -> str:
    return f"budgeting:{round_.pk}"


def _voter(request: HttpRequest, round_: BudgetRound) -> services.Voter | None:
    data = request.session.get(_session_key(round_), {})
    if not data.get("voter"):
        return None
    return services.Voter(**data["voter"])


def _remember(request: HttpRequest, round_: BudgetRound, **values: Any) -> None:
    data = dict(request.session.get(_session_key(round_), {}))
    data.update(values)
    request.session[_session_key(round_)] = data


def _closed(request: HttpRequest, round_: BudgetRound) -> HttpResponse:
    return _render(request, "budgeting/vote_closed.html", {"round": round_})


def _eligibility_page(
    request: HttpRequest, round_: BudgetRound, form: EligibilityForm | None = None
) -> HttpResponse:
    form = form or EligibilityForm(round_=round_)
    return _render(request, "budgeting/vote_start.html", {"round": round_, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, round_id: int) -> HttpResponse:
    """Step 1: show you may vote, by postcode district or with a voter code."""
    round_ = access.access_round_for_view(request.user, round_id)
    if not timetable.round_dates(round_).voting_open:
        return _closed(request, round_)
    form = EligibilityForm(_data(request), round_=round_)
    # Wrong voter codes are limited as failed sign-ins are (allauth's limiter, per address and
    # per person: VOTER_CODE_RATE_LIMIT), so codes cannot be guessed by trying many.
    code_typed = request.method == "POST" and bool(request.POST.get("code", "").strip())
    if code_typed and not ratelimit.consume(
        request, action=VOTER_CODE_ACTION, user=request.user, dry_run=True
    ):
        form.is_valid()
        form.add_error(
            None,
            _("Too many wrong voter codes. Wait 5 minutes, then check the code and try again."),
        )
        response = _eligibility_page(request, round_, form)
        response.status_code = 429
        return response
    if request.method == "POST" and form.is_valid():
        try:
            voter = services.check_eligibility(
                round_=round_,
                user=request.user,
                district=form.cleaned_data.get("district", ""),
                code=form.cleaned_data.get("code", ""),
            )
        except ValidationError as exc:
            if code_typed:
                ratelimit.consume(request, action=VOTER_CODE_ACTION, user=request.user)
            if hasattr(exc, "error_dict") and not (set(exc.error_dict) & set(form.fields)):
                form.add_error(None, exc.messages)
            else:
                apply_service_errors(form, exc)
        else:
            earlier = selectors.existing_choices(round_, voter.key)
            _remember(
                request,
                round_,
                voter={"key": voter.key, "district": voter.district, "code_id": voter.code_id},
                choices={str(k): v for k, v in (earlier or {}).items()},
            )
            return redirect("budgeting:ballot", round_.pk)
    return _eligibility_page(request, round_, form)


def _ballot_form(
    round_: BudgetRound, projects: list[Project], data: Any, saved: dict
) -> BallotForm:
    if data is not None:
        return BallotForm(data, round_=round_, projects=projects)
    if round_.ballot_type == BallotType.CUMULATIVE:
        initial = {f"points_{k}": v for k, v in saved.items()}
    else:
        initial = {"choices": list(saved)}
    return BallotForm(round_=round_, projects=projects, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def ballot(request: HttpRequest, round_id: int) -> HttpResponse:
    """Step 2: choose projects. Checked on the server; nothing is cast yet."""
    round_ = access.access_round_for_view(request.user, round_id)
    if not timetable.round_dates(round_).voting_open:
        return _closed(request, round_)
    voter = _voter(request, round_)
    if voter is None:
        return _eligibility_page(request, round_)
    projects = counting.ballot_projects(round_)
    saved = request.session[_session_key(round_)].get("choices", {})
    form = _ballot_form(round_, projects, _data(request), saved)
    if request.method == "POST" and form.is_valid():
        try:
            choices = services.validate_choices(round_, form.choices())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            _remember(request, round_, choices={str(k): v for k, v in choices.items()})
            return redirect("budgeting:check", round_.pk)
    return _render(
        request,
        "budgeting/ballot.html",
        {"round": round_, "form": form, "projects": projects, "changing": bool(saved)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, round_id: int) -> HttpResponse:
    """Step 3: check your choices and cast (or change) the ballot."""
    round_ = access.access_round_for_view(request.user, round_id)
    if not timetable.round_dates(round_).voting_open:
        return _closed(request, round_)
    voter = _voter(request, round_)
    if voter is None:
        return _eligibility_page(request, round_)
    saved = {int(k): v for k, v in request.session[_session_key(round_)].get("choices", {}).items()}
    if not saved:
        return redirect("budgeting:ballot", round_.pk)
    error = None
    if request.method == "POST":
        try:
            services.ballot_cast(round_=round_, voter=voter, user=request.user, choices=saved)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            _remember(request, round_, cast=True)
            return redirect("budgeting:voted", round_.pk)
    chosen = [p for p in counting.ballot_projects(round_) if p.pk in saved]
    total = sum((p.cost for p in chosen), start=0)
    return _render(
        request,
        "budgeting/check.html",
        {
            "round": round_,
            "chosen": chosen,
            "points": saved,
            "total": total,
            "error": error,
            "changing": selectors.existing_choices(round_, voter.key) is not None,
        },
    )


@login_required
def voted(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round_for_view(request.user, round_id)
    voter = _voter(request, round_)
    has_ballot = voter is not None and selectors.existing_choices(round_, voter.key) is not None
    return _render(request, "budgeting/voted.html", {"round": round_, "has_ballot": has_ballot})


# --- results and delivery ------------------------------------------------------------------------


def results(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = access.access_round_for_view(request.user, round_id)
    page = (
        selectors.results_page(round_) if round_.phase in (Phase.RESULTS, Phase.DELIVERY) else None
    )
    return _render(
        request,
        "budgeting/results.html",
        {
            "round": round_,
            "page": page,
            "chart": selectors.votes_chart(page) if page else None,
            "chart_labels": selectors.CHART_LABELS,
            "delivery": {i.project_id: i for i in selectors.delivery_items([round_])},
            "can_run": access.can_run_round(request.user, round_),
        },
    )


def ballots_pb(request: HttpRequest, round_id: int) -> HttpResponse:
    """The anonymised ballots as a Pabulib file, once voting has closed."""
    round_ = access.access_round_for_view(request.user, round_id)
    if round_.phase not in (Phase.RESULTS, Phase.DELIVERY):
        return HttpResponse(
            _("The ballots are published when voting closes.\n"),
            content_type="text/plain; charset=utf-8",
            status=404,
        )
    response = HttpResponse(
        counting.anonymised_pb(round_), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="budget-round-{round_.pk}.pb"'
    return response


def delivery(request: HttpRequest, item_id: int) -> HttpResponse:
    """A funded project's delivery, for anyone: its dates, latest status and every dated update."""
    item = access.access_delivery_item_for_view(request.user, item_id)
    round_ = item.project.round
    return _render(
        request,
        "budgeting/delivery.html",
        {
            "item": item,
            "round": round_,
            "updates": selectors.delivery_timeline(item),
            "following": selectors.is_following(item, request.user),
            "signed_in": request.user.is_authenticated,
            "can_run": access.can_run_round(request.user, round_),
        },
    )


def delivery_photo(request: HttpRequest, update_id: int) -> FileResponse:
    update = access.access_delivery_photo(request.user, update_id)
    try:
        handle = update.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, filename=Path(update.photo.name).name)


@login_required
@require_http_methods(["GET", "POST"])
def delivery_follow(request: HttpRequest, item_id: int) -> HttpResponse:
    """Get (or stop getting) each new update on a funded project by e-mail."""
    item = access.access_delivery_item_for_view(request.user, item_id)
    following = selectors.is_following(item, request.user)
    error = None
    if request.method == "POST":
        form = FollowForm(request.POST)
        follow = form.cleaned_data["follow"] if form.is_valid() else not following
        try:
            services.delivery_follow(item=item, user=request.user, follow=follow)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            done = (
                _("You will get an e-mail when %(title)s is updated.")
                if follow
                else _("You will no longer get e-mails about %(title)s.")
            )
            messages.success(request, done % {"title": item.project.title})
            return redirect("budgeting:delivery", item.pk)
    return _render(
        request,
        "budgeting/delivery_follow.html",
        {"item": item, "round": item.project.round, "following": following, "error": error},
    )


@login_required
@require_http_methods(["GET", "POST"])
def delivery_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    """A lead posts a dated update on a funded project (and keeps its dates right)."""
    item = access.access_delivery_item_for_update(request.user, item_id)
    round_ = item.project.round
    initial = {
        "status": item.status,
        "progress": item.progress,
        "spent": item.spent,
        "planned_start": item.planned_start,
        "planned_end": item.planned_end,
        "actual_start": item.actual_start,
        "actual_end": item.actual_end,
    }
    form = DeliveryForm(
        _data(request),
        request.FILES if request.method == "POST" else None,
        initial=initial,
        currency=round_.currency,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.delivery_update(
                item=item, user=request.user, base_url=_base_url(request), **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Update posted for %(title)s") % {"title": item.project.title}
            )
            return redirect("budgeting:delivery", item.pk)
    return _render(
        request,
        "budgeting/delivery_edit.html",
        {"item": item, "round": round_, "form": form},
    )


def _base_url(request: HttpRequest) -> str:
    """For links in e-mails: where this site is, as the person reached it."""
    return request.build_absolute_uri("/").rstrip("/")
