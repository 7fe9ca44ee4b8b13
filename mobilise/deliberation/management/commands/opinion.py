"""``mobilise opinion analyse DIR [--json] [--seed N] [--write OUT]``: the opinion engine's command
line (``mobilise.engines.opinion.cli``) as a management command, so the ``mobilise`` console
script runs it. Everything after ``opinion`` goes to the engine's own argument parser."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Opinion groups, representative statements and consensus for a Pol.is export folder."

    def run_from_argv(self, argv: list[str]) -> None:
        # Django's own parser would reject the engine's sub-commands and options: hand them over.
        from mobilise.engines.opinion.cli import main

        code = main(argv[2:])
        if code:
            raise SystemExit(code)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("args", nargs="*")

    def handle(self, *args: str, **options: Any) -> None:
        # Reached through call_command("opinion", "analyse", DIR, "--json").
        from mobilise.engines.opinion.cli import main

        code = main(list(args))
        if code:
            raise CommandError(f"mobilise opinion exited with status {code}")
