"""Render Django forms with the GOV.UK Frontend macros.

One adapter from a ``BoundField`` to the parameters of the matching GOV.UK macro (input, textarea,
select, radios, checkboxes, date input), plus an error summary whose links jump to each field — the
pattern every GOV.UK form follows. Templates call ``govuk_field(form.x)`` and
``govuk_error_summary(form)`` (macros in ``core/forms.html``, imported by the base layout).

A field Django marks ``disabled`` renders disabled (Django then ignores whatever is posted for it).
Radios and checkboxes take ``conditional={value: html}``: GOV.UK's conditional reveal, the follow-up
question shown under the option it belongs to (hidden by GOV.UK Frontend's JavaScript until that
option is chosen; always shown without JavaScript).
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .forms_fields import TypedNumberMixin


class GovukDateWidget(forms.MultiWidget):
    """Day / month / year boxes, as the GOV.UK date input pattern asks (not a browser date picker)."""

    template_name = ""  # rendered by the govukDateInput macro, never by Django

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if value:
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        day, month, year = (
            data.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")
        )
        if not (day or month or year):
            return ""
        return f"{year}-{month.zfill(2)}-{day.zfill(2)}"

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in ("day", "month", "year"))


class GovukDateField(forms.DateField):
    widget = GovukDateWidget
    default_error_messages = {"invalid": _("Enter a real date, for example 27 3 2030")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(**kwargs)


def _error(bf: forms.BoundField) -> dict[str, str] | None:
    if bf.errors:
        return {"text": " ".join(str(e) for e in bf.errors)}
    return None


def _label_text(bf: forms.BoundField) -> str:
    return str(bf.label) if bf.label else ""


def _value(bf: forms.BoundField) -> Any:
    value = bf.value()
    return "" if value is None else value


def _with_conditionals(
    items: list[dict[str, Any]], conditional: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    for item in items:
        if conditional and item["value"] in conditional:
            item["conditional"] = {"html": conditional[item["value"]]}
    return items


def field_params(bf: forms.BoundField, **overrides: Any) -> dict[str, Any]:
    """Return ``{"kind": macro, "params": {...}}`` for one bound field."""
    widget = bf.field.widget
    disabled = bf.field.disabled
    conditional = overrides.pop("conditional", None)
    if conditional is not None and not isinstance(widget, (forms.RadioSelect, forms.CheckboxInput)):
        raise TypeError(f"{bf.name}: conditional content goes only under radios or checkboxes")
    label_classes = overrides.pop("label_classes", "govuk-label--s")
    hint = {"text": str(bf.help_text)} if bf.help_text else None
    common: dict[str, Any] = {"name": bf.html_name, "errorMessage": _error(bf)}
    if hint:
        common["hint"] = hint
    attributes = {k: v for k, v in widget.attrs.items() if k not in {"class", "id"}}
    if bf.field.required and not disabled:  # nobody can fill in a disabled field
        attributes.setdefault("aria-required", "true")

    if isinstance(widget, GovukDateWidget):
        if bf.form.is_bound:  # show back exactly what was typed, even when it is not a date
            parts = [bf.form.data.get(f"{bf.html_name}-{p}", "") for p in ("day", "month", "year")]
        else:
            parts = widget.decompress(bf.initial)
        err_class = " govuk-input--error" if bf.errors else ""
        items = [
            {
                "name": "day",
                "label": _("Day"),
                "classes": "govuk-input--width-2" + err_class,
                "value": parts[0] or "",
            },
            {
                "name": "month",
                "label": _("Month"),
                "classes": "govuk-input--width-2" + err_class,
                "value": parts[1] or "",
            },
            {
                "name": "year",
                "label": _("Year"),
                "classes": "govuk-input--width-4" + err_class,
                "value": parts[2] or "",
            },
        ]
        if disabled:  # govukDateInput has no `disabled`: each box carries it as an attribute
            for item in items:
                item["attributes"] = {"disabled": {"value": True, "optional": True}}
        params = {
            **common,
            "id": bf.auto_id,
            "namePrefix": bf.html_name,
            "items": items,
            "fieldset": {
                "legend": {"text": _label_text(bf), "classes": "govuk-fieldset__legend--s"}
            },
        }
        params.pop("name")
        return {"kind": "date", "params": {**params, **overrides}}

    if isinstance(widget, forms.CheckboxInput):
        params = {
            **common,
            "idPrefix": bf.auto_id,
            "items": _with_conditionals(
                [
                    {
                        "value": "on",
                        "text": _label_text(bf),
                        "checked": bool(bf.value()),
                        "disabled": disabled,
                    }
                ],
                conditional,
            ),
        }
        return {"kind": "checkboxes", "params": {**params, **overrides}}

    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        current = bf.value()
        selected = (
            {str(v) for v in current} if isinstance(current, (list, tuple)) else {str(current)}
        )
        items = [
            {"value": str(v), "text": str(t), "checked": str(v) in selected, "disabled": disabled}
            for v, t in bf.field.choices
            if str(v) != ""
        ]
        params = {
            **common,
            "idPrefix": bf.auto_id,
            "items": _with_conditionals(items, conditional),
            "fieldset": {
                "legend": {"text": _label_text(bf), "classes": "govuk-fieldset__legend--s"}
            },
        }
        # CheckboxSelectMultiple subclasses RadioSelect in Django, so ask about it first.
        kind = "checkboxes" if isinstance(widget, forms.CheckboxSelectMultiple) else "radios"
        return {"kind": kind, "params": {**params, **overrides}}

    base = {
        **common,
        "id": bf.auto_id,
        "label": {"text": _label_text(bf), "classes": label_classes},
        "attributes": attributes,
        "disabled": disabled,  # govukInput, govukTextarea and govukSelect each take `disabled`
    }
    if isinstance(widget, forms.Select):
        current = bf.value()
        multiple = isinstance(widget, forms.SelectMultiple)
        selected = {str(v) for v in current} if multiple and current else {str(current)}
        items = [
            {"value": str(v), "text": str(t), "selected": str(v) in selected}
            for v, t in bf.field.choices
        ]
        if multiple:
            base["attributes"] = {**attributes, "multiple": "multiple"}
        return {"kind": "select", "params": {**base, "items": items, **overrides}}
    if isinstance(widget, forms.Textarea):
        return {
            "kind": "textarea",
            "params": {
                **base,
                "value": _value(bf),
                "rows": widget.attrs.get("rows", 5),
                **overrides,
            },
        }

    input_type = getattr(widget, "input_type", "text")
    params = {**base, "type": input_type}
    if input_type != "password":
        params["value"] = _value(bf)
    if input_type == "number":
        params.update(
            {
                "type": "text",
                "inputmode": "numeric",
                "spellcheck": False,
                "classes": "govuk-input--width-5",
            }
        )
    if input_type == "email":
        params.update({"autocomplete": "email", "spellcheck": False})
    if isinstance(bf.field, TypedNumberMixin):
        # A number box sized for a number, with "£" in front of an amount in pounds.
        params.update({"classes": "govuk-input--width-10", "spellcheck": False})
        if getattr(bf.field, "prefix", None):
            params["prefix"] = {"text": bf.field.prefix}
    return {"kind": "input", "params": {**params, **overrides}}


def error_summary_params(*forms_: forms.BaseForm) -> dict[str, Any] | None:
    """The GOV.UK error summary for one or more forms, or ``None`` when there is nothing to say."""
    items: list[dict[str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for error in form.non_field_errors():
            items.append({"text": str(error)})
        for name, errors in form.errors.items():
            if name == "__all__":
                continue
            bf = form[name]
            anchor = bf.auto_id
            if isinstance(bf.field.widget, GovukDateWidget):
                anchor = f"{bf.auto_id}-day" if bf.auto_id else anchor
            for error in errors:
                items.append({"text": str(error), "href": f"#{anchor}"})
    if not items:
        return None
    return {"titleText": _("There is a problem"), "errorList": items}


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: on the field it names if the form has one,
    otherwise at the top of the error summary. Services validate; forms only display."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def jinja_globals() -> dict[str, Any]:
    return {"govuk_field_params": field_params, "govuk_error_summary_params": error_summary_params}
