"""Core's GOV.UK form adapter renders a Django field as the person will meet it: a field Django has
disabled (its posted value ignored) is disabled on the page too, for every kind of GOV.UK component;
a radio option can carry its own follow-up question (the conditional reveal)."""

import re

import pytest
from django import forms
from django.template import engines

from mobilise.core.forms_govuk import GovukDateField

CHOICES = [("a", "Apples"), ("b", "Pears")]


class EveryKindForm(forms.Form):
    name = forms.CharField(label="Name")
    about = forms.CharField(label="About", widget=forms.Textarea)
    size = forms.IntegerField(label="Size")
    fruit = forms.ChoiceField(label="Fruit", choices=CHOICES)
    pick = forms.ChoiceField(label="Pick", choices=CHOICES, widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(
        label="Many", choices=CHOICES, widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(label="Agree")
    when = GovukDateField(label="When")


def _render(form: forms.Form, source: str, **context: object) -> str:
    template = engines["jinja2"].from_string(
        '{% from "core/forms.html" import govuk_field with context %}' + source
    )
    return template.render({"form": form, **context})


def _controls(html: str) -> list[str]:
    """Every form control's opening tag."""
    return re.findall(r"<(?:input|textarea|select)\b[^>]*>", html)


@pytest.mark.parametrize("name", list(EveryKindForm.base_fields))
def test_a_disabled_field_renders_every_control_disabled(name):
    form = EveryKindForm(initial={"pick": "a", "when": None})
    form.fields[name].disabled = True
    html = _render(form, "{{ govuk_field(form[name]) }}", name=name)
    controls = _controls(html)
    assert controls, html
    for tag in controls:
        assert re.search(r"\sdisabled[\s>=]", tag), tag
        assert "aria-required" not in tag  # nobody can fill it in, so nobody is asked to


@pytest.mark.parametrize("name", list(EveryKindForm.base_fields))
def test_a_field_left_enabled_renders_without_disabled(name):
    html = _render(EveryKindForm(), "{{ govuk_field(form[name]) }}", name=name)
    for tag in _controls(html):
        assert "disabled" not in tag, tag


def test_a_disabled_field_keeps_its_value_on_the_page():
    form = EveryKindForm(initial={"name": "Jo", "pick": "b"})
    form.fields["name"].disabled = form.fields["pick"].disabled = True
    html = _render(form, "{{ govuk_field(form.name) }}{{ govuk_field(form.pick) }}")
    assert 'value="Jo"' in html
    assert re.search(r'value="b"[^>]*checked disabled', html)


def test_a_radio_option_reveals_its_own_follow_up_question():
    form = EveryKindForm(data={"pick": "b"})
    form.is_valid()
    html = _render(
        form,
        '{{ govuk_field(form.pick, conditional={"b": govuk_field(form.size)}) }}',
    )
    # The follow-up sits inside the option's conditional block, which the radio controls; the
    # option is chosen, so the block is not hidden, and the follow-up's own error shows in it.
    opening = re.search(r'<div class="([^"]*)" id="conditional-id_pick-2">', html)
    assert opening, html
    assert opening.group(1) == "govuk-radios__conditional"
    inside = html[opening.end() : html.index("</fieldset>")]
    assert 'id="id_size"' in inside
    assert "This field is required." in inside
    assert 'data-aria-controls="conditional-id_pick-2"' in html
    assert 'conditional-id_pick"' not in html  # the other option has no follow-up


def test_conditional_content_only_goes_under_radios_or_checkboxes():
    with pytest.raises(TypeError, match="radios or checkboxes"):
        _render(EveryKindForm(), '{{ govuk_field(form.name, conditional={"a": "x"}) }}')
