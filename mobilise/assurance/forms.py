"""Assurance forms: they parse; services validate and write."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobilise.core.forms_govuk import GovukDateField
from mobilise.missions.models import Mission

from .models import PAPER_EXTENSIONS, RATING_MEANINGS, Action, Rating


class AssessmentForm(forms.Form):
    outcome = forms.TypedChoiceField(
        label=_("What are you assessing?"), coerce=int, empty_value=None, required=False
    )
    rating = forms.ChoiceField(
        label=_("Delivery confidence"),
        widget=forms.RadioSelect,
        choices=[(r.value, f"{r.label} – {RATING_MEANINGS[r]}") for r in Rating],
        error_messages={"required": _("Choose a delivery confidence rating")},
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        help_text=_(
            "Say what the rating rests on: the evidence, the issues and what would change it"
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": _("Enter the rationale for the rating")},
    )
    assessed_on = GovukDateField(
        label=_("Date of assessment"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date of the assessment")},
    )

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.outcomes = {o.pk: o for o in mission.outcomes.all()}
        self.fields["outcome"].choices = [("", _("The mission as a whole"))] + [
            (pk, o.title) for pk, o in self.outcomes.items()
        ]

    def clean_outcome(self) -> Any:
        value = self.cleaned_data.get("outcome")
        return self.outcomes.get(value) if value else None


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        help_text=_(
            "Who attended, what was discussed and agreed. Leave a blank line between paragraphs"
        ),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        max_length=50000,
    )


class PaperForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for the paper")},
    )
    file = forms.FileField(
        label=_("Upload a file"),
        help_text=_("PDF, Word, OpenDocument, Excel, PowerPoint, CSV or text, smaller than 10 MB"),
        error_messages={"required": _("Choose a file to upload")},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(PAPER_EXTENSIONS)}),
    )


class PackForm(forms.Form):
    period_start = GovukDateField(
        label=_("Period from"), error_messages={"required": _("Enter the start of the period")}
    )
    period_end = GovukDateField(
        label=_("Period to"), error_messages={"required": _("Enter the end of the period")}
    )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
