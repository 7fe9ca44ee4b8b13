"""``mobilise places trim --source DIR``: rebuild the boundary files shipped in mobilise/data/geo."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mobilise.places import sources


class Command(BaseCommand):
    help = (
        "Write the trimmed copy of the ONS boundary files that ships with Mobilise "
        "(only the layers and columns `places load` reads). See mobilise/data/geo/LICENCE.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=Path,
            required=True,
            help="Folder with the full ons-uk-topojson/ files.",
        )
        parser.add_argument(
            "--dest", type=Path, default=sources.SHIPPED_GEO_DIR, help="Default: mobilise/data/geo."
        )

    def handle(self, *args, **options):
        try:
            sizes = sources.trim(options["source"], options["dest"])
        except (sources.PlacesDataError, OSError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        for name, size in sizes.items():
            self.stdout.write(f"{name}: {size:,} bytes")
