"""Daily: meeting digests to council members and reminders to action owners (never twice).

mobilise assurance_reminders --base-url https://missions.example.gov.uk
"""

from typing import Any

from django.core.management.base import BaseCommand

from mobilise.assurance.notifications import send_all


class Command(BaseCommand):
    help = "Send mission council digests before meetings and reminders to action owners."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--base-url", default="", help="Where the site is, for links in the e-mails"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_all(base_url=options["base_url"].rstrip("/"))
        self.stdout.write(f"Sent {sent.digests} digests and {sent.reminders} action reminders.")
