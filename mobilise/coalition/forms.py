"""Coalition forms: they parse and say what is wrong in plain words; services decide and write."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobilise.core.forms_fields import AmountField, DecimalNumberField, WholeNumberField
from mobilise.core.forms_govuk import GovukDateField
from mobilise.missions.models import Mission, Outcome, TheoryOfChangeNode
from mobilise.places.models import Place

from . import selectors
from .models import Category, Opportunity

MYSELF = "myself"
_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def _amount(
    label: str, *, required: bool = True, help_text: str = "", money: bool = False, **kwargs: Any
) -> forms.DecimalField:
    """A quantity ("1,200", "12.5") or, with ``money``, an amount in pounds ("£8,000"): typed as
    people type them (core's number fields strip the commas, spaces and pound sign)."""
    field = AmountField if money else DecimalNumberField
    return field(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        help_text=help_text,
        # The services give the plain message for a negative or zero amount, so no min_value here.
        required_message=_("Enter an amount"),
        invalid=(
            _("Enter an amount in pounds, like £8,000")
            if money
            else _("Enter a number, like 200 or 12.5")
        ),
        **kwargs,
    )


class _TagsField(forms.CharField):
    """Skills or tags, separated by commas."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [part.strip() for part in text.split(",") if part.strip()]

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, (list, tuple)) else value


class TimeField(forms.CharField):
    """A time of day as people type it: 14:30, 9:00 or 9.00 (GOV.UK has no time input pattern)."""

    default_error_messages = {
        "invalid": _("Enter a time in hours and minutes, like 09:30 or 14:00")
    }

    def to_python(self, value: Any) -> dt.time | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        match = _TIME.match(text)
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return dt.time(hour, minute)

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%H:%M") if isinstance(value, dt.time) else value


def _place_field(label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Place.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choose a place"),
            "invalid_choice": _("Choose a place from the list"),
        },
    )


def _place_queryset(places: list[Place]) -> Any:
    return (
        Place.objects.defer("boundary", "bbox")
        .filter(pk__in=[p.pk for p in places])
        .order_by("name")
    )


class JoinForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the organisation that wants to join"),
            "invalid_choice": _("Choose an organisation you are an admin of"),
        },
    )
    statement = forms.CharField(
        label=_("What will your organisation bring?"),
        help_text=_(
            "For example, volunteers, premises, skills, data or introductions to others. 1,000 characters at most."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Say what your organisation will bring"),
            "max_length": _("Keep it to 1,000 characters or fewer"),
        },
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.initial.setdefault("organisation", organisations.get().pk)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept: welcome them to the coalition")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to accept or decline")},
    )
    note = forms.CharField(
        label=_("Message to the organisation (optional)"),
        help_text=_("If you decline, say why, so they can ask again when things change."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Keep it to 1,000 characters or fewer")},
    )


class PledgeForm(forms.Form):
    pledger = forms.ChoiceField(
        label=_("Who is pledging?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who is pledging"),
            "invalid_choice": _("Choose who is pledging"),
        },
    )
    title = forms.CharField(
        label=_("What will you do?"),
        help_text=_(
            "For example, ‘200 hours of staff volunteering’ or ‘A meeting room once a week’"
        ),
        max_length=200,
        error_messages={
            "required": _("Say what you will do"),
            "max_length": _("Keep it to 200 characters or fewer"),
        },
    )
    description = forms.CharField(
        label=_("More detail (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    serves = forms.ChoiceField(
        label=_("Which outcome or step of the mission does it serve? (optional)"), required=False
    )
    places = forms.ModelMultipleChoiceField(
        label=_("Where? (optional)"),
        queryset=Place.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose places from the list")},
    )
    quantity = _amount(_("How much?"), help_text=_("A number, like 200"))
    unit = forms.CharField(
        label=_("Of what?"),
        help_text=_("The unit, like ‘volunteer hours’, ‘meeting room days’ or ‘apprenticeships’"),
        max_length=60,
        error_messages={
            "required": _("Enter the unit, like ‘volunteer hours’"),
            "max_length": _("Keep the unit to 60 characters or fewer"),
        },
    )
    due_date = GovukDateField(
        label=_("By when?"),
        help_text=_("For example, 31 3 2027"),
        error_messages={"required": _("Enter the date you will deliver it by")},
    )
    money_value = _amount(
        _("Money pledged, in pounds (optional)"),
        required=False,
        money=True,
        help_text=_("Only if the pledge includes money"),
    )
    in_kind_value = _amount(
        _("In-kind value, in pounds (optional)"),
        required=False,
        money=True,
        help_text=_("What the time, space or goods would cost to buy, if you know"),
    )

    def __init__(
        self, *args: Any, mission: Mission, user: Any, organisations: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mission = mission
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["pledger"].choices = [
            *((key, o.name) for key, o in self.organisations.items()),
            (MYSELF, _("Me, as a resident")),
        ]
        if not self.organisations:
            self.initial.setdefault("pledger", MYSELF)
        self.fields["serves"].choices = [
            ("", _("Not one in particular")),
            *selectors.serves_choices(mission),
        ]
        self.fields["places"].queryset = _place_queryset(selectors.mission_place_choices(mission))

    def clean_pledger(self) -> Any:
        value = self.cleaned_data["pledger"]
        return None if value == MYSELF else self.organisations[value]

    def clean_serves(self) -> tuple[Outcome | None, TheoryOfChangeNode | None]:
        value = self.cleaned_data.get("serves") or ""
        kind, _sep, pk = value.partition(":")
        if kind == "outcome":
            return Outcome.objects.filter(mission=self.mission, pk=pk).first(), None
        if kind == "node":
            return None, TheoryOfChangeNode.objects.filter(mission=self.mission, pk=pk).first()
        return None, None


class ProgressForm(forms.Form):
    amount = _amount(
        _("How much more has been delivered?"),
        help_text=_("Since the last update, in the pledge’s unit. Enter 0 if nothing yet."),
    )
    reported_on = GovukDateField(
        label=_("Up to which date?"),
        help_text=_("For example, 31 3 2026"),
        error_messages={"required": _("Enter the date of this update")},
    )
    evidence_url = forms.URLField(
        label=_("Link to evidence (optional)"),
        help_text=_("A web page, photo or report that shows it, starting https://"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address, like https://example.org/report")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FlagForm(forms.Form):
    note = forms.CharField(
        label=_("What needs following up?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class _ListingForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What kind of thing?"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of thing it is")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        error_messages={
            "required": _("Enter a title"),
            "max_length": _("Keep the title to 150 characters or fewer"),
        },
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    tags = _TagsField(
        label=_("Skills or tags (optional)"),
        required=False,
        max_length=300,
        help_text=_("Separate them with commas, like ‘first aid, carpentry’"),
    )
    quantity = _amount(_("How much?"))
    unit = forms.CharField(
        label=_("Of what?"),
        help_text=_("The unit, like ‘volunteers’, ‘hours’, ‘sessions’ or ‘pounds’"),
        max_length=60,
        error_messages={"required": _("Enter the unit, like ‘hours’")},
    )
    place = _place_field(_("Where?"))

    def __init__(
        self, *args: Any, places: list[Place], default_place: Place | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = _place_queryset(places)
        if default_place is not None:
            self.initial.setdefault("place", default_place.pk)


class AskForm(_ListingForm):
    organisation = forms.ModelChoiceField(
        label=_("Asking for"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who is asking"),
            "invalid_choice": _("Choose who is asking"),
        },
    )
    start_date = GovukDateField(
        label=_("Needed from"),
        help_text=_("For example, 1 6 2026"),
        error_messages={"required": _("Enter the date it is needed from")},
    )
    end_date = GovukDateField(
        label=_("Needed until"),
        help_text=_("For example, 30 9 2026"),
        error_messages={"required": _("Enter the date it is needed until")},
    )
    field_order = [
        "organisation",
        "category",
        "title",
        "description",
        "tags",
        "quantity",
        "unit",
        "place",
        "start_date",
        "end_date",
    ]

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.initial.setdefault("organisation", organisations.get().pk)


class OfferForm(_ListingForm):
    offerer = forms.ChoiceField(
        label=_("Who is offering?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who is offering"),
            "invalid_choice": _("Choose who is offering"),
        },
    )
    available_from = GovukDateField(
        label=_("Available from"),
        help_text=_("For example, 1 6 2026"),
        error_messages={"required": _("Enter the date it is available from")},
    )
    available_until = GovukDateField(
        label=_("Available until (optional)"),
        required=False,
        help_text=_("Leave empty if there is no end date"),
    )
    contact_consent = forms.BooleanField(
        label=_(
            "When an ask is matched to this offer and its side agrees, share my contact details with them"
        ),
        required=False,
        help_text=_("If you leave this unticked, we will ask you each time before sharing them."),
    )
    field_order = [
        "offerer",
        "category",
        "title",
        "description",
        "tags",
        "quantity",
        "unit",
        "place",
        "available_from",
        "available_until",
        "contact_consent",
    ]

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["offerer"].choices = [
            *((k, o.name) for k, o in self.organisations.items()),
            (MYSELF, _("Me, as a resident")),
        ]
        if not self.organisations:
            self.initial.setdefault("offerer", MYSELF)

    def clean_offerer(self) -> Any:
        value = self.cleaned_data["offerer"]
        return None if value == MYSELF else self.organisations[value]


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_("Share my name and e-mail address with the other side once they agree too"),
        required=False,
    )


class RespondForm(ConsentForm):
    decision = forms.ChoiceField(
        label=_("Do you accept this match?"),
        choices=[("accept", _("Yes, accept it")), ("decline", _("No, decline it"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to accept or decline the match")},
    )
    field_order = ["decision", "consent"]


class OpportunityForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organised by"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the organising organisation"),
            "invalid_choice": _("Choose the organising organisation"),
        },
    )
    role = forms.CharField(
        label=_("Role"),
        help_text=_(
            "What volunteers will be, like ‘Litter-pick volunteer’ or ‘Homework club helper’"
        ),
        max_length=150,
        error_messages={"required": _("Enter the role")},
    )
    description = forms.CharField(
        label=_("What will volunteers do?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Say what volunteers will do")},
    )
    place = _place_field(_("Place"))
    location = forms.CharField(
        label=_("Where exactly?"),
        help_text=_(
            "The address or meeting point, like ‘Talacre Community Centre, Dalby Street, NW5 3AF’"
        ),
        max_length=200,
        error_messages={"required": _("Enter where volunteers should go")},
    )
    dbs_check_required = forms.BooleanField(label=_("Volunteers need a DBS check"), required=False)
    minimum_age = WholeNumberField(
        label=_("Minimum age (optional)"),
        required=False,
        invalid=_("Enter the minimum age as a whole number, like 16"),
    )
    requirements = forms.CharField(
        label=_("Anything else volunteers need (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    accessibility = forms.CharField(
        label=_("Accessibility"),
        help_text=_(
            "Step-free access, toilets, seating, quiet space, help for people with a disability"
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say how accessible it is, so people can decide")},
    )

    def __init__(
        self,
        *args: Any,
        organisations: Any,
        places: list[Place],
        opportunity: Opportunity | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = _place_queryset(places)
        if opportunity is not None:
            # The organiser stays; the status may change.
            del self.fields["organisation"]
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"),
                choices=Opportunity.Status.choices,
                widget=forms.RadioSelect,
                help_text=_(
                    "A closed opportunity takes no new sign-ups; people already signed up keep their places."
                ),
            )
        else:
            self.fields["organisation"].queryset = organisations
            if organisations.count() == 1:
                self.initial.setdefault("organisation", organisations.get().pk)


class SessionForm(forms.Form):
    date = GovukDateField(
        label=_("Date"),
        help_text=_("For example, 14 6 2026"),
        error_messages={"required": _("Enter the date of the session")},
    )
    start_time = TimeField(
        label=_("Start time"),
        help_text=_("For example, 10:00"),
        error_messages={"required": _("Enter the start time")},
    )
    end_time = TimeField(
        label=_("End time"),
        help_text=_("For example, 13:00"),
        error_messages={"required": _("Enter the end time")},
    )
    capacity = WholeNumberField(
        label=_("Number of places"),
        required_message=_("Enter the number of places"),
        invalid=_("Enter the number of places as a whole number, like 12"),
    )

    def datetimes(self) -> tuple[dt.datetime, dt.datetime]:
        day = self.cleaned_data["date"]
        tz = timezone.get_current_timezone()
        starts = dt.datetime.combine(day, self.cleaned_data["start_time"], tzinfo=tz)
        ends = dt.datetime.combine(day, self.cleaned_data["end_time"], tzinfo=tz)
        return starts, ends


class SignUpForm(forms.Form):
    """Sign-up: one tick to confirm the opportunity's requirements, when it has any."""

    confirm = forms.BooleanField(
        label=_("I meet the requirements above"),
        error_messages={
            "required": _("Confirm that you meet the requirements, or choose another opportunity")
        },
    )

    def __init__(self, *args: Any, needs_confirmation: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_confirmation:
            del self.fields["confirm"]


class AttendanceForm(forms.Form):
    """One row per confirmed volunteer: attended yes/no, and hours."""

    def __init__(
        self, *args: Any, sign_ups: list[Any], default_hours: Decimal, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for sign_up in sign_ups:
            name = sign_up.person.get_full_name()
            attended = forms.ChoiceField(
                label=_("Did %(name)s come?") % {"name": name},
                choices=[("yes", _("Yes")), ("no", _("No")), ("", _("Not recorded"))],
                required=False,
                widget=forms.RadioSelect,
                initial={True: "yes", False: "no"}.get(sign_up.attended, ""),
            )
            hours = _amount(
                _("Hours given by %(name)s") % {"name": name},
                required=False,
                initial=sign_up.hours if sign_up.hours is not None else default_hours,
            )
            self.fields[f"attended_{sign_up.pk}"] = attended
            self.fields[f"hours_{sign_up.pk}"] = hours
            self.rows.append((sign_up, f"attended_{sign_up.pk}", f"hours_{sign_up.pk}"))


class NearForm(forms.Form):
    """Find volunteering near a place: a GET form, so a search can be bookmarked and shared."""

    near = forms.ChoiceField(label=_("Near"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from mobilise.missions.selectors import place_choices

        super().__init__(*args, **kwargs)
        self.fields["near"].choices = [("", _("Anywhere")), *place_choices()]
        self.fields["near"].error_messages["invalid_choice"] = _("Choose a place from the list")

    def clean_near(self) -> Place | None:
        code = self.cleaned_data.get("near")
        return Place.objects.defer("boundary").filter(code=code).first() if code else None
