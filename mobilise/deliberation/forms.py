"""Forms parse and show; the services decide (length, duplicates and moderation live there)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mobilise.core.ids import IdField

from .models import STATEMENT_MAX_LENGTH, Conversation


class VoteForm(forms.Form):
    statement = IdField(widget=forms.HiddenInput)
    vote = forms.TypedChoiceField(
        choices=[("1", _("Agree")), ("-1", _("Disagree")), ("0", _("Pass or unsure"))],
        coerce=int,
        error_messages={"required": _("Choose agree, disagree or pass")},
    )


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        help_text=_(
            "One short point others can agree or disagree with, for example "
            "“Streets outside schools should close to traffic at drop-off time”. "
            "%(max)s characters or fewer."
        )
        % {"max": STATEMENT_MAX_LENGTH},
        # The service checks the limit and says so; a bigger max here keeps the text on the page.
        max_length=STATEMENT_MAX_LENGTH * 4,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter a statement"),
            "max_length": _("Statement must be %(max)s characters or fewer")
            % {"max": STATEMENT_MAX_LENGTH},
        },
    )


class ConversationForm(forms.Form):
    question = forms.CharField(
        label=_("Question"),
        help_text=_(
            "What you want people to think about, for example “How should Camden cut traffic fumes?”"
        ),
        max_length=200,
        error_messages={"required": _("Enter the question")},
    )
    description = forms.CharField(
        label=_("What the conversation is about (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    moderation = forms.ChoiceField(
        label=_("New statements from participants"),
        choices=Conversation.Moderation.choices,
        initial=Conversation.Moderation.PRE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how new statements are moderated")},
    )
    seed_statements = forms.CharField(
        label=_("Starter statements"),
        help_text=_(
            "One a line. Give people a few statements to vote on before they add their own."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_seed_statements(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data["seed_statements"].splitlines()
            if line.strip()
        ]


class ModerationForm(forms.Form):
    ACTIONS = ("accept", "reject", "hide", "restore", "close", "reopen")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    statement = IdField(required=False)
    participant = IdField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        action = data.get("action")
        if action in ("accept", "reject") and not data.get("statement"):
            raise forms.ValidationError(_("Choose a statement"))
        if action in ("hide", "restore") and not data.get("participant"):
            raise forms.ValidationError(_("Choose a participant"))
        return data
