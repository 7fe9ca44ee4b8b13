from django import forms
from django.utils.translation import gettext_lazy as _


class PlaceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for a local authority"),
        help_text=_("Enter a name or an ONS code, for example Lambeth or E09000022"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Search must be 100 characters or fewer")},
    )
