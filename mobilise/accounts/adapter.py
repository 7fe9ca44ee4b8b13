"""allauth's e-mails go through the task queue, so sign-up never waits on a slow mail server.

Sign-up with an address that already has an account does the same password-hashing work as a
new account, so the time the answer takes does not tell anyone which addresses have accounts.

Failed sign-ins are counted per account *and* address (``login_failed``: its "key" is the
account and the address together), so someone guessing from one address is stopped without
locking the real person out; a softer limit per account alone (``login_failed_account``) still
stops guessing from many addresses, as OWASP's authentication guidance recommends.
"""

import secrets
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit  # the usage objects, to roll back on success
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest

from mobilise.core.tasks import send_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            None,
        )
        send_email.enqueue(
            subject=message.subject,
            body=message.body,
            to=list(message.to),
            html=html,
            from_email=message.from_email,
        )

    def send_account_already_exists_mail(self, email: str) -> None:
        # A new account hashes its password (a quarter of a second with Argon2); hash a throwaway
        # one here so both answers take as long (issue #16: sign-up timing).
        make_password(secrets.token_urlsafe(16))
        super().send_account_already_exists_mail(email)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{self.get_client_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        account = super()._get_login_attempts_cache_key(request, **credentials)
        usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed_account", key=account
        )
        self._account_rl_usage = usage
        if not usage:
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)  # per account and address

    def _rollback_login_failed_rl_usage(self) -> None:
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_account_rl_usage", None)
        if usage:
            usage.rollback()

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        # After a password reset: forget this account's failures, from this address and overall.
        super()._delete_login_attempts_cached_email(request, **credentials)
        account = super()._get_login_attempts_cache_key(request, **credentials)
        ratelimit.clear(request, app="allauth.account", action="login_failed_account", key=account)
