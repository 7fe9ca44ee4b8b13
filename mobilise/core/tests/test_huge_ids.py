"""Huge ids (issue #16, defect 8): a 20-digit id is refused, never a 500."""

import pytest

from mobilise.core.ids import MAX_ID, parse_id

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), (" 7 ", 7), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), (HUGE, None),
     ("-1", None), ("0", None), ("1e3", None), ("", None), (None, None), ("١٢", None), (3, 3),
     (True, None)],
)  # fmt: skip
def test_parse_id(text, expected):
    assert parse_id(text) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("values", [[HUGE], ["-" + HUGE], ["1", str(MAX_ID + 1)]])
def test_a_list_of_ids_with_a_huge_one_is_a_form_error(values):
    from django import forms
    from django.contrib.auth.models import Group

    from mobilise.core.ids import ModelMultipleIdField

    class Form(forms.Form):
        places = ModelMultipleIdField(queryset=Group.objects.all())

    form = Form({"places": values})
    assert not form.is_valid() and "places" in form.errors
