"""Forms for pledges, progress and follow-up flags."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mobilise.coalition import selectors
from mobilise.coalition.models import Category
from mobilise.core.forms_govuk import GovukDateField
from mobilise.core.ids import ModelMultipleIdField
from mobilise.missions.models import Mission, Outcome, TheoryOfChangeNode
from mobilise.places.models import Place

from ._common import MYSELF, _amount, _place_queryset


class PledgeForm(forms.Form):
    pledger = forms.ChoiceField(
        label=_("Who is pledging?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who is pledging"),
            "invalid_choice": _("Choose who is pledging"),
        },
    )
    title = forms.CharField(
        label=_("What will you do?"),
        help_text=_(
            "For example, ‘200 hours of staff volunteering’ or ‘A meeting room once a week’"
        ),
        max_length=200,
        error_messages={
            "required": _("Say what you will do"),
            "max_length": _("Keep it to 200 characters or fewer"),
        },
    )
    description = forms.CharField(
        label=_("More detail (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    serves = forms.ChoiceField(
        label=_("Which outcome or step of the mission does it serve? (optional)"), required=False
    )
    places = ModelMultipleIdField(
        label=_("Where? (optional)"),
        queryset=Place.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose places from the list")},
    )
    quantity = _amount(_("How much?"), help_text=_("A number, like 200"))
    unit = forms.CharField(
        label=_("Of what?"),
        help_text=_("The unit, like ‘volunteer hours’, ‘meeting room days’ or ‘apprenticeships’"),
        max_length=60,
        error_messages={
            "required": _("Enter the unit, like ‘volunteer hours’"),
            "max_length": _("Keep the unit to 60 characters or fewer"),
        },
    )
    due_date = GovukDateField(
        label=_("By when?"),
        help_text=_("For example, 31 3 2027"),
        error_messages={"required": _("Enter the date you will deliver it by")},
    )
    money_value = _amount(
        _("Money pledged, in pounds (optional)"),
        required=False,
        money=True,
        help_text=_("Only if the pledge includes money"),
    )
    in_kind_value = _amount(
        _("In-kind value, in pounds (optional)"),
        required=False,
        money=True,
        help_text=_("What the time, space or goods would cost to buy, if you know"),
    )
    offer_in_exchange = forms.BooleanField(
        label=_("Also offer this in the exchange"),
        help_text=_(
            "For space, equipment or skills: it is listed as an offer too, and a match on it "
            "counts towards this pledge"
        ),
        required=False,
    )
    offer_category = forms.ChoiceField(
        label=_("If you offer it: what kind of thing is it?"),
        choices=[("", _("Choose one")), *Category.choices],
        required=False,
    )
    offer_contact_consent = forms.BooleanField(
        label=_("Share our contact details when it is matched"),
        help_text=_("If ticked, a match needs no further step from you."),
        required=False,
    )

    def __init__(
        self, *args: Any, mission: Mission, user: Any, organisations: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mission = mission
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["pledger"].choices = [
            *((key, o.name) for key, o in self.organisations.items()),
            (MYSELF, _("Me, as a resident")),
        ]
        if not self.organisations:
            self.initial.setdefault("pledger", MYSELF)
        self.fields["serves"].choices = [
            ("", _("Not one in particular")),
            *selectors.serves_choices(mission),
        ]
        self.fields["places"].queryset = _place_queryset(selectors.mission_place_choices(mission))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("offer_in_exchange") and not data.get("offer_category"):
            self.add_error(
                "offer_category", _("Choose what kind of thing you are offering in the exchange")
            )
        if not data.get("offer_in_exchange"):
            data["offer_category"] = ""
        return data

    def clean_pledger(self) -> Any:
        value = self.cleaned_data["pledger"]
        return None if value == MYSELF else self.organisations[value]

    def clean_serves(self) -> tuple[Outcome | None, TheoryOfChangeNode | None]:
        value = self.cleaned_data.get("serves") or ""
        kind, _sep, pk = value.partition(":")
        if kind == "outcome":
            return Outcome.objects.filter(mission=self.mission, pk=pk).first(), None
        if kind == "node":
            return None, TheoryOfChangeNode.objects.filter(mission=self.mission, pk=pk).first()
        return None, None


class ProgressForm(forms.Form):
    amount = _amount(
        _("How much more has been delivered?"),
        help_text=_("Since the last update, in the pledge’s unit. Enter 0 if nothing yet."),
    )
    reported_on = GovukDateField(
        label=_("Up to which date?"),
        help_text=_("For example, 31 3 2026"),
        error_messages={"required": _("Enter the date of this update")},
    )
    evidence_url = forms.URLField(
        label=_("Link to evidence (optional)"),
        help_text=_("A web page, photo or report that shows it, starting https://"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address, like https://example.org/report")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FlagForm(forms.Form):
    note = forms.CharField(
        label=_("What needs following up?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
