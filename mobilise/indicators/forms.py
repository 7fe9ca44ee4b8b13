"""Forms for the indicator pages: the place and breakdown chooser, the index filters and the
target form. They parse input; ``services.target_set`` decides and saves."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mobilise.core.forms_fields import FloatNumberField, WholeNumberField
from mobilise.places.forms import PlacesField

from .models import Series, Target

MAX_MILESTONES = 10


# Numbers as people type them ("1,234.5", " 45 "), through core's shared number fields.
NumberField = FloatNumberField
YearField = WholeNumberField


class IndicatorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    theme = forms.ChoiceField(label=_("Theme"), required=False)

    def __init__(self, *args: Any, themes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = _("Words from the title, code, description or source")
        self.fields["theme"].choices = [("", _("All themes")), *((t.slug, t.title) for t in themes)]
        self.fields["theme"].error_messages["invalid_choice"] = _("Select a theme from the list")


class ChooserForm(forms.Form):
    """Which place and which breakdown the indicator page shows: a GET form, so every view of
    the page has its own address."""

    place = forms.ChoiceField(label=_("Place"), required=False)
    series = forms.ChoiceField(label=_("Breakdown"), required=False)

    def __init__(
        self,
        *args: Any,
        places: list[tuple[str, str]],
        series: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = places
        self.fields["series"].choices = series
        self.fields["place"].error_messages["invalid_choice"] = _("Select a place from the list")
        self.fields["series"].error_messages["invalid_choice"] = _(
            "Select a breakdown from the list"
        )


class TargetForm(forms.Form):
    """Baseline, target and up to ten milestones. Milestones are rows of two boxes (year,
    value); blank rows are ignored, so the page works without JavaScript."""

    baseline_period = forms.CharField(
        label=_("Baseline period"),
        max_length=16,
        help_text=_(
            "The period the plan starts from, as the data name it: 2019, or 2019/20 for a financial year"
        ),
        error_messages={"required": _("Enter the baseline period")},
    )
    baseline_value = NumberField(
        label=_("Baseline value"),
        required=False,
        invalid=_("Enter the baseline value as a number, like 45.2"),
        help_text=_("Leave blank to use the value published for the baseline period"),
    )
    target_year = YearField(
        label=_("Target year"),
        invalid=_("Enter the target year as a whole number, like 2030"),
        required_message=_("Enter the target year"),
    )
    target_value = NumberField(
        label=_("Target value"),
        invalid=_("Enter the target value as a number, like 25"),
        required_message=_("Enter the target value"),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the target comes from, such as a council plan or a national mission"),
    )

    def __init__(
        self,
        *args: Any,
        series_choices: list[tuple[str, str]] | None = None,
        milestone_rows: int = 3,
        baseline_lookup: dict[str, float] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.baseline_lookup = baseline_lookup or {}
        if series_choices and len(series_choices) > 1:
            self.fields["series"] = forms.ChoiceField(
                label=_("Breakdown"),
                choices=series_choices,
                error_messages={"invalid_choice": _("Select a breakdown from the list")},
            )
            self.order_fields(["series"])
        rows = milestone_rows
        if self.is_bound:
            posted = [
                int(m.group(1))
                for key in self.data
                if (m := re.fullmatch(r"milestone_(\d+)_year", key))
            ]
            rows = max([rows, *posted])
        self.milestone_rows = min(max(rows, 1), MAX_MILESTONES)
        for n in range(1, self.milestone_rows + 1):
            self.fields[f"milestone_{n}_year"] = YearField(
                label=_("Year"),
                required=False,
                invalid=_("Enter the year of milestone %(n)s as a whole number, like 2025")
                % {"n": n},
            )
            self.fields[f"milestone_{n}_value"] = NumberField(
                label=_("Value"),
                required=False,
                invalid=_("Enter the value of milestone %(n)s as a number") % {"n": n},
            )

    def milestone_fields(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [
            (n, self[f"milestone_{n}_year"], self[f"milestone_{n}_value"])
            for n in range(1, self.milestone_rows + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        rows: list[tuple[int, int, float]] = []
        for n in range(1, self.milestone_rows + 1):
            year, value = data.get(f"milestone_{n}_year"), data.get(f"milestone_{n}_value")
            if self.errors.get(f"milestone_{n}_year") or self.errors.get(f"milestone_{n}_value"):
                continue
            if year is None and value is None:
                continue
            if year is None:
                self.add_error(
                    f"milestone_{n}_year", _("Enter the year of milestone %(n)s") % {"n": n}
                )
            elif value is None:
                self.add_error(
                    f"milestone_{n}_value", _("Enter the value of milestone %(n)s") % {"n": n}
                )
            else:
                rows.append((n, year, value))
        # People enter milestones in any order; the plan takes them in year order.
        rows.sort(key=lambda r: r[1])
        self.milestone_row_numbers = [n for n, _y, _v in rows]
        data["milestones"] = [(y, v) for _n, y, v in rows]
        period = (data.get("baseline_period") or "").strip()
        if data.get("baseline_value") is None and period and "baseline_value" not in self.errors:
            if period in self.baseline_lookup:
                data["baseline_value"] = self.baseline_lookup[period]
            else:
                self.add_error(
                    "baseline_value",
                    _("Enter the baseline value: there is no published value for %(period)s")
                    % {"period": period},
                )
        self._check_plan(data)
        return data

    def full_clean(self) -> None:
        super().full_clean()
        # The error summary lists problems in the order of the page, as GOV.UK asks.
        if self._errors:
            order = {name: i for i, name in enumerate(["__all__", *self.fields])}
            ordered = sorted(self._errors.items(), key=lambda item: order.get(item[0], len(order)))
            self._errors.clear()
            self._errors.update(ordered)

    def _check_plan(self, data: dict[str, Any]) -> None:
        """The plan's rules (target after baseline, milestones between), checked now so that
        every problem is listed at once, not one round at a time. The service checks again."""
        from . import services

        needed = ("baseline_period", "target_year", "target_value")
        if any(self.errors.get(f) or data.get(f) in (None, "") for f in needed):
            return
        try:
            services.validate_target(
                baseline_period=data["baseline_period"].strip(),
                baseline_value=data.get("baseline_value") or 0.0,
                target_year=data["target_year"],
                target_value=data["target_value"],
                milestones=data["milestones"],
            )
        except ValidationError as exc:
            for key, errors in getattr(exc, "error_dict", {}).items():
                field = key
                if key.startswith("milestones."):
                    index = int(key.split(".")[1])
                    field = f"milestone_{self.milestone_row_numbers[index]}_year"
                if field in self.fields and not self.errors.get(field):
                    self.add_error(field, errors)

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put a service's errors by the fields they are about (``milestones.<n>`` by its row)."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, errors in exc.error_dict.items():
            if key.startswith("milestones."):
                index = int(key.split(".")[1])
                numbers = getattr(self, "milestone_row_numbers", [])
                field = f"milestone_{numbers[index]}_year" if index < len(numbers) else None
                self.add_error(field, errors)
            elif key in self.fields:
                self.add_error(key, errors)
            else:
                self.add_error(None, errors)

    @staticmethod
    def initial_for(target: Target | None) -> dict[str, Any]:
        if target is None:
            return {}
        initial: dict[str, Any] = {
            "baseline_period": target.baseline_period,
            "baseline_value": _plain(target.baseline_value),
            "target_year": target.target_year,
            "target_value": _plain(target.target_value),
            "note": target.note,
            "series": str(target.series_id),
        }
        for n, m in enumerate(target.milestones.all(), start=1):
            initial[f"milestone_{n}_year"] = m.year
            initial[f"milestone_{n}_value"] = _plain(m.value)
        return initial


def _plain(value: float) -> str:
    """45.0 as "45", 45.25 as "45.25": the number as someone would have typed it."""
    return f"{value:.10g}"


def series_choices(series: list[Series], label: Any) -> list[tuple[str, str]]:
    """Breakdowns by id: the headline's key is empty, which a required field would refuse."""
    return [(str(s.pk), label(s)) for s in series]


class IndicatorSearchForm(forms.Form):
    """The first half of linking: find an indicator by words from its name or its code."""

    q = forms.CharField(
        label=_("Search for an indicator"),
        required=False,
        max_length=100,
        help_text=_("Words from its name, or its code, for example ‘CO2 transport’"),
        error_messages={"max_length": _("Search must be 100 characters or fewer")},
    )


class IndicatorLinkForm(forms.Form):
    """The second half: which of the indicators found, and in which places."""

    indicator = forms.ChoiceField(
        label=_("Indicator"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the indicator to link"),
            "invalid_choice": _("Select an indicator from the list"),
        },
    )
    places = PlacesField(
        label=_("Places"),
        help_text=_(
            "Where this indicator measures the outcome. One place per line, or separated by commas: a name, like Camden, or an ONS code"
        ),
        error_messages={"required": _("Enter at least one place, like Camden")},
    )

    def __init__(self, *args: Any, indicators: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.code, f"{i.title} ({i.code})") for i in indicators]
