"""Forms for people, organisations and members, and GOV.UK-style versions of allauth's forms.

allauth's own forms carry placeholders (GOV.UK asks for none: they vanish as you type and are
often read as pre-filled answers), title-case labels and HTML help text. The subclasses here change
only those things; allauth keeps doing the checking. They take effect through ``ACCOUNT_FORMS``.
The account templates also cope with allauth's unmodified forms, so nothing breaks without it.
"""

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from mobilise.core.validators import SINGLE_LINE
from mobilise.places.models import Place
from mobilise.places.selectors import place_list

from .models import Membership, Organisation, User


def new_password_hint() -> str:
    """Plain-language rules for a new password, following the validators actually configured."""
    min_length = None
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            min_length = validator.min_length
    if min_length:
        return str(
            _(
                "Must be at least %(n)d characters. Do not use a common password, only numbers, or something like your email address."
            )
            % {"n": min_length}
        )
    return str(
        _("Do not use a common password, only numbers, or something like your email address.")
    )


class GovukAllauthMixin:
    """Widgets, hints and error messages the GOV.UK way for any allauth form.

    Labels are set by the templates, so the pages read the same with or without these forms.
    """

    required_messages: dict[str, Any] = {
        "login": _("Enter your email address"),
        "email": _("Enter your email address"),
        "password": _("Enter your password"),
        "oldpassword": _("Enter your current password"),
        "password1": _("Enter a new password"),
        "password2": _("Enter the new password again"),
    }
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():
            if name in self.required_messages:
                field.error_messages["required"] = self.required_messages[name]
            field.widget.attrs.pop("placeholder", None)
            if isinstance(field, forms.EmailField):
                # allauth uses a text input with type="email" in its attrs; a real EmailInput lets
                # the GOV.UK adapter set the type, autocomplete and spellcheck itself.
                field.widget = forms.EmailInput(attrs={"autocomplete": "email"})
                field.error_messages["invalid"] = _(
                    "Enter an email address in the correct format, like name@example.com"
                )
            if isinstance(field.widget, forms.PasswordInput):
                field.widget.render_value = False  # never send a password back to the browser
                # allauth's help text is HTML (a "Forgot your password?" link, or a list of
                # validator rules); the pages show the link themselves and a plain hint here.
                field.help_text = new_password_hint() if name == "password1" else ""


class LoginForm(GovukAllauthMixin, allauth_forms.LoginForm):
    pass


class SignupForm(GovukAllauthMixin, allauth_forms.SignupForm):
    """Sign-up with an optional name, so people need not fill in their account afterwards."""

    required_messages = {
        **GovukAllauthMixin.required_messages,
        "password1": _("Create a password"),
        "password2": _("Enter the password again"),
    }

    name = forms.CharField(
        label=_("Full name (optional)"),
        max_length=150,
        validators=SINGLE_LINE,
        required=False,
        help_text=_("Shown to organisations you join and on things you write"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["name", "email", "password1", "password2"]

    def custom_signup(self, request: Any, user: User) -> None:  # type: ignore[override]
        super().custom_signup(request, user)
        name = self.cleaned_data.get("name", "").strip()
        if name:
            user.name = name
            user.save(update_fields=["name"])


class AddEmailForm(GovukAllauthMixin, allauth_forms.AddEmailForm):
    required_messages = {
        **GovukAllauthMixin.required_messages,
        "email": _("Enter the email address to add"),
    }


class ChangePasswordForm(GovukAllauthMixin, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(GovukAllauthMixin, allauth_forms.SetPasswordForm):
    pass


class ResetPasswordForm(GovukAllauthMixin, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(GovukAllauthMixin, allauth_forms.ResetPasswordKeyForm):
    pass


class ReauthenticateForm(GovukAllauthMixin, allauth_forms.ReauthenticateForm):
    pass


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Place) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.get_kind_display()})"


def _place_field(label: Any, help_text: Any) -> PlaceChoiceField:
    return PlaceChoiceField(
        queryset=place_list().filter(valid_to__isnull=True).order_by("name", "code"),
        required=False,
        label=label,
        help_text=help_text,
        empty_label=_("Not set"),
    )


class ProfileForm(forms.Form):
    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        validators=SINGLE_LINE,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_place"] = _place_field(
            _("Home place"), _("The local authority area where you live")
        )


class OrganisationForm(forms.ModelForm):
    # Declared here rather than generated so that "www.example.org" is read as https, not http.
    website = forms.URLField(
        label=_("Website (optional)"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("For example, https://www.example.org.uk"),
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
        error_messages={
            "invalid": _(
                "Enter a web address in the correct format, like https://www.example.org.uk"
            )
        },
    )

    class Meta:
        model = Organisation
        fields = ["name", "sector", "registered_number", "home_place", "website", "description"]
        labels = {
            "name": _("Organisation name"),
            "registered_number": _("Registered number (optional)"),
            "description": _("What the organisation does (optional)"),
        }
        widgets = {
            "sector": forms.RadioSelect,
            "registered_number": forms.TextInput(attrs={"spellcheck": "false"}),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "name": {"required": _("Enter the organisation’s name")},
            "sector": {
                "required": _("Select the organisation’s sector"),
                "invalid_choice": _("Select the organisation’s sector"),
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [
            c for c in self.fields["sector"].choices if c[0] != ""
        ]  # radios need no "---------" option
        self.fields["home_place"] = _place_field(
            _("Home place (optional)"), _("The area where the organisation is based")
        )


class MembershipRoleField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Role"))
        kwargs.setdefault("choices", Membership.Role.choices)
        kwargs.setdefault("widget", forms.RadioSelect)
        kwargs.setdefault(
            "error_messages",
            {"required": _("Select a role"), "invalid_choice": _("Select a role")},
        )
        super().__init__(**kwargs)


class MembershipAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("They must already have an account"),
        error_messages={
            "required": _("Enter the email address of the person to add"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
        widget=forms.EmailInput,
    )
    role = MembershipRoleField(
        initial=Membership.Role.MEMBER,
        help_text=_("Admins can change the organisation’s details and manage its members"),
    )

    person: User | None = None

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        self.person = User.objects.filter(email__iexact=email, is_active=True).first()
        if self.person is None:
            raise forms.ValidationError(
                _(
                    "There is no account with that email address. Ask them to create an account first."
                )
            )
        return email


class MembershipRoleForm(forms.Form):
    role = MembershipRoleField(
        help_text=_("Admins can change the organisation’s details and manage its members"),
    )


class AccountDeleteForm(forms.Form):
    """Deleting an account cannot be undone: the person types their e-mail address to confirm."""

    email = forms.CharField(
        label=_("Type your email address to confirm"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Enter your email address to confirm")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() != self.user.email.lower():
            raise forms.ValidationError(
                _("Enter the email address you sign in with, %(email)s")
                % {"email": self.user.email}
            )
        return email
