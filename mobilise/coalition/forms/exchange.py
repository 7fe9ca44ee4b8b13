"""Forms for asks and offers (one form base for both) and for consenting to matches."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mobilise.coalition.models import Category
from mobilise.core.forms_govuk import GovukDateField
from mobilise.places.models import Place

from ._common import MYSELF, _amount, _place_field, _place_queryset, _TagsField


class _ListingForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What kind of thing?"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of thing it is")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        error_messages={
            "required": _("Enter a title"),
            "max_length": _("Keep the title to 150 characters or fewer"),
        },
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    tags = _TagsField(
        label=_("Skills or tags (optional)"),
        required=False,
        max_length=300,
        help_text=_("Separate them with commas, like ‘first aid, carpentry’"),
    )
    quantity = _amount(_("How much?"))
    unit = forms.CharField(
        label=_("Of what?"),
        help_text=_("The unit, like ‘volunteers’, ‘hours’, ‘sessions’ or ‘pounds’"),
        max_length=60,
        error_messages={"required": _("Enter the unit, like ‘hours’")},
    )
    place = _place_field(_("Where?"))

    def __init__(
        self, *args: Any, places: list[Place], default_place: Place | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = _place_queryset(places)
        if default_place is not None:
            self.initial.setdefault("place", default_place.pk)


class AskForm(_ListingForm):
    organisation = forms.ModelChoiceField(
        label=_("Asking for"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who is asking"),
            "invalid_choice": _("Choose who is asking"),
        },
    )
    start_date = GovukDateField(
        label=_("Needed from"),
        help_text=_("For example, 1 6 2026"),
        error_messages={"required": _("Enter the date it is needed from")},
    )
    end_date = GovukDateField(
        label=_("Needed until"),
        help_text=_("For example, 30 9 2026"),
        error_messages={"required": _("Enter the date it is needed until")},
    )
    field_order = [
        "organisation",
        "category",
        "title",
        "description",
        "tags",
        "quantity",
        "unit",
        "place",
        "start_date",
        "end_date",
    ]

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.initial.setdefault("organisation", organisations.get().pk)


class OfferForm(_ListingForm):
    offerer = forms.ChoiceField(
        label=_("Who is offering?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who is offering"),
            "invalid_choice": _("Choose who is offering"),
        },
    )
    available_from = GovukDateField(
        label=_("Available from"),
        help_text=_("For example, 1 6 2026"),
        error_messages={"required": _("Enter the date it is available from")},
    )
    available_until = GovukDateField(
        label=_("Available until (optional)"),
        required=False,
        help_text=_("Leave empty if there is no end date"),
    )
    contact_consent = forms.BooleanField(
        label=_(
            "When an ask is matched to this offer and its side agrees, share my contact details with them"
        ),
        required=False,
        help_text=_("If you leave this unticked, we will ask you each time before sharing them."),
    )
    field_order = [
        "offerer",
        "category",
        "title",
        "description",
        "tags",
        "quantity",
        "unit",
        "place",
        "available_from",
        "available_until",
        "contact_consent",
    ]

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["offerer"].choices = [
            *((k, o.name) for k, o in self.organisations.items()),
            (MYSELF, _("Me, as a resident")),
        ]
        if not self.organisations:
            self.initial.setdefault("offerer", MYSELF)

    def clean_offerer(self) -> Any:
        value = self.cleaned_data["offerer"]
        return None if value == MYSELF else self.organisations[value]


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_("Share my name and e-mail address with the other side once they agree too"),
        required=False,
    )


class RespondForm(ConsentForm):
    decision = forms.ChoiceField(
        label=_("Do you accept this match?"),
        choices=[("accept", _("Yes, accept it")), ("decline", _("No, decline it"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to accept or decline the match")},
    )
    field_order = ["decision", "consent"]


class OnBehalfForm(forms.Form):
    """A mission lead answers for a side of a match that has nobody on the site."""

    method = forms.ChoiceField(
        label=_("How do they agree?"),
        choices=[
            ("recorded", _("They agreed another way (by phone, in person, by letter)")),
            ("emailed", _("E-mail them the other side’s contact details")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how they agree")},
    )
    note = forms.CharField(
        label=_("How and when did they agree?"),
        help_text=_("Needed if they agreed another way, for example ‘by phone on 3 Dec’"),
        required=False,
        max_length=300,
        error_messages={"max_length": _("Keep it to 300 characters or fewer")},
    )
    email = forms.CharField(
        label=_("Their e-mail address"),
        help_text=_("Needed to e-mail them: the address you hold for the organisation"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    side = forms.ChoiceField(choices=[("ask", "ask"), ("offer", "offer")], widget=forms.HiddenInput)


class PledgeOfferForm(forms.Form):
    """Offer an existing in-kind pledge in the exchange."""

    category = forms.ChoiceField(
        label=_("What kind of thing is it?"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of thing it is")},
    )
    contact_consent = forms.BooleanField(
        label=_("Share our contact details when it is matched"),
        help_text=_("If ticked, a match needs no further step from you."),
        required=False,
    )
