"""``mobilise indicators trim --source DIR``: rebuild the indicator data shipped in mobilise/data/indicators."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mobilise.indicators.importing import shipped


class Command(BaseCommand):
    help = (
        "Write the indicator data that ships with Mobilise (ONS UK SDG files gzipped, the "
        "mySociety names lookup trimmed, emissions, deprivation and population as tidy CSV) from "
        "the full sources. See mobilise/data/indicators/LICENCE.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=Path,
            required=True,
            help="Folder with ons-sdg/ and extra/ (for example /work/shared/data).",
        )
        parser.add_argument(
            "--dest",
            type=Path,
            default=shipped.SHIPPED_DIR,
            help="Default: mobilise/data/indicators.",
        )

    def handle(self, *args, **options):
        try:
            sizes = shipped.build(options["source"], options["dest"])
        except (OSError, KeyError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for name, size in sizes.items():
            self.stdout.write(f"{name}: {size:,} bytes")
        self.stdout.write(f"Total: {sum(sizes.values()):,} bytes")
