"""``mobilise evaluate synth|did ...``: the evaluation engine's command line.

A thin wrapper: the engine's own command line (``mobilise.engines.evaluation.cli``) parses the
arguments and prints; this passes them through unchanged, so both behave the same.
"""

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mobilise.engines.evaluation import cli


class Command(BaseCommand):
    help = "Evaluate a pilot from a CSV panel: 'synth ...' or 'did ...' (see 'evaluate --help')."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs=argparse.REMAINDER, help="see 'mobilise evaluate --help'")

    def run_from_argv(self, argv: list[str]) -> None:
        status = cli.main(argv[2:])
        if status:
            raise SystemExit(status)

    def handle(self, *args: str, **options: Any) -> None:
        status = cli.main(list(args), stdout=self.stdout._out, stderr=self.stderr._out)
        if status:
            raise CommandError(
                "the data or the settings were not right (see above)", returncode=status
            )
