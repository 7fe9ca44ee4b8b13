"""Conversation pages. Views stay thin: ``access`` fetches and guards, forms parse, services write.

Voting is an ordinary POST form (it works without JavaScript); with HTMX the next statement's
card replaces the old one in place. ``votes_json`` is the same vote for scripts and load tests.
"""

import json
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mobilise.core.forms_govuk import apply_service_errors
from mobilise.core.ids import parse_id

from . import access, charts, ratelimits, selectors, services
from .forms import ConversationForm, ModerationForm, StatementForm, VoteForm
from .models import Conversation, Participant, Statement

# The participant cookie: a random key, signed so it cannot be forged or guessed, sent only to us.
COOKIE = "mobilise_participant"
COOKIE_SALT = "mobilise.deliberation.participant"
COOKIE_AGE = 365 * 24 * 3600


def _cookie_key(request: HttpRequest) -> str:
    return request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT, max_age=COOKIE_AGE) or ""


def _set_cookie(response: HttpResponse, key: str) -> None:
    from django.conf import settings

    response.set_signed_cookie(
        COOKIE,
        key,
        salt=COOKIE_SALT,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


class RateLimited(Exception):
    pass


def _participant(
    request: HttpRequest, conversation: Conversation
) -> tuple[Participant, str | None]:
    """The participant making this request, created on their first vote or statement.

    Returns the participant and a new cookie key to set (None when the browser has one, or the
    person is signed in). Raises ``RateLimited`` when one address makes too many new participants.
    """
    if request.user.is_authenticated:
        return services.participant_get_or_create(
            conversation=conversation, user=request.user
        ), None
    key = _cookie_key(request)
    new_key = None
    if not key:
        if ratelimits.exceeded(
            ratelimits.NEW_PARTICIPANTS_PER_ADDRESS, ratelimits.client_address(request)
        ):
            raise RateLimited
        key = new_key = secrets.token_urlsafe(16)
    return services.participant_get_or_create(conversation=conversation, key=key), new_key


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "deliberation/rate_limited.html", {}, status=429)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _rate_limit_text() -> str:
    return _(
        "Sorry, you have voted too many times in a short while. Wait a few minutes and try again."
    )


def _card_with_error(request: HttpRequest, conversation_id: int, message: str) -> HttpResponse:
    """The card again with the problem on it, for HTMX (which does not swap in error responses)."""
    conversation = access.access_conversation_for_view(request.user, conversation_id)
    participant = selectors.participant_for(conversation, request.user, _cookie_key(request))
    context = _card_context(request, conversation, participant)
    context["card_error"] = message
    return render(request, "deliberation/_card.html", context)


# --- lists -------------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "deliberation/index.html",
        {"conversations": list(selectors.open_conversations())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, slug: str) -> HttpResponse:
    mission = access.access_mission_for_new_conversation(request.user, slug)
    form = ConversationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_create(
                mission=mission,
                created_by=request.user,
                question=form.cleaned_data["question"],
                description=form.cleaned_data["description"],
                moderation=form.cleaned_data["moderation"],
                seed_statements=form.cleaned_data["seed_statements"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Conversation opened"))
            return redirect(conversation)
    return render(request, "deliberation/create.html", {"mission": mission, "form": form})


# --- taking part -------------------------------------------------------------------------------


def _card_context(
    request: HttpRequest, conversation: Conversation, participant: Participant | None
) -> dict[str, Any]:
    analysis = selectors.latest_analysis(conversation)
    return {
        "conversation": conversation,
        "statement": selectors.next_statement(conversation, participant, analysis)
        if conversation.is_open
        else None,
        "progress": selectors.progress(conversation, participant),
        "card_error": "",
    }


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, conversation_id: int) -> HttpResponse:
    form = VoteForm(request.POST if request.method == "POST" else None)
    new_key = None
    status = 200
    if request.method == "POST":
        # The vote itself needs only a lean conversation (the hot path); the page needs it all.
        conversation = access.access_conversation_for_voting(request.user, conversation_id)
        if form.is_valid():
            try:
                participant, new_key = _participant(request, conversation)
                if ratelimits.exceeded(ratelimits.VOTES_PER_PARTICIPANT, str(participant.pk)):
                    raise RateLimited
                services.vote_cast(
                    conversation=conversation,
                    participant=participant,
                    statement_id=form.cleaned_data["statement"],
                    value=form.cleaned_data["vote"],
                )
            except RateLimited:
                if _is_htmx(request):
                    return _card_with_error(request, conversation_id, _rate_limit_text())
                return _too_many(request)
            except ValidationError as exc:
                if _is_htmx(request):
                    return _card_with_error(request, conversation_id, " ".join(exc.messages))
                apply_service_errors(form, exc)
                status = 400
            else:
                if _is_htmx(request):
                    response = render(
                        request,
                        "deliberation/_card.html",
                        _card_context(request, conversation, participant),
                    )
                else:
                    response = redirect(conversation.get_absolute_url() + "#vote")
                    response.status_code = 303
                if new_key:
                    _set_cookie(response, new_key)
                return response
        else:
            status = 400
    conversation = access.access_conversation_for_view(request.user, conversation_id)
    participant = selectors.participant_for(conversation, request.user, _cookie_key(request))
    context = _card_context(request, conversation, participant)
    context.update(
        {
            "form": form,
            "can_moderate": access.can_moderate(request.user, conversation),
            "pending_count": Statement.objects.filter(
                conversation=conversation, status=Statement.Status.PENDING
            ).count(),
        }
    )
    response = render(request, "deliberation/detail.html", context, status=status)
    if new_key:
        _set_cookie(response, new_key)
    return response


# Most statements the vote card's script may ask for ahead, and ids it may ask to leave out.
MAX_UPCOMING = 10
MAX_EXCLUDE = 100


def _upcoming_wanted(data: Any) -> tuple[int, list[int]]:
    """``upcoming`` (how many statements ahead) and ``exclude`` (ids, comma-separated) asked for."""
    try:
        count = min(max(int(data.get("upcoming") or 0), 0), MAX_UPCOMING)
    except (TypeError, ValueError):
        count = 0
    ids = (parse_id(part) for part in str(data.get("exclude") or "").split(","))
    exclude = [i for i in ids if i is not None]
    return count, exclude[:MAX_EXCLUDE]


def _upcoming(
    conversation: Conversation, participant: Participant | None, count: int, exclude: list[int]
) -> dict[str, Any]:
    """The next statements and the person's progress, for the vote card's script."""
    statements = selectors.upcoming_statements(
        conversation,
        participant,
        selectors.latest_analysis(conversation),
        count=count,
        exclude=exclude,
    )
    progress = selectors.progress(conversation, participant)
    return {
        "upcoming": [{"id": s.pk, "text": s.text} for s in statements],
        "voted": progress.voted,
        "total": progress.total,
        "progress": _("You have voted on %(voted)s of %(total)s statements.")
        % {"voted": progress.voted, "total": progress.total},
    }


@require_http_methods(["GET", "POST"])
def votes_json(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """The vote as JSON for scripts: GET says what to vote on next, POST records a vote.

    POST takes ``statement`` and ``vote`` (-1, 0 or 1) as form fields or a JSON object. CSRF
    protection applies as for the form: the participant is identified by cookie. With
    ``upcoming=N`` (GET or POST) the answer also lists the next N statements, leaving out the
    ids in ``exclude``, and the progress in words: the vote card's script shows the next
    statement from that list at once, and sends its votes one at a time.
    """
    if request.method == "GET":
        conversation = access.access_conversation_for_view(request.user, conversation_id)
        participant = selectors.participant_for(conversation, request.user, _cookie_key(request))
        context = _card_context(request, conversation, participant)
        statement = context["statement"]
        payload = {
            "statement": {"id": statement.pk, "text": statement.text} if statement else None,
            "voted": context["progress"].voted,
            "total": context["progress"].total,
        }
        count, exclude = _upcoming_wanted(request.GET)
        if count and conversation.is_open:
            payload.update(_upcoming(conversation, participant, count, exclude))
        return JsonResponse(payload)
    conversation = access.access_conversation_for_voting(request.user, conversation_id)
    data: Any = request.POST
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return JsonResponse({"error": "Send a JSON object"}, status=400)
    form = VoteForm({"statement": data.get("statement"), "vote": data.get("vote")})
    if not form.is_valid():
        return JsonResponse({"error": form.errors.get_json_data()}, status=400)
    try:
        participant, new_key = _participant(request, conversation)
        if ratelimits.exceeded(ratelimits.VOTES_PER_PARTICIPANT, str(participant.pk)):
            raise RateLimited
        services.vote_cast(
            conversation=conversation,
            participant=participant,
            statement_id=form.cleaned_data["statement"],
            value=form.cleaned_data["vote"],
        )
    except RateLimited:
        return JsonResponse(
            {"error": "Too many votes: wait a minute", "message": _rate_limit_text()}, status=429
        )
    except ValidationError as exc:
        return JsonResponse({"error": exc.messages, "message": " ".join(exc.messages)}, status=400)
    payload: dict[str, Any] = {"ok": True}
    count, exclude = _upcoming_wanted(data)
    if count:
        payload.update(_upcoming(conversation, participant, count, exclude))
    response = JsonResponse(payload)
    if new_key:
        _set_cookie(response, new_key)
    return response


@require_http_methods(["GET", "POST"])
def statement_create(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = access.access_conversation_for_view(request.user, conversation_id)
    form = StatementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            participant, new_key = _participant(request, conversation)
            if ratelimits.exceeded(ratelimits.STATEMENTS_PER_PARTICIPANT, str(participant.pk)):
                raise RateLimited
            statement = services.statement_add(
                conversation=conversation,
                text=form.cleaned_data["text"],
                participant=participant,
                author=request.user,
                moderator=access.can_moderate(request.user, conversation),
            )
        except RateLimited:
            return _too_many(request)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if statement.status == Statement.Status.ACCEPTED:
                messages.success(
                    request, _("Your statement has been added. Others can now vote on it.")
                )
            else:
                messages.success(
                    request,
                    _(
                        "Your statement has been sent to the mission team. It will appear once they have checked it."
                    ),
                )
            response = redirect(conversation)
            if new_key:
                _set_cookie(response, new_key)
            return response
    return render(
        request,
        "deliberation/statement_form.html",
        {"conversation": conversation, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- results -----------------------------------------------------------------------------------


def results(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = access.access_conversation_for_view(request.user, conversation_id)
    participant = selectors.participant_for(conversation, request.user, _cookie_key(request))
    found = selectors.results(conversation, participant)
    if found.stale and not conversation.recompute_pending:
        # A vote that raced the last recompute (it read the flag as set just before the task
        # cleared it) would otherwise wait for the next vote: reading stale results queues one.
        services.analysis_request(conversation.pk)
    centres = charts.group_centres(found.points)
    return render(
        request,
        "deliberation/results.html",
        {
            "conversation": conversation,
            "results": found,
            "map_points": charts.map_points(found.points),
            "map_size": charts.SIZE,
            "centres": centres,
            "letters": selectors.GROUP_LETTERS,
            "can_moderate": access.can_moderate(request.user, conversation),
        },
    )


# --- moderation --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = access.access_conversation_for_moderation(request.user, conversation_id)
    form = ModerationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            action = form.cleaned_data["action"]
            if action in ("accept", "reject"):
                statement = Statement.objects.filter(
                    conversation=conversation, pk=form.cleaned_data["statement"]
                ).first()
                if statement is not None:
                    services.statement_moderate(
                        statement=statement,
                        status=Statement.Status.ACCEPTED
                        if action == "accept"
                        else Statement.Status.REJECTED,
                    )
                    messages.success(
                        request,
                        _("Statement accepted") if action == "accept" else _("Statement rejected"),
                    )
            elif action in ("hide", "restore"):
                participant = Participant.objects.filter(
                    conversation=conversation, pk=form.cleaned_data["participant"]
                ).first()
                if participant is not None:
                    services.participant_hide(participant=participant, hidden=action == "hide")
                    messages.success(
                        request,
                        _("Participant hidden: their votes no longer count")
                        if action == "hide"
                        else _("Participant restored"),
                    )
            else:
                services.conversation_set_status(
                    conversation=conversation,
                    status=Conversation.Status.CLOSED
                    if action == "close"
                    else Conversation.Status.OPEN,
                )
                messages.success(
                    request,
                    _("Conversation closed") if action == "close" else _("Conversation reopened"),
                )
            return redirect("deliberation:moderate", conversation.pk)
    return render(
        request,
        "deliberation/moderate.html",
        {"conversation": conversation, "form": form, **selectors.moderation_queue(conversation)},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def export(request: HttpRequest, conversation_id: int) -> HttpResponse:
    from .polis import conversation_export

    conversation = access.access_conversation_for_moderation(request.user, conversation_id)
    response = HttpResponse(conversation_export(conversation), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="conversation-{conversation.pk}-polis-export.zip"'
    )
    return response
