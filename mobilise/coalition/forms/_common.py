"""Fields and helpers the coalition's forms share."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mobilise.core.forms_fields import AmountField, DecimalNumberField
from mobilise.core.forms_fields import TimeField as CoreTimeField
from mobilise.places.models import Place

MYSELF = "myself"


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


class TimeField(CoreTimeField):
    """A session's time of day, as people type it (14:30, 9.00, 2pm)."""

    default_error_messages = {
        "invalid": _("Enter a time in hours and minutes, like 09:30 or 14:00")
    }


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
