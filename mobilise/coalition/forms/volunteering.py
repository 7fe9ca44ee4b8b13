"""Forms for volunteering: opportunities, sessions, sign-ups, attendance, search."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobilise.coalition.models import Opportunity
from mobilise.core.forms_fields import DecimalNumberField, WholeNumberField
from mobilise.core.forms_govuk import GovukDateField
from mobilise.places.models import Place

from ._common import TimeField, _place_field, _place_queryset


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


_HOURS_WORD = re.compile(r"\s*(?:hours?|hrs?|h)\.?$", re.IGNORECASE)
_HOURS_AND_MINUTES = re.compile(r"^(\d{1,2}):([0-5]\d)$")
_FRACTIONS = {"½": ".5", "¼": ".25", "¾": ".75"}


class HoursField(DecimalNumberField):
    """Hours as organisers type them: "3.5", "3.5 hours", "3 hrs", "3½" or "3:30"."""

    def tidy(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = _HOURS_WORD.sub("", value.strip())
        for fraction, decimal in _FRACTIONS.items():
            text = text.replace(fraction, decimal)
        if match := _HOURS_AND_MINUTES.match(text.strip()):
            hours = Decimal(match[1]) + Decimal(match[2]) / 60
            return str(hours.quantize(Decimal("0.01")))
        return super().tidy(text)


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
            hours = HoursField(
                label=_("Hours given by %(name)s") % {"name": name},
                required=False,
                max_digits=12,
                decimal_places=2,
                initial=sign_up.hours if sign_up.hours is not None else default_hours,
                invalid=_("Enter the hours %(name)s gave as a number, like 3 or 2.5")
                % {"name": name},
            )
            self.fields[f"attended_{sign_up.pk}"] = attended
            self.fields[f"hours_{sign_up.pk}"] = hours
            self.rows.append((sign_up, f"attended_{sign_up.pk}", f"hours_{sign_up.pk}"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for sign_up, attended_name, hours_name in self.rows:
            # Hours typed for someone without saying whether they came would be lost unseen.
            if (
                not cleaned.get(attended_name)
                and attended_name not in self.errors
                and hours_name in self.changed_data
                and cleaned.get(hours_name) is not None
            ):
                self.add_error(
                    attended_name,
                    _("Say whether %(name)s came, to record their hours")
                    % {"name": sign_up.person.get_full_name()},
                )
        return cleaned


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
