"""Forms for pilots."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mobilise.core.forms_fields import AmountField
from mobilise.core.forms_govuk import GovukDateField
from mobilise.core.ids import ModelMultipleIdField
from mobilise.core.validators import SINGLE_LINE
from mobilise.missions.models import Mission
from mobilise.places.forms import PlacesField

from . import selectors
from .models import Design, EvidenceLevel, Pilot


class PilotForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        validators=SINGLE_LINE,
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
    indicators = ModelMultipleIdField(
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
    partners = ModelMultipleIdField(
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
        label=_("Places to add or remove"),
        error_messages={"required": _("Enter the places to add or remove")},
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


class LearningForm(forms.Form):
    title = forms.CharField(
        label=_("What was learned, in a line"),
        max_length=200,
        validators=SINGLE_LINE,
        error_messages={"required": _("Say in a line what was learned")},
    )
    summary = forms.CharField(
        label=_("What was learned"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Say what was learned")},
    )
    for_whom = forms.CharField(
        label=_("For whom did it work, or not?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    conditions = forms.CharField(
        label=_("In what conditions?"),
        help_text=_("What another place would need for it to work there"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence_level = forms.TypedChoiceField(
        label=_("How strong is the evidence?"),
        help_text=_("The Maryland Scientific Methods Scale, from 1 (weakest) to 5 (strongest)"),
        choices=EvidenceLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how strong the evidence is")},
    )
    pilots = ModelMultipleIdField(
        label=_("Learned from"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the pilots this was learned from")},
    )
    published = forms.BooleanField(
        label=_("Publish this so other places can find it"), required=False, initial=True
    )

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pilots"].queryset = mission.pilots.order_by("title")


class LibraryForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    mission = forms.ModelChoiceField(
        label=_("Mission"), queryset=None, required=False, empty_label=_("Any mission")
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=100,
        help_text=_("Where the pilot ran, like Camden"),
    )
    indicator = forms.ModelChoiceField(
        label=_("Outcome measure"), queryset=None, required=False, empty_label=_("Any measure")
    )
    design = forms.ChoiceField(
        label=_("Design"), choices=[("", _("Any design")), *Design.choices], required=False
    )

    def __init__(self, *args: Any, missions: Any, indicators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions
        self.fields["indicator"].queryset = indicators

    def clean_place(self) -> Any:
        from mobilise.places.forms import resolve_place_text

        text = self.cleaned_data["place"].strip()
        return resolve_place_text(text) if text else None


class ReplicateForm(forms.Form):
    mission = forms.ModelChoiceField(
        label=_("Which of your missions is this for?"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the mission")},
    )

    def __init__(self, *args: Any, missions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions
