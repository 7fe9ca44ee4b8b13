"""Daily: delete or anonymise what the site no longer needs to keep about people.

mobilise retention [--dry-run]

The schedule is in mobilise/core/retention.py and on the privacy notice; docs/security.md lists
every step. Each step runs in its own transaction.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from mobilise.core.retention import run


class Command(BaseCommand):
    help = "Apply the retention schedule: delete or anonymise what is kept about people too long."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be deleted, and change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        for step, count in run(now=timezone.now(), dry_run=dry_run):
            if dry_run:
                self.stdout.write(f"Would {step.verb} {count}: {step.kind}")
            else:
                done = "Deleted" if step.verb == "delete" else f"{step.verb.capitalize()}d"
                self.stdout.write(f"{done} {count}: {step.kind}")
