"""Number fields that take numbers as people type them, for every app's forms.

GOV.UK's patterns for money and numbers: accept "£8,000", "8,000", "8 000" and "8000.00" alike,
tidying away the pound sign, commas and spaces before reading the number (and a "%" in a
percentage box), and say plainly what to type when the answer is not a number at all. A number box
is a plain text input with ``inputmode`` set, never ``type="number"`` (which refuses commas and
changes the value when someone scrolls over it).

``TypedNumberMixin`` does the tidying; ``AmountField`` (money, in pounds), ``DecimalNumberField``
(a quantity such as 12.5 hours), ``WholeNumberField`` (a count, points, a percentage or a year) and
``FloatNumberField`` (a measurement) are the fields forms use. Each takes ``invalid=`` (and
``required_message=``) for the message a particular question needs.
"""

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Spaces of every kind (including the no-break and thin spaces some keyboards and spreadsheets
# insert between thousands) and the commas people use to group digits.
_GROUPING = re.compile(r"[\s,\u00a0\u2009\u202f]")


class TypedNumberMixin:
    """Tidy what was typed before the number field reads it.

    ``symbols`` are the characters people type around a number that mean nothing to it: "£" for an
    amount in pounds, "%" for a percentage. A value that is not text (from ``initial`` or code)
    passes unchanged."""

    symbols: str = ""
    input_mode = "decimal"

    def __init__(self, *, invalid: Any = None, required_message: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(**kwargs)  # type: ignore[call-arg]
        if invalid is not None:
            self.error_messages["invalid"] = invalid  # type: ignore[attr-defined]
        if required_message is not None:
            self.error_messages["required"] = required_message  # type: ignore[attr-defined]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)  # type: ignore[misc]
        # No min/max/step: those belong to type="number", which these boxes are not.
        for name in ("min", "max", "step"):
            attrs.pop(name, None)
        attrs.update({"inputmode": self.input_mode, "spellcheck": "false"})
        return attrs

    def tidy(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = value.strip()
        for symbol in self.symbols:
            text = text.replace(symbol, "")
        return _GROUPING.sub("", text)

    def to_python(self, value: Any) -> Any:
        return super().to_python(self.tidy(value))  # type: ignore[misc]


class AmountField(TypedNumberMixin, forms.DecimalField):
    """Money in pounds (or a round's own currency): "£8,000", "8000", "£1,250.50"."""

    symbols = "£"
    prefix: str | None = "£"  # shown before the box; None for a round in another currency
    default_error_messages = {
        "invalid": _("Enter an amount in pounds, like £8,000"),
        "max_digits": _("Enter a smaller amount"),
        "max_whole_digits": _("Enter a smaller amount"),
        "max_decimal_places": _("Enter an amount in pounds and pence, like £8,000 or £12.50"),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        """A whole amount shows as 8000, not 8000.00."""
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        return value


class DecimalNumberField(TypedNumberMixin, forms.DecimalField):
    """A quantity that may have a fraction: "1,200", "12.5"."""

    default_error_messages = {
        "invalid": _("Enter a number, like 200 or 12.5"),
        "max_digits": _("Enter a smaller number"),
        "max_whole_digits": _("Enter a smaller number"),
        "max_decimal_places": _("Enter a number with at most 2 decimal places"),
    }


class WholeNumberField(TypedNumberMixin, forms.IntegerField):
    """A whole number: "3,000", " 12 ". Give ``percent=True`` to accept "60%" too."""

    input_mode = "numeric"
    default_error_messages = {"invalid": _("Enter a whole number, like 3,000")}

    def __init__(self, *, percent: bool = False, **kwargs: Any) -> None:
        if percent:
            self.symbols = "%"
        super().__init__(**kwargs)


class FloatNumberField(TypedNumberMixin, forms.FloatField):
    """A measurement: "1,234.5", "-3". Not-a-number and infinity are refused."""

    default_error_messages = {"invalid": _("Enter a number, like 1,234.5")}

    def to_python(self, value: Any) -> float | None:
        result = super().to_python(value)
        if result is not None and not math.isfinite(result):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return result


_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.\s]?(?P<minute>\d{2}))?\s*(?P<half>[ap]\.?\s*m\.?)?$", re.IGNORECASE
)
_WORDS = {"midday": dt.time(12, 0), "noon": dt.time(12, 0), "midnight": dt.time(0, 0)}


def parse_time(text: str) -> dt.time | None:
    """A time of day as people type it: 18:00, 6pm, 6:30pm, 6.30 pm, 1830, midday."""
    text = text.strip().lower()
    if text in _WORDS:
        return _WORDS[text]
    match = _TIME.match(text)
    if not match:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    half = (match["half"] or "").replace(".", "").replace(" ", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


class TimeField(forms.CharField):
    """A time of day as people type it (GOV.UK has no time input pattern)."""

    default_error_messages = {"invalid": _("Enter a time, like 6pm or 18:00")}

    def to_python(self, value: Any) -> dt.time | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        parsed = parse_time(text)
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.time):
            return value.strftime("%H:%M")
        return value
