"""Unbounded and spoofing text (issue #16, defect 9): names and titles refuse bidirectional
controls, zero-width characters and line breaks; descriptions are limited."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from mobilise.core.validators import (
    DESCRIPTION_MAX_LENGTH,
    SINGLE_LINE,
    refuse_invisible,
    refuse_line_breaks,
)

SPOOFS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
          "\u2069", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff"]  # fmt: skip
BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\x00"]

# Every name and title people type (shown to others, in page titles, CSVs and the .pb file).
SINGLE_LINE_FIELDS = [
    ("accounts.User", "name"),
    ("accounts.Organisation", "name"),
    ("budgeting.BudgetRound", "title"),
    ("budgeting.Project", "title"),
    ("coalition.Pledge", "title"),
    ("coalition.Opportunity", "role"),
    ("deliberation.Conversation", "question"),
    ("learning.Pilot", "title"),
    ("learning.Learning", "title"),
    ("missions.Mission", "title"),
    ("missions.Outcome", "title"),
    ("missions.TheoryOfChangeNode", "title"),
]
DESCRIPTIONS = [
    ("accounts.Organisation", "description"),
    ("deliberation.Conversation", "description"),
    ("learning.Pilot", "hypothesis"),
    ("learning.Pilot", "intervention"),
    ("missions.Outcome", "description"),
    ("missions.TheoryOfChangeNode", "description"),
]


@pytest.mark.parametrize("char", SPOOFS)
def test_invisible_characters_are_refused(char):
    with pytest.raises(ValidationError, match="invisible characters"):
        refuse_invisible(f"Camden{char}Council")


@pytest.mark.parametrize("char", BREAKS)
def test_line_breaks_are_refused(char):
    with pytest.raises(ValidationError, match="one line"):
        refuse_line_breaks(f"Park{char}VOTES")


@pytest.mark.parametrize("text", ["Camden Council", "Café – Ōtautahi", "مجلس كامدن", "", "O'Brien"])
def test_ordinary_names_pass(text):
    for check in SINGLE_LINE:
        check(text)


@pytest.mark.parametrize(("label", "name"), SINGLE_LINE_FIELDS)
def test_every_name_and_title_refuses_spoofing_and_line_breaks(label, name):
    field = apps.get_model(label)._meta.get_field(name)
    for bad in ("Camden\u202eliocnuoC", "Cam\u200bden", "\u2066Camden\u2069", "Park\nVOTES"):
        with pytest.raises(ValidationError):
            field.run_validators(bad)
    field.run_validators("Camden Council")


@pytest.mark.parametrize(("label", "name"), DESCRIPTIONS)
def test_descriptions_are_limited(label, name):
    field = apps.get_model(label)._meta.get_field(name)
    assert field.max_length == DESCRIPTION_MAX_LENGTH
    with pytest.raises(ValidationError):
        field.clean("x" * 1_000_000, None)
