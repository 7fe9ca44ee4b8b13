import pytest
from django.core.cache import cache

# The GOV.UK versions of allauth's forms, as settings.ACCOUNT_FORMS should name them.
GOVUK_ACCOUNT_FORMS = {
    "login": "mobilise.accounts.forms.LoginForm",
    "signup": "mobilise.accounts.forms.SignupForm",
    "add_email": "mobilise.accounts.forms.AddEmailForm",
    "change_password": "mobilise.accounts.forms.ChangePasswordForm",
    "set_password": "mobilise.accounts.forms.SetPasswordForm",
    "reset_password": "mobilise.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "mobilise.accounts.forms.ResetPasswordKeyForm",
    "reauthenticate": "mobilise.accounts.forms.ReauthenticateForm",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts attempts in the cache, keyed by IP; every test client is 127.0.0.1, so one
    # test's failed sign-ins would otherwise lock out the next test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def govuk_account_forms(settings):
    settings.ACCOUNT_FORMS = GOVUK_ACCOUNT_FORMS
    return GOVUK_ACCOUNT_FORMS


@pytest.fixture(params=["allauth forms", "GOV.UK forms"])
def either_account_forms(request, settings):
    """Run a test with allauth's own forms and with ours: the pages must work with both."""
    if request.param == "GOV.UK forms":
        settings.ACCOUNT_FORMS = GOVUK_ACCOUNT_FORMS
    else:
        settings.ACCOUNT_FORMS = {}
    return request.param
