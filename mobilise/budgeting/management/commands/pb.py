"""``mobilise pb run FILE.pb --rule mes --completion add1`` and ``mobilise pb compare FILE.pb``.

A thin wrapper: the engine's own command line (``mobilise.engines.budgeting.cli``) parses the
arguments and prints; this passes them through unchanged, so both behave the same.
"""

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mobilise.engines.budgeting import cli


class Command(BaseCommand):
    help = (
        "Count a Pabulib .pb file: 'run FILE.pb --rule {greedy,mes,phragmen}' or 'compare FILE.pb'."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        # Everything, options included, belongs to the engine's parser (call_command passes it here).
        parser.add_argument("args", nargs=argparse.REMAINDER, help="see 'mobilise pb run --help'")

    def run_from_argv(self, argv: list[str]) -> None:
        # argv is [prog, "pb", ...]: hand everything after the command name to the engine's parser,
        # which knows its own options (--rule, --json, …) and prints its own help.
        status = cli.main(argv[2:])
        if status:
            raise SystemExit(status)

    def handle(self, *args: str, **options: Any) -> None:
        # The wrappers' own streams, not Django's OutputWrapper, which would add a newline per write.
        status = cli.main(list(args), stdout=self.stdout._out, stderr=self.stderr._out)
        if status:
            raise CommandError(
                "the .pb file or the settings were not right (see above)", returncode=status
            )
