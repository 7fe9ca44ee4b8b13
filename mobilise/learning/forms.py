"""Forms for pilots."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mobilise.core.forms_fields import AmountField
from mobilise.core.forms_govuk import GovukDateField
from mobilise.missions.models import Mission
from mobilise.places.forms import PlacesField

from . import selectors
from .models import Design, Pilot


class PilotForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter the pilot's title")},
    )
    hypothesis = forms.CharField(
        label=_("Hypothesis"),
        help_text=_("If we …, then … because …"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the hypothesis the pilot tests")},
    )
    intervention = forms.CharField(
        label=_("What will you do?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe the intervention")},
    )
    outcome = forms.ModelChoiceField(
        label=_("Outcome it serves (optional)"),
        queryset=None,
        required=False,
        empty_label=_("None chosen"),
    )
    treated_places = PlacesField(
        label=_("Places where the pilot runs"),
        error_messages={"required": _("Enter the places where the pilot runs")},
    )
    start_date = GovukDateField(
        label=_("Start date"), error_messages={"required": _("Enter the start date")}
    )
    planned_end_date = GovukDateField(
        label=_("Planned end date"),
        error_messages={"required": _("Enter the planned end date")},
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Outcome indicators"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one outcome indicator")},
    )
    design = forms.ChoiceField(
        label=_("Evaluation design"),
        choices=Design.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the evaluation design")},
    )
    cost = AmountField(label=_("Cost (optional)"), required=False)
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners (optional)"),
        help_text=_("Organisations in the mission's coalition"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Pilot.Status.choices,
        widget=forms.RadioSelect,
        initial=Pilot.Status.PLANNED,
        help_text=_("Once the pilot is running, its analysis plan is frozen."),
    )
    published = forms.BooleanField(
        label=_("Publish this pilot so anyone can read it"), required=False, initial=True
    )
    reason = forms.CharField(
        label=_("Reason for changing the analysis plan"),
        help_text=_("Needed only if the pilot has started and you change its plan."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, mission: Mission, frozen: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = mission.outcomes.order_by("title")
        self.fields["indicators"].queryset = selectors.indicator_choices(mission)
        self.fields["partners"].queryset = selectors.partner_choices(mission)
        if not frozen:
            del self.fields["reason"]


class PoolForm(forms.Form):
    places = PlacesField(
        label=_("Places"), error_messages={"required": _("Enter the places to add or remove")}
    )
    action = forms.ChoiceField(
        label=_("Add or remove?"),
        choices=[("added", _("Add to the comparison places")), ("removed", _("Remove from them"))],
        widget=forms.RadioSelect,
        initial="added",
        error_messages={"required": _("Choose whether to add or remove the places")},
    )
    reason = forms.CharField(
        label=_("Why?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why you are changing the comparison places")},
    )
