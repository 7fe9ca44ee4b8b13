"""Forms for asking to join and deciding."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class JoinForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the organisation that wants to join"),
            "invalid_choice": _("Choose an organisation you are an admin of"),
        },
    )
    statement = forms.CharField(
        label=_("What will your organisation bring?"),
        help_text=_(
            "For example, volunteers, premises, skills, data or introductions to others. 1,000 characters at most."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Say what your organisation will bring"),
            "max_length": _("Keep it to 1,000 characters or fewer"),
        },
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.initial.setdefault("organisation", organisations.get().pk)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept: welcome them to the coalition")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to accept or decline")},
    )
    note = forms.CharField(
        label=_("Message to the organisation (optional)"),
        help_text=_("If you decline, say why, so they can ask again when things change."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Keep it to 1,000 characters or fewer")},
    )
