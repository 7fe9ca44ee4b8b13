"""allauth's e-mails go through the task queue, so sign-up never waits on a slow mail server.

Sign-up with an address that already has an account does the same password-hashing work as a
new account, so the time the answer takes does not tell anyone which addresses have accounts.
"""

import secrets
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.hashers import make_password

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
