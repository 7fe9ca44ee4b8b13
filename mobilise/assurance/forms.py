"""Assurance forms: they parse; services validate and write."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobilise.core.dates import when
from mobilise.core.forms_fields import TimeField
from mobilise.core.forms_govuk import GovukDateField
from mobilise.missions.models import Mission

from .models import (
    PAPER_EXTENSIONS,
    RATING_MEANINGS,
    Action,
    AgendaItem,
    Council,
    CouncilMember,
    Decision,
    Meeting,
    Pack,
    Rating,
)


class AssessmentForm(forms.Form):
    outcome = forms.TypedChoiceField(
        label=_("What are you assessing?"), coerce=int, empty_value=None, required=False
    )
    rating = forms.ChoiceField(
        label=_("Delivery confidence"),
        widget=forms.RadioSelect,
        choices=[(r.value, f"{r.label} – {RATING_MEANINGS[r]}") for r in Rating],
        error_messages={"required": _("Choose a delivery confidence rating")},
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        help_text=_(
            "Say what the rating rests on: the evidence, the issues and what would change it"
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": _("Enter the rationale for the rating")},
    )
    assessed_on = GovukDateField(
        label=_("Date of assessment"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date of the assessment")},
    )

    def __init__(self, *args: Any, mission: Mission, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.outcomes = {o.pk: o for o in mission.outcomes.all()}
        self.fields["outcome"].choices = [("", _("The mission as a whole"))] + [
            (pk, o.title) for pk, o in self.outcomes.items()
        ]

    def clean_outcome(self) -> Any:
        value = self.cleaned_data.get("outcome")
        return self.outcomes.get(value) if value else None


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        help_text=_(
            "Who attended, what was discussed and agreed. Leave a blank line between paragraphs"
        ),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        max_length=50000,
    )


class PaperForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for the paper")},
    )
    file = forms.FileField(
        label=_("Upload a file"),
        help_text=_("PDF, Word, OpenDocument, Excel, PowerPoint, CSV or text, smaller than 10 MB"),
        error_messages={"required": _("Choose a file to upload")},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(PAPER_EXTENSIONS)}),
    )


class PackForm(forms.Form):
    period_start = GovukDateField(
        label=_("Period from"), error_messages={"required": _("Enter the start of the period")}
    )
    period_end = GovukDateField(
        label=_("Period to"), error_messages={"required": _("Enter the end of the period")}
    )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)


SOMEONE_ELSE = "someone-else"


class _ActionDetailsForm(forms.Form):
    """What an action says, who owns it and when it is due: recorded and corrected alike.

    Who owns it is one of the council's members in term, or someone else named."""

    text = forms.CharField(
        label=_("Action"),
        help_text=_("What the council asked to be done, as the minutes say it"),
        max_length=300,
        error_messages={"required": _("Enter the action")},
    )
    owner_member = forms.ChoiceField(
        label=_("Who will do it?"),
        help_text=_(
            "Council members with an e-mail address are reminded when it falls due and if it is late"
        ),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who will do it"),
            "invalid_choice": _("Choose a member of this council, or someone else"),
        },
    )
    owner_name = forms.CharField(
        label=_("Their name"),
        help_text=_("As the minutes name them, for example the mission team"),
        max_length=150,
        required=False,
    )
    due_date = GovukDateField(
        label=_("Due date"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date the action is due")},
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members: dict[str, CouncilMember] = {
            str(m.pk): m for m in council.members.in_term().order_by("name")
        }
        self.fields["owner_member"].choices = [
            (pk, f"{m.name}, {m.affiliation}" if m.affiliation else m.name)
            for pk, m in self.members.items()
        ] + [(SOMEONE_ELSE, _("Someone else"))]

    def clean_owner_member(self) -> CouncilMember | None:
        value = self.cleaned_data.get("owner_member")
        return self.members.get(value) if value and value != SOMEONE_ELSE else None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Said now, with any other problem, rather than on a second try (the service checks too).
        if (
            self.data.get("owner_member") == SOMEONE_ELSE
            and not (data.get("owner_name") or "").strip()
        ):
            self.add_error("owner_name", _("Enter the name of the person who will do it"))
        return data


class ActionForm(_ActionDetailsForm):
    """A new action, perhaps agreed at one of the council's meetings."""

    meeting = forms.TypedChoiceField(
        label=_("Agreed at"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, council=council, **kwargs)
        self.meetings = {m.pk: m for m in council.meetings.order_by("-starts_at")}
        self.fields["meeting"].choices = [("", _("Not at a meeting"))] + [
            (pk, f"{timezone.localtime(m.starts_at):%-d %B %Y}") for pk, m in self.meetings.items()
        ]

    def clean_meeting(self) -> Any:
        value = self.cleaned_data.get("meeting")
        return self.meetings.get(value) if value else None


class ActionEditForm(_ActionDetailsForm):
    """The secretariat's correction of an action: its words, owner and due date, and its status.

    The current owner is chosen to start with; a member whose term has ended is not offered, so
    the secretariat chooses who will do it now (``owner_left`` names them for the page)."""

    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    # The status as this page showed it: left as it was, it is not written, so a status the
    # owner changed since the page was opened stays changed.
    status_shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.update(
            text=action.text,
            due_date=action.due_date,
            status=action.status,
            status_shown=action.status,
        )
        self.owner_left: CouncilMember | None = None
        super().__init__(*args, council=action.council, **kwargs)
        if action.owner_member_id is None:
            self.initial.update(owner_member=SOMEONE_ELSE, owner_name=action.owner_name)
        elif str(action.owner_member_id) in self.members:
            self.initial["owner_member"] = str(action.owner_member_id)
        else:
            self.owner_left = action.owner_member


# --- meetings, agendas, decisions ----------------------------------------------------------------


class LinkField(forms.URLField):
    """A web address as people paste or type it: "meet.example.org/abc" gains its https://."""

    default_error_messages = {
        "invalid": _("Enter a web address, like https://meet.example.org/council")
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class MeetingForm(forms.Form):
    day = GovukDateField(
        label=_("Date"),
        help_text=_("For example, 14 3 2027"),
        error_messages={"required": _("Enter the date of the meeting")},
    )
    start_time = TimeField(
        label=_("Start time"),
        help_text=_("For example, 6pm or 18:00"),
        error_messages={"required": _("Enter the time the meeting starts")},
    )
    end_time = TimeField(
        label=_("End time (optional)"),
        help_text=_("For example, 8pm or 20:00"),
        required=False,
    )
    location = forms.CharField(
        label=_("Place"),
        help_text=_("Where it is held, for example a room and its address"),
        max_length=200,
        required=False,
    )
    link = LinkField(
        label=_("Link to join online"),
        help_text=_("For a meeting people can join online"),
        max_length=500,
        required=False,
    )

    @classmethod
    def for_meeting(cls, data: Any, meeting: Meeting) -> "MeetingForm":
        starts = timezone.localtime(meeting.starts_at)
        ends = timezone.localtime(meeting.ends_at) if meeting.ends_at else None
        return cls(
            data,
            initial={
                "day": starts.date(),
                "start_time": starts.time(),
                "end_time": ends.time() if ends else None,
                "location": meeting.location,
                "link": meeting.link,
            },
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Said now, with any other problem, rather than on a second try (the service checks too).
        if not self.errors.get("location") and not self.errors.get("link"):
            if not (data.get("location") or "").strip() and not data.get("link"):
                self.add_error(
                    "location", _("Enter where the meeting is held, a link to join it, or both")
                )
        return data


class AgendaForm(forms.Form):
    items = forms.CharField(
        label=_("Agenda items"),
        help_text=_("One item a line, in the order the meeting takes them"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=10000,
        error_messages={"required": _("Enter at least one agenda item")},
    )

    def __init__(self, *args: Any, items: list[AgendaItem], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["items"] = "\n".join(i.title for i in items)
        super().__init__(*args, **kwargs)

    def clean_items(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class DecisionForm(forms.Form):
    agenda_item = forms.ChoiceField(
        label=_("Agenda item"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the agenda item the decision was made under"),
            "invalid_choice": _("Choose an item of this meeting's agenda"),
        },
    )
    proposed_by = forms.ChoiceField(
        label=_("Proposed by"),
        error_messages={
            "required": _("Choose the council member who proposed it"),
            "invalid_choice": _("Choose a member of the council"),
        },
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        choices=Decision.Outcome.choices,
        error_messages={"required": _("Choose whether it was agreed, not agreed or deferred")},
    )
    text = forms.CharField(
        label=_("Decision"),
        help_text=_("What was proposed and decided, as the minutes will say it"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": _("Enter the decision")},
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        day = timezone.localtime(meeting.starts_at).date()
        self.items = {str(i.pk): i for i in meeting.agenda.order_by("order", "id")}
        self.members = {str(m.pk): m for m in meeting.council.members.in_term(day).order_by("name")}
        self.fields["agenda_item"].choices = [
            (pk, f"{n}. {i.title}") for n, (pk, i) in enumerate(self.items.items(), start=1)
        ]
        self.fields["proposed_by"].choices = [("", _("Choose a member"))] + [
            (pk, f"{m.name}, {m.get_role_display()}") for pk, m in self.members.items()
        ]

    def clean_agenda_item(self) -> AgendaItem | None:
        return self.items.get(self.cleaned_data.get("agenda_item") or "")

    def clean_proposed_by(self) -> CouncilMember | None:
        return self.members.get(self.cleaned_data.get("proposed_by") or "")


class PackPaperForm(forms.Form):
    meeting = forms.ChoiceField(
        label=_("Which meeting?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the meeting the pack is a paper for"),
            "invalid_choice": _("Choose one of the meetings coming up"),
        },
    )

    def __init__(self, *args: Any, pack: Pack, meetings: list[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meetings = {str(m.pk): m for m in meetings}
        self.fields["meeting"].choices = [
            (pk, f"{when(m.starts_at, weekday=True)}, {m.location or m.link}")
            for pk, m in self.meetings.items()
        ]

    def clean_meeting(self) -> Meeting | None:
        return self.meetings.get(self.cleaned_data.get("meeting") or "")
