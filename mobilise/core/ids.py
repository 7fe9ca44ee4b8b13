"""Ids from forms, query strings and JSON, bounded before they reach the database.

Every table's key is a 64-bit integer (``BigAutoField``), so an id above 2**63 - 1 cannot name
a row: PostgreSQL refuses it with an error and SQLite's driver raises ``OverflowError``. Such an
id is read as "no such thing" (``parse_id`` gives ``None``, ``IdField`` a form error) rather than
sent to the database, where it would become a server error.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1


def parse_id(value: Any) -> int | None:
    """A positive id from ``value`` (text of ASCII digits or an int), or ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdField(forms.IntegerField):
    """An id posted by a page or a script: a whole number from 1 to ``MAX_ID``."""

    default_error_messages = {
        "invalid": _("Choose one of the options"),
        "min_value": _("Choose one of the options"),
        "max_value": _("Choose one of the options"),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class ModelMultipleIdField(forms.ModelMultipleChoiceField):
    """``ModelMultipleChoiceField`` that refuses an out-of-range id before querying.

    Django guards a single-id lookup against overflow but not the ``pk__in`` lookup this field
    makes, so ``places=99999999999999999999`` would otherwise be a server error.
    """

    def _check_values(self, value: Any) -> Any:
        if self.to_field_name is None and not isinstance(value, (str, bytes)):
            try:
                values = list(value)
            except TypeError:
                values = []
            for pk in values:
                if parse_id(pk if isinstance(pk, int) else str(pk)) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)
