"""Checks for text people type, shared by every app's models and forms.

Names and titles are shown to other people, so they must not carry characters that change how
text around them reads: the bidirectional controls (U+202A–U+202E, U+2066–U+2069, which can
make "gpj.exe" read as "exe.jpg") and the zero-width characters (U+200B–U+200F, U+FEFF, which
make two names that look the same differ). Single-line fields (names and titles, which reach
the public ``.pb`` file, CSV exports and page titles) must not hold line breaks. Descriptions
are limited to ``DESCRIPTION_MAX_LENGTH`` characters.

Plain functions, so that model fields can list them (migrations record them by import path).
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

DESCRIPTION_MAX_LENGTH = 5000

INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# Line breaks of every kind, and the other control characters (a tab is left to the form).
LINE_BREAKS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def refuse_invisible(value: str) -> None:
    """Refuse bidirectional controls and zero-width characters."""
    if value and INVISIBLE.search(str(value)):
        raise ValidationError(
            _(
                "Remove the invisible characters (text-direction or zero-width characters), "
                "often pasted in by accident"
            ),
            code="invisible",
        )


def refuse_line_breaks(value: str) -> None:
    """Refuse line breaks and control characters in a field that is one line."""
    if value and LINE_BREAKS.search(str(value)):
        raise ValidationError(_("Write this on one line"), code="line_break")


# What names and titles use; statement text uses ``refuse_invisible`` alone.
SINGLE_LINE = [refuse_invisible, refuse_line_breaks]

# A model TextField's max_length only sizes the form box; this makes full_clean() enforce it.
DESCRIPTION_LIMIT = [MaxLengthValidator(DESCRIPTION_MAX_LENGTH)]
