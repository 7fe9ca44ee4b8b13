"""Forms for finding and editing missions. They parse and check input; services.py decides and saves.

Error messages follow the GOV.UK pattern ("Enter …", "Select …") because the error summary and
the inline message show them as they are.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from mobilise.core.forms_fields import WholeNumberField
from mobilise.core.forms_govuk import GovukDateField
from mobilise.places.forms import PlaceField, PlacesField
from mobilise.places.models import Place

from . import selectors
from .models import Mission, Outcome, TheoryOfChangeNode

# Up to this many organisations a lead chooses with radios (GOV.UK's preference); beyond it, a
# select keeps the page short (platform admins may choose any organisation).
_MAX_OWNER_RADIOS = 8


class MissionFilterForm(forms.Form):
    """The index filters: a GET form, so results can be bookmarked and work without JavaScript."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    place = forms.ChoiceField(label=_("Place"), required=False)
    scope = forms.ChoiceField(label=_("Scope"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = _("Words from the title, statement or owner")
        requested = (self.data.get("place") or "").strip().upper() if self.is_bound else ""
        self.fields["place"].choices = [
            ("", _("All places")),
            *selectors.place_choices(include=requested or None),
        ]
        self.fields["place"].error_messages["invalid_choice"] = _("Select a place from the list")
        self.fields["scope"].choices = [("", _("National and local")), *Mission.Scope.choices]
        self.fields["status"].choices = [
            ("", _("Any status")),
            *((s.value, s.label) for s in Mission.PUBLIC_STATUSES),
        ]

    def clean_place(self) -> Place | None:
        code = self.cleaned_data.get("place")
        return selectors.place_by_code(code) if code else None

    def full_clean(self) -> None:
        # People type and share lower-case codes (e09000022); the choices are upper case.
        if self.is_bound and self.data.get("place"):
            data = self.data.copy()
            data["place"] = data["place"].strip().upper()
            self.data = data
        super().full_clean()


class MissionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        error_messages={
            "required": _("Enter a title"),
            "max_length": _("Title must be 150 characters or fewer"),
        },
    )
    statement = forms.CharField(
        label=_("Mission statement"),
        max_length=300,
        help_text=_("One sentence that says what will change, where and by when."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter a mission statement"),
            "max_length": _("Mission statement must be 300 characters or fewer"),
        },
    )
    why_it_matters = forms.CharField(
        label=_("Why it matters (optional)"),
        required=False,
        help_text=_("Leave a blank line between paragraphs."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    horizon_year = WholeNumberField(
        label=_("Horizon year"),
        help_text=_("The year the mission aims to achieve its ambition, for example 2035"),
        min_value=Mission.HORIZON_MIN,
        max_value=Mission.HORIZON_MAX,
        error_messages={
            "required": _("Enter a horizon year"),
            "invalid": _("Horizon year must be a year, like 2035"),
            "min_value": _("Enter a horizon year between 2000 and 2100"),
            "max_value": _("Enter a horizon year between 2000 and 2100"),
        },
    )
    owner = forms.ModelChoiceField(
        label=_("Owning organisation"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": _("Select the organisation that owns the mission"),
            "invalid_choice": _("Select an organisation you belong to"),
        },
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=Mission.Scope.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select national or local")},
    )
    places = PlacesField(
        label=_("Places"),
        required=False,
        help_text=_(
            "Needed for a local mission. One place per line, or separated by commas: a name, like Camden, or an ONS code, like E09000007"
        ),
    )
    contributes_to = forms.ModelChoiceField(
        label=_("National mission it contributes to (optional)"),
        queryset=None,
        required=False,
        empty_label=_("None"),
        help_text=_("Only for a local mission."),
        error_messages={"invalid_choice": _("Select a national mission from the list")},
    )

    def __init__(
        self, *args: Any, user: Any, mission: Mission | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        owners = selectors.owner_choices_for(user, current=mission.owner if mission else None)
        self.fields["owner"].queryset = owners
        if owners.count() <= _MAX_OWNER_RADIOS:
            self.fields["owner"].widget = forms.RadioSelect()
            self.fields["owner"].widget.choices = self.fields["owner"].choices
        national = selectors.national_missions_for_choice(
            include=mission.contributes_to if mission else None
        )
        if mission is not None:
            national = national.exclude(pk=mission.pk)
        self.fields["contributes_to"].queryset = national
        if mission is not None:
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"),
                widget=forms.RadioSelect,
                choices=[
                    (s, Mission.Status(s).label)
                    for s in (mission.status, *Mission.STATUS_CHANGES.get(mission.status, ()))
                ],
                error_messages={
                    "required": _("Select a status"),
                    "invalid_choice": _("Select a status from the list"),
                },
            )
            self.fields["status"].help_text = _(
                "Drafts are seen only by the owning organisation’s mission leads. Once published, a mission stays public."
            )


class OutcomeForm(forms.Form):
    title = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_(
            "The change in the world the mission seeks, for example ‘Halve transport emissions by 2035’"
        ),
        error_messages={
            "required": _("Enter a name"),
            "max_length": _("Name must be 200 characters or fewer"),
        },
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Leave a blank line between paragraphs."),
    )
    target_date = GovukDateField(
        label=_("Target date (optional)"),
        required=False,
        help_text=_("For example, 31 12 2035"),
    )

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        national = mission.contributes_to
        if national is not None:
            # Only a local mission that contributes to a national one: its outcomes are offered
            # as the national outcome this one contributes to.
            self.fields["parent"] = forms.ModelChoiceField(
                label=_("National outcome it contributes to (optional)"),
                help_text=_(
                    "An outcome of ‘%(mission)s’, the national mission this mission contributes to"
                )
                % {"mission": national.title},
                queryset=Outcome.objects.filter(mission=national).order_by("order", "id"),
                required=False,
                empty_label=_("None"),
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Select a national outcome from the list")},
            )
            self.fields["parent"].widget.choices = [
                ("", _("None")),
                *[(o.pk, o.title) for o in self.fields["parent"].queryset],
            ]

    def clean_target_date(self) -> Any:
        value = self.cleaned_data.get("target_date")
        if value and not Mission.HORIZON_MIN <= value.year <= Mission.HORIZON_MAX:
            raise ValidationError(_("The target date must be between 2000 and 2100"))
        return value


def _nodes_in_flow_order(mission: Mission, *, kinds: list[str] | None = None) -> Any:
    order = [k for k, _label in TheoryOfChangeNode.Kind.choices]
    qs = TheoryOfChangeNode.objects.filter(mission=mission)
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    return qs.annotate(
        stage=Case(
            *(When(kind=k, then=Value(i)) for i, k in enumerate(order)), output_field=IntegerField()
        )
    ).order_by("stage", "order", "id")


class NodeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of step"),
        choices=TheoryOfChangeNode.Kind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Inputs are the resources put in; activities are what people do; outputs are what the "
            "activities produce; outcomes are the changes that follow; impact is the long-term change. "
            "Assumptions are conditions that must hold for a step to lead to the next."
        ),
        error_messages={"required": _("Select the kind of step")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={
            "required": _("Enter a title"),
            "max_length": _("Title must be 200 characters or fewer"),
        },
    )
    description = forms.CharField(
        label=_("Description (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ModelChoiceField(
        label=_("Mission outcome it stands for (optional)"),
        queryset=Outcome.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("Only for an outcome step: the measurable outcome it stands for."),
        error_messages={"invalid_choice": _("Select an outcome of this mission")},
    )

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = Outcome.objects.filter(mission=mission).order_by(
            "order", "id"
        )


class LinkForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Step"),
        queryset=TheoryOfChangeNode.objects.none(),
        empty_label=_("Select a step"),
        error_messages={
            "required": _("Select the step the link starts from"),
            "invalid_choice": _("Select a step of this mission"),
        },
    )
    target = forms.ModelChoiceField(
        label=_("Leads to"),
        queryset=TheoryOfChangeNode.objects.none(),
        empty_label=_("Select a step"),
        help_text=_("For an assumption: the step it must hold for."),
        error_messages={
            "required": _("Select the step it leads to"),
            "invalid_choice": _("Select a step of this mission"),
        },
    )
    rationale = forms.CharField(
        label=_("Why does it lead to that? (optional)"),
        required=False,
        help_text=_(
            "Finish the sentence ‘… because …’, for example ‘safe routes make cycling a real choice’"
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = _nodes_in_flow_order(mission)
        # Nothing leads to an assumption: it is a condition, so it only ever points at a step.
        self.fields["target"].queryset = _nodes_in_flow_order(
            mission,
            kinds=[
                k for k in TheoryOfChangeNode.Kind.values if k != TheoryOfChangeNode.Kind.ASSUMPTION
            ],
        )


class AdoptForm(forms.Form):
    """Adopting a national mission for a place: a local mission that contributes to it."""

    place = PlaceField(
        label=_("Place"),
        help_text=_(
            "Where your organisation will pursue the mission: a name, like Camden, or an ONS code, like E09000007"
        ),
        error_messages={"required": _("Enter the place, like Camden")},
    )
    title = forms.CharField(
        label=_("Title of your local mission"),
        max_length=150,
        help_text=_("Left as it is, the place’s name is added, like ‘Clean energy in Camden’"),
        error_messages={
            "required": _("Enter a title"),
            "max_length": _("Title must be 150 characters or fewer"),
        },
    )
    statement = MissionForm.base_fields["statement"]
    horizon_year = MissionForm.base_fields["horizon_year"]
    owner = forms.ModelChoiceField(
        label=_("Owning organisation"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": _("Select the organisation that owns the mission"),
            "invalid_choice": _("Select an organisation you belong to"),
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners = selectors.owner_choices_for(user, current=None)
        self.fields["owner"].queryset = owners
        if owners.count() <= _MAX_OWNER_RADIOS:
            self.fields["owner"].widget = forms.RadioSelect()
            self.fields["owner"].widget.choices = self.fields["owner"].choices
        if owners.count() == 1:
            self.initial.setdefault("owner", owners.get().pk)
