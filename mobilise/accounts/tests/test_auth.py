"""Signing up, confirming, signing in and out, and resetting passwords: allauth behind GOV.UK pages."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from mobilise.accounts.models import Role, User, UserRole

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum tractor lantern 42"


def _link_in(message) -> str:
    match = re.search(r"https?://testserver(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def _sign_in(client, email, password=PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password, **extra})


def _is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


# ---- sign up and confirm ---------------------------------------------------------------------


def test_sign_up_sends_a_confirmation_link_that_lets_the_person_sign_in(
    client, either_account_forms
):
    response = client.post(
        reverse("account_signup"),
        {"email": "New.Person@Example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not _is_signed_in(client)
    sent_page = client.get(response["Location"])
    assert "Check your email" in sent_page.content.decode()

    user = User.objects.get(email="new.person@example.org")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert "Confirm your email address" in message.subject

    # The link opens a confirmation page (GET changes nothing), whose button confirms.
    link = _link_in(message)
    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Confirm your email address" in html
    assert "new.person@example.org" in html
    assert not EmailAddress.objects.get(user=user).verified

    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    response = _sign_in(client, "new.person@example.org", NEW_PASSWORD)
    assert response.status_code == 302
    assert _is_signed_in(client)


def test_sign_up_makes_the_person_a_resident(client):
    client.post(
        reverse("account_signup"),
        {"email": "resident@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    user = User.objects.get(email="resident@example.org")
    assert list(UserRole.objects.filter(user=user).values_list("role", flat=True)) == [
        Role.RESIDENT
    ]


def test_sign_up_can_take_a_name(client, govuk_account_forms):
    page = client.get(reverse("account_signup")).content.decode()
    assert 'autocomplete="name"' in page
    client.post(
        reverse("account_signup"),
        {
            "name": "  Siân O'Brien ",
            "email": "sian@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert User.objects.get(email="sian@example.org").name == "Siân O'Brien"


def test_sign_up_with_an_existing_address_does_not_say_so(client):
    # allauth's enumeration protection: the same "check your email" answer, and an email to the owner.
    UserFactory(email="taken@example.org")
    response = client.post(
        reverse("account_signup"),
        {"email": "taken@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert "You already have an account" in mail.outbox[0].subject


def test_invalid_sign_up_shows_the_error_summary_and_saves_nothing(client, either_account_forms):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-email", "password1": "short", "password2": "different"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert _title(html).startswith("Error:")
    assert "govuk-error-summary" in html
    assert 'href="#id_email"' in html
    assert 'href="#id_password1"' in html
    assert not User.objects.exists()
    assert 'value="short"' not in html and 'value="different"' not in html


def test_a_bad_confirmation_link_gets_a_helpful_page(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))
    assert response.status_code == 200
    assert "This link has expired or is not valid" in response.content.decode()


# ---- sign in ---------------------------------------------------------------------------------


def test_an_unconfirmed_person_cannot_sign_in_and_is_sent_a_new_link(client):
    UserFactory(email="unconfirmed@example.org", email_verified=False)
    response = _sign_in(client, "unconfirmed@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not _is_signed_in(client)
    assert len(mail.outbox) == 1
    assert "/account/confirm-email/" in mail.outbox[0].body


def test_a_confirmed_person_signs_in_and_sees_a_notice(client):
    UserFactory(email="someone@example.org", name="Sam O'Neill")
    response = _sign_in(client, "someone@example.org")
    assert response.status_code == 302
    assert _is_signed_in(client)
    html = client.get(response["Location"]).content.decode()
    # The name is escaped exactly once: allauth's message text is plain, the banner escapes it.
    assert "You are signed in as Sam O&#39;Neill" in html
    assert "&amp;#" not in html


def test_a_wrong_password_shows_the_error_summary(client, either_account_forms):
    UserFactory(email="someone@example.org")
    response = _sign_in(client, "someone@example.org", "not the password")
    assert response.status_code == 200
    html = response.content.decode()
    assert _title(html) == "Error: Sign in – Mobilise"
    assert 'class="govuk-error-summary"' in html
    assert "There is a problem" in html
    assert "not correct" in html
    assert not _is_signed_in(client)
    assert "not the password" not in html  # the password is never sent back
    assert 'value="someone@example.org"' in html  # but the address is, so it need not be retyped


def test_an_empty_sign_in_links_each_error_to_its_field(client, govuk_account_forms):
    html = client.post(reverse("account_login"), {"login": "", "password": ""}).content.decode()
    assert '<a href="#id_login">Enter your email address</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html


def test_sign_in_fields_are_labelled_and_autocomplete_correctly(client, either_account_forms):
    html = client.get(reverse("account_login")).content.decode()
    login_input = re.search(r'<input[^>]*id="id_login"[^>]*>', html).group(0)
    password_input = re.search(r'<input[^>]*id="id_password"[^>]*>', html).group(0)
    assert 'type="email"' in login_input and 'autocomplete="email"' in login_input
    assert login_input.count("type=") == 1
    assert "placeholder" not in html
    assert (
        'type="password"' in password_input and 'autocomplete="current-password"' in password_input
    )
    assert "value=" not in password_input
    assert '<label class="govuk-label govuk-label--s" for="id_login">' in html
    assert "Email address" in html

    signup = client.get(reverse("account_signup")).content.decode()
    for name in ("id_password1", "id_password2"):
        field = re.search(rf'<input[^>]*id="{name}"[^>]*>', signup).group(0)
        assert 'autocomplete="new-password"' in field


def test_the_next_address_survives_sign_in(client):
    UserFactory(email="someone@example.org")
    page = client.get(reverse("account_login") + "?next=/organisations/")
    assert 'name="next" value="/organisations/"' in page.content.decode()
    response = _sign_in(client, "someone@example.org", next="/organisations/")
    assert response["Location"] == "/organisations/"


def test_repeated_failed_sign_ins_to_one_account_are_refused(client):
    # ACCOUNT_RATE_LIMITS["login_failed"]: 5 failures per account in 5 minutes, then even the right
    # password is refused for a while, and the page says so in the error summary.
    UserFactory(email="target@example.org")
    for _ in range(5):
        _sign_in(client, "target@example.org", "guess")
    response = _sign_in(client, "target@example.org")
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Too many failed login attempts" in html
    assert not _is_signed_in(client)


def test_too_many_sign_in_attempts_get_the_govuk_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    for _ in range(3):
        assert _sign_in(client, "someone@example.org", "guess").status_code == 200
    response = _sign_in(client, "someone@example.org", "guess")
    assert response.status_code == 429
    html = response.content.decode()
    assert _title(html) == "Too many attempts – Mobilise"
    assert 'class="govuk-template' in html
    assert "wait a few minutes" in html
    assert "Accessibility statement" in html  # the full layout, not allauth's bare fallback


# ---- sign out --------------------------------------------------------------------------------


def test_sign_out_asks_first_and_needs_a_post(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("account_logout"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sign out" in html and 'method="post"' in html
    assert _is_signed_in(client)  # a GET (say, a link on another site) does not sign anyone out

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not _is_signed_in(client)


# ---- passwords -------------------------------------------------------------------------------


def test_password_reset_from_request_to_signing_in_with_the_new_password(
    client, either_account_forms
):
    UserFactory(email="forgetful@example.org")
    page = client.get(reverse("account_reset_password"))
    assert "Reset your password" in page.content.decode()

    response = client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"})
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    assert "Check your email" in done
    assert len(mail.outbox) == 1 and "Reset your password" in mail.outbox[0].subject

    # allauth moves the key from the URL into the session, then shows the form.
    key_page = client.get(_link_in(mail.outbox[0]), follow=True)
    html = key_page.content.decode()
    assert "Choose a new password" in html
    form_action = re.search(r'<form method="post" action="([^"]+)"', html).group(1)

    mismatch = client.post(
        form_action, {"password1": NEW_PASSWORD, "password2": "other words here"}
    )
    assert "govuk-error-summary" in mismatch.content.decode()

    response = client.post(form_action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Your password has been changed" in client.get(response["Location"]).content.decode()
    assert _sign_in(client, "forgetful@example.org", NEW_PASSWORD).status_code == 302
    assert _is_signed_in(client)


def test_password_reset_for_an_unknown_address_looks_the_same(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


def test_a_used_reset_link_says_so(client):
    response = client.get(
        reverse("account_reset_password_from_key", args=["x", "bad-key"]), follow=True
    )
    assert "This link has expired or is not valid" in response.content.decode()


def test_changing_a_password(client, either_account_forms):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("account_change_password")).content.decode()
    assert 'autocomplete="current-password"' in page and 'autocomplete="new-password"' in page

    wrong = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert _title(wrong.content.decode()).startswith("Error:")

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_setting_a_password_when_there_is_none(client):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    assert client.get(reverse("account_change_password")).status_code == 302  # sent to "set"
    page = client.get(reverse("account_set_password"))
    assert "Set a password" in page.content.decode()
    client.post(
        reverse("account_set_password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


# ---- e-mail addresses ------------------------------------------------------------------------


def test_managing_email_addresses(client, either_account_forms):
    user = UserFactory(email="first@example.org")
    client.force_login(user)
    page = client.get(reverse("account_email")).content.decode()
    assert "first@example.org" in page and "Primary" in page and "Confirmed" in page

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "second@example.org"}
    )
    assert response.status_code == 302
    assert EmailAddress.objects.filter(
        user=user, email="second@example.org", verified=False
    ).exists()
    assert "Confirm your email address" in mail.outbox[0].subject

    bad = client.post(reverse("account_email"), {"action_add": "", "email": "nope"})
    assert "govuk-error-summary" in bad.content.decode()


# ---- every page ------------------------------------------------------------------------------

ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
    "account_inactive",
]
SIGNED_IN_PAGES = [
    "account_logout",
    "account_change_password",
    "account_email",
    "account_reauthenticate",
]


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_signed_out_pages_use_the_govuk_layout(client, either_account_forms, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-template' in html
    assert html.count("<h1") == 1
    assert "placeholder" not in html
    assert "<script>" not in html  # no inline script (CSP): allauth's own templates have some


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_pages_use_the_govuk_layout(client, either_account_forms, name):
    client.force_login(UserFactory())
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-template' in html
    assert html.count("<h1") == 1
    assert "placeholder" not in html
    assert "<script>" not in html


def test_sign_up_does_the_same_hashing_work_for_a_new_and_an_existing_address(
    client, either_account_forms, monkeypatch
):
    # Issue #16, defect 5: a new address cost a password hash (270 ms) and an existing one did
    # not (10 ms), which told anyone whether an address has an account. Both must hash once.
    from django.contrib.auth.hashers import get_hasher

    hasher = type(get_hasher())
    calls = []
    encode = hasher.encode
    monkeypatch.setattr(
        hasher, "encode", lambda self, *a, **k: calls.append(1) or encode(self, *a, **k)
    )
    UserFactory(email="taken@example.org")
    hashed = []
    for email in ("new@example.org", "taken@example.org"):
        calls.clear()
        response = client.post(
            reverse("account_signup"),
            {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("account_email_verification_sent")
        hashed.append(len(calls))
    assert hashed[0] >= 1 and hashed[0] == hashed[1], hashed


def test_an_attacker_cannot_lock_someone_else_out(client):
    # Issue #16, defect 6: failures count per account *and* address; one address guessing wrong
    # is stopped, and the real person, elsewhere, still signs in.
    from django.test import Client

    UserFactory(email="victim@example.org")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(8):
        _sign_in(attacker, "victim@example.org", "guess")
    response = _sign_in(attacker, "victim@example.org")
    assert "Too many failed login attempts" in response.content.decode()
    assert not _is_signed_in(attacker)
    victim = Client(REMOTE_ADDR="198.51.100.7")
    _sign_in(victim, "victim@example.org")
    assert _is_signed_in(victim)


def test_many_addresses_guessing_one_account_are_stopped_by_a_softer_account_limit(settings):
    # The per-account limit (login_failed_account) still stops a guessing network.
    from django.test import Client

    UserFactory(email="target@example.org")
    limit = int(settings.ACCOUNT_RATE_LIMITS["login_failed_account"].split("/")[0])
    for n in range(limit):
        _sign_in(Client(REMOTE_ADDR=f"203.0.113.{n % 250}"), "target@example.org", "guess")
    someone = Client(REMOTE_ADDR="198.51.100.7")
    response = _sign_in(someone, "target@example.org")
    assert "Too many failed login attempts" in response.content.decode()
