"""Forms for budget rounds. They parse what people typed; the services decide what is allowed."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mobilise.core.forms_fields import AmountField, WholeNumberField
from mobilise.core.forms_govuk import GovukDateField
from mobilise.core.validators import SINGLE_LINE

from .models import BallotType, BudgetRound, DeliveryStatus, Phase, Project
from .services import LOCKED_ONCE_VOTING_OPENS, money, settings_locked
from .timetable import round_dates

# The follow-up question each ballot type asks, shown under its option (GOV.UK conditional reveal).
FOLLOW_UPS = {BallotType.K_APPROVAL.value: "max_choices", BallotType.CUMULATIVE.value: "points"}


class RoundForm(forms.ModelForm):
    place = forms.ModelChoiceField(queryset=None, label=_("Place"), empty_label=None)
    budget = AmountField(
        label=_("Budget in pounds"),
        min_value=None,  # the service says plainly that a budget must be more than 0
        required_message=_("Enter the budget"),
        invalid=_("Enter the budget in pounds, like £50,000"),
    )
    max_choices = WholeNumberField(
        label=_("Most projects a voter may choose"),
        required=False,
        min_value=1,
        invalid=_("Enter the number of projects as a whole number, like 3"),
        error_messages={"min_value": _("Let each voter choose at least 1 project")},
    )
    points = WholeNumberField(
        label=_("Points each voter shares out"),
        required=False,
        min_value=1,
        invalid=_("Enter the points as a whole number, like 100"),
        error_messages={"min_value": _("Give each voter at least 1 point")},
    )
    ideas_close_on = GovukDateField(label=_("Ideas close"), required=False)
    voting_opens_on = GovukDateField(label=_("Voting opens"), required=False)
    voting_closes_on = GovukDateField(label=_("Voting closes"), required=False)

    class Meta:
        model = BudgetRound
        fields = [
            "title",
            "description",
            "place",
            "budget",
            "unspent_note",
            "ballot_type",
            "max_choices",
            "points",
            "rule",
            "completion",
            "postcode_districts",
            "allow_voter_codes",
            "ideas_close_on",
            "voting_opens_on",
            "voting_closes_on",
        ]
        widgets = {
            "unspent_note": forms.Textarea(attrs={"rows": 2}),
            "ballot_type": forms.RadioSelect,
            "rule": forms.RadioSelect,
            "completion": forms.RadioSelect,
        }
        labels = {"unspent_note": _("What happens to money not spent (optional)")}
        error_messages = {
            "title": {"required": _("Enter a title for the round")},
            "unspent_note": {"max_length": _("Keep this to 500 characters or fewer")},
        }

    follow_ups = FOLLOW_UPS

    def __init__(self, *args: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        chosen = cleaned.get("ballot_type")
        for ballot_type, name in FOLLOW_UPS.items():
            if ballot_type != chosen:
                # The question belongs to another ballot, hidden on screen: what is in it is not
                # an answer, so it can neither be saved nor raise an error nobody can see.
                self.errors.pop(name, None)
                cleaned[name] = None
        return cleaned


class RoundEditForm(RoundForm):
    """The round form for changing a round. Once voting has opened the ballot settings are shown
    but disabled: Django then ignores whatever is posted for them and keeps the round's values."""

    def __init__(self, *args: Any, round_: BudgetRound, places: Any, **kwargs: Any) -> None:
        initial = forms.model_to_dict(round_, fields=self._meta.fields)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, places=places, **kwargs)
        # A place since taken off the mission still shows as the round's own, and still validates.
        self.fields["place"].queryset = (
            places.model.objects.filter(Q(pk__in=places.values("pk")) | Q(pk=round_.place_id))
            .defer("boundary")
            .order_by("name")
        )
        self.currency = round_.currency
        if round_.currency != "GBP":  # rounds loaded from other countries' data sets
            self.fields["budget"].prefix = None
            self.fields["budget"].error_messages["invalid"] = _(
                "Enter the budget as a number, like 50,000"
            )
            self.fields["budget"].label = _("Budget in %(currency)s") % {
                "currency": round_.currency
            }
        self.locked = settings_locked(round_)
        if self.locked:
            # Say why as the timetable has it: moved to voting but not open yet, open, or closed.
            dates = round_dates(round_)
            if dates.voting_not_yet_open:
                why = _("Fixed because the round has moved to voting.")
            elif round_.phase in (Phase.RESULTS, Phase.DELIVERY) or dates.voting_closed:
                why = _("Fixed because voting has closed.")
            else:
                why = _("Fixed because voting has opened.")
            for name in LOCKED_ONCE_VOTING_OPENS:
                self.fields[name].disabled = True
                self.fields[name].help_text = why


class ProposeForm(forms.Form):
    title = forms.CharField(
        label=_("Name your idea"),
        max_length=300,
        validators=SINGLE_LINE,
        error_messages={"required": _("Enter a name for your idea")},
    )
    description = forms.CharField(
        label=_("Describe your idea"),
        help_text=_("What would change, where, and who would it help?"),
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": _("Describe your idea")},
    )
    category = forms.CharField(
        label=_("Category (optional)"),
        help_text=_("For example: green spaces, streets, young people."),
        max_length=100,
        required=False,
    )


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Can the council deliver it?"),
        choices=[
            (Project.Status.FEASIBLE, _("Yes: put it on the ballot")),
            (Project.Status.REJECTED, _("No: leave it off the ballot")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the idea goes on the ballot")},
    )
    cost = AmountField(
        label=_("Cost"),
        help_text=_("What the council would spend, in the round's currency."),
        required=False,
        min_value=Decimal(0),
        invalid=_("Enter the cost in pounds, like £8,000"),
        error_messages={"min_value": _("The cost cannot be less than £0")},
    )
    reason = forms.CharField(
        label=_("Reason (published)"),
        help_text=_("Needed when the idea is left off: residents will read it."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, currency: str = "GBP", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if currency != "GBP":  # rounds loaded from other countries' data sets
            self.fields["cost"].prefix = None
            self.fields["cost"].error_messages["invalid"] = _(
                "Enter the cost as a number, like 8,000"
            )


class EligibilityForm(forms.Form):
    district = forms.CharField(
        label=_("Your postcode"),
        help_text=_("For example, NW5 1TL. Only its first half (NW5) is kept."),
        max_length=12,
        error_messages={"max_length": _("Enter a real postcode, like NW5 1TL")},
        required=False,
    )
    code = forms.CharField(
        label=_("Voter code (if you were given one)"),
        help_text=_("Paper and in-person voters get a code like ABCDE-23456."),
        max_length=20,
        required=False,
    )

    def __init__(self, *args: Any, round_: BudgetRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not round_.districts:
            del self.fields["district"]
        if not round_.allow_voter_codes:
            del self.fields["code"]


class BallotForm(forms.Form):
    """Checkboxes for approval ballots; a points box per project for cumulative ones."""

    def __init__(
        self, *args: Any, round_: BudgetRound, projects: list[Project], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.round = round_
        self.projects = projects
        self.cumulative = round_.ballot_type == BallotType.CUMULATIVE
        if self.cumulative:
            for p in projects:
                self.fields[f"points_{p.pk}"] = WholeNumberField(
                    label=p.title,
                    required=False,
                    min_value=0,
                    max_value=round_.points,
                    error_messages={
                        "invalid": _("Enter points for %(project)s as a whole number")
                        % {"project": p.title},
                        "min_value": _("Points cannot be below 0"),
                        "max_value": _("You have %(points)s points in all")
                        % {"points": round_.points},
                    },
                )
        else:
            self.fields["choices"] = forms.MultipleChoiceField(
                label=_("Choose projects"),
                choices=[(str(p.pk), p.title) for p in projects],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def choices(self) -> dict[int, int]:
        if self.cumulative:
            return {
                p.pk: self.cleaned_data.get(f"points_{p.pk}") or 0
                for p in self.projects
                if self.cleaned_data.get(f"points_{p.pk}")
            }
        return {int(pk): 1 for pk in self.cleaned_data.get("choices", [])}

    def checkbox_params(self) -> dict[str, Any]:
        """The govukCheckboxes parameters, with each project's cost and summary as its hint."""
        bf = self["choices"]
        chosen = {str(v) for v in (bf.value() or [])}
        return {
            "idPrefix": bf.auto_id,
            "name": bf.html_name,
            "fieldset": {
                "legend": {
                    "text": str(_("Choose projects")),
                    "classes": "govuk-fieldset__legend--m",
                }
            },
            "errorMessage": {"text": " ".join(str(e) for e in bf.errors)} if bf.errors else None,
            "items": [
                {
                    "value": str(p.pk),
                    "text": f"{p.title} – {money(p.cost, self.round.currency)}",
                    "hint": {"text": p.description[:300]} if p.description else None,
                    "checked": str(p.pk) in chosen,
                }
                for p in self.projects
            ],
        }


class VoterCodesForm(forms.Form):
    count = WholeNumberField(
        label=_("How many codes?"),
        min_value=1,
        max_value=1000,
        error_messages={
            "required": _("Enter how many codes to issue"),
            "min_value": _("Issue at least 1 code"),
            "max_value": _("Issue up to 1,000 codes at a time"),
        },
    )


class DeliveryForm(forms.Form):
    """A lead's dated update on a funded project, and its planned and actual dates."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=DeliveryStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the project's status")},
    )
    progress = WholeNumberField(
        label=_("Progress"),
        help_text=_("How much of the project is done, from 0 to 100."),
        percent=True,
        min_value=0,
        max_value=100,
        required_message=_("Enter the progress, from 0 to 100"),
        invalid=_("Enter the progress as a whole number from 0 to 100, like 40"),
        error_messages={
            "min_value": _("Progress must be between 0 and 100"),
            "max_value": _("Progress must be between 0 and 100"),
        },
    )
    spent = AmountField(
        label=_("Spent so far (optional)"),
        help_text=_("Everything spent on the project to date, not just since the last update."),
        required=False,
        invalid=_("Enter the amount spent in pounds, like £8,000"),
    )
    note = forms.CharField(
        label=_("What has happened since the last update?"),
        help_text=_("Residents read this on the project's page and in their e-mail."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={
            "required": _("Say what has happened since the last update"),
            "max_length": _("Keep the update to 2,000 characters or fewer"),
        },
    )
    photo = forms.ImageField(
        label=_("Photo (optional)"),
        help_text=_("A JPEG or PNG photo of the work, smaller than 10 MB."),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
        error_messages={
            "invalid_image": _("The photo must be a JPEG or PNG image"),
            "invalid_extension": _("The photo must be a JPEG or PNG image"),
        },
        validators=[FileExtensionValidator(["jpg", "jpeg", "png"])],
    )
    photo_alt = forms.CharField(
        label=_("Describe the photo (needed with a photo)"),
        help_text=_("For people who cannot see it, like ‘New trees planted along Malden Road’."),
        max_length=300,
        required=False,
    )
    planned_start = GovukDateField(label=_("Planned start"), required=False)
    planned_end = GovukDateField(label=_("Planned finish"), required=False)
    actual_start = GovukDateField(label=_("Actual start"), required=False)
    actual_end = GovukDateField(label=_("Actual finish"), required=False)

    def __init__(self, *args: Any, currency: str = "GBP", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if currency != "GBP":
            self.fields["spent"].prefix = None
            self.fields["spent"].label = _("Spent so far, in %(currency)s (optional)") % {
                "currency": currency
            }
            self.fields["spent"].error_messages["invalid"] = _(
                "Enter the amount spent as a number, like 8,000"
            )


class FollowForm(forms.Form):
    follow = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")], coerce=lambda v: v == "yes", initial="yes"
    )
