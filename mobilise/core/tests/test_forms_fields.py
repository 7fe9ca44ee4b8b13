"""Numbers as people type them: one set of fields every app's forms use."""

from decimal import Decimal

import pytest
from django import forms

from mobilise.core.forms_fields import (
    AmountField,
    DecimalNumberField,
    FloatNumberField,
    WholeNumberField,
)
from mobilise.core.forms_govuk import field_params


class _Form(forms.Form):
    amount = AmountField(label="Cost", required=False)
    quantity = DecimalNumberField(label="How much?", required=False)
    count = WholeNumberField(label="How many?", required=False)
    progress = WholeNumberField(label="Progress", required=False, percent=True)
    value = FloatNumberField(label="Value", required=False)


def _clean(**data):
    form = _Form(data)
    assert form.is_valid(), form.errors
    return form.cleaned_data


@pytest.mark.parametrize(
    "typed",
    ["8000", "8,000", "£8,000", " £8,000 ", "£ 8 000", "8000.00", "£8,000.00", "8\u202f000"],
)
def test_an_amount_is_read_however_it_is_typed(typed):
    assert _clean(amount=typed)["amount"] == Decimal(8000)


def test_pence_are_kept():
    assert _clean(amount="£1,250.50")["amount"] == Decimal("1250.50")


@pytest.mark.parametrize("typed", ["3000", "3,000", " 3 000 "])
def test_whole_numbers_and_quantities_take_commas_and_spaces(typed):
    cleaned = _clean(count=typed, quantity=typed, value=typed)
    assert cleaned["count"] == 3000
    assert cleaned["quantity"] == Decimal(3000)
    assert cleaned["value"] == 3000.0


def test_a_percentage_may_carry_its_sign():
    assert _clean(progress="60%")["progress"] == 60


@pytest.mark.parametrize(
    "field, typed, message",
    [
        ("amount", "eight thousand", "Enter an amount in pounds, like £8,000"),
        ("amount", "£8,000.505", "Enter an amount in pounds and pence, like £8,000 or £12.50"),
        ("amount", "NaN", "Enter an amount in pounds, like £8,000"),
        ("count", "3.5", "Enter a whole number, like 3,000"),
        ("count", "lots", "Enter a whole number, like 3,000"),
        ("quantity", "£200", "Enter a number, like 200 or 12.5"),
        ("value", "inf", "Enter a number, like 1,234.5"),
    ],
)
def test_garbage_gets_a_plain_message(field, typed, message):
    form = _Form({field: typed})
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_number_box_is_a_text_box_with_the_right_keyboard_and_a_pound_sign():
    form = _Form({"amount": "£8,000"})
    params = field_params(form["amount"])["params"]
    assert params["type"] == "text"
    assert params["attributes"]["inputmode"] == "decimal"
    assert params["prefix"] == {"text": "£"}
    assert params["value"] == "£8,000"  # what was typed comes back as typed
    count = field_params(_Form()["count"])["params"]
    assert count["attributes"]["inputmode"] == "numeric" and "prefix" not in count


def test_a_whole_amount_shows_without_pence():
    form = _Form(initial={"amount": Decimal("50000.00")})
    assert field_params(form["amount"])["params"]["value"] == "50000"
