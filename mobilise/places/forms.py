import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Place


class PlaceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for a place"),
        help_text=_("Enter a name or an ONS code, for example Lambeth or E09000022"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Search must be 100 characters or fewer")},
    )


# --- Choosing places by name ---------------------------------------------------------------------
#
# A text box that takes a place's name as people write it ("Camden", "camden", "London Borough
# of Camden") or its ONS code. Without JavaScript, a name that fits several places, or none
# exactly, comes back as an error listing the places it could be, each with its code to type
# instead. (GOV.UK's accessible-autocomplete could enhance it; the page does not depend on it.)


PLACE_HINT = _("A place name, like Camden, or an ONS code, like E09000007")


def describe_place(place: Place) -> str:
    """ "Newport (W06000022, Wales)": enough to tell places of the same name apart."""
    within = place.parent.display_name if place.parent_id and place.parent else ""
    retired = _("until %(year)s") % {"year": place.valid_to} if place.valid_to is not None else ""
    details = ", ".join(x for x in (str(place.code), str(within), str(retired)) if x)
    return f"{place.display_name} ({details})"


def label_for(place: Place) -> str:
    """How a chosen place is shown back in a place box: "Camden (E09000007)", which the box
    reads back as that one place even where names repeat."""
    return f"{place.display_name} ({place.code})"


def _or_list(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return _("%(first)s or %(last)s") % {"first": "; ".join(items[:-1]), "last": items[-1]}


def resolve_place_text(text: str) -> Place:
    """The one place ``text`` names, or ``ValidationError`` saying what it could be."""
    found = selectors.find_place(text)
    if found.place is not None:
        return found.place
    if found.candidates and found.exact:
        raise ValidationError(
            _(
                "More than one place is called ‘%(text)s’: %(places)s. Enter the ONS code of the one you mean"
            )
            % {"text": text, "places": _or_list([describe_place(p) for p in found.candidates])},
            code="ambiguous",
        )
    if found.candidates:
        raise ValidationError(
            _("No place is called ‘%(text)s’. Did you mean %(places)s? Enter its name or ONS code")
            % {"text": text, "places": _or_list([describe_place(p) for p in found.candidates])},
            code="suggestions",
        )
    raise ValidationError(
        _(
            "There is no place called ‘%(text)s’. Enter a place name, like Camden, or an ONS code, like E09000007"
        )
        % {"text": text},
        code="unknown",
    )


class PlaceField(forms.CharField):
    """One place, typed as its name or ONS code. Cleans to a ``Place``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", PLACE_HINT)
        super().__init__(**kwargs)
        self.widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})

    def clean(self, value: Any) -> Place | None:  # type: ignore[override]
        if isinstance(value, Place):
            return value
        text = super().clean(value)
        if not text:
            return None
        return resolve_place_text(text)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Place):
            return label_for(value)
        return value


def _split_places(text: str) -> list[str]:
    """Places one per line, or separated by semicolons or commas. A part that is itself a
    place's name with a comma ("Bristol, City of") is kept whole."""
    parts: list[str] = []
    for chunk in re.split(r"[\n;]+", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if "," in chunk and selectors.find_place(chunk).place is None:
            pieces = [p.strip() for p in chunk.split(",") if p.strip()]
            i = 0
            while i < len(pieces):
                # "Bristol, City of" inside "Camden, Bristol, City of": two pieces, one place.
                if i + 1 < len(pieces):
                    pair = f"{pieces[i]}, {pieces[i + 1]}"
                    if selectors.find_place(pair).place is not None:
                        parts.append(pair)
                        i += 2
                        continue
                parts.append(pieces[i])
                i += 1
        else:
            parts.append(chunk)
    return parts


class PlacesField(forms.CharField):
    """Several places, by name or ONS code, one per line or separated by commas. Cleans to a
    list of ``Place``; every place that cannot be found is reported at once."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            format_lazy("{} {}", _("One place per line, or separated by commas."), PLACE_HINT),
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"spellcheck": "false"})

    def clean(self, value: Any) -> list[Place]:  # type: ignore[override]
        if isinstance(value, (list, tuple)):
            return list(value)
        text = super().clean(value)
        places: list[Place] = []
        errors: list[ValidationError] = []
        for part in _split_places(text):
            try:
                place = resolve_place_text(part)
            except ValidationError as exc:
                errors.append(exc)
            else:
                if place not in places:
                    places.append(place)
        if errors:
            raise ValidationError(errors)
        if self.required and not places:
            raise ValidationError(self.error_messages["required"], code="required")
        return places

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return "\n".join(label_for(p) if isinstance(p, Place) else str(p) for p in value)
        return value
