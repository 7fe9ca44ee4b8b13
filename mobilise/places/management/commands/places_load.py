"""``mobilise places load [--path DIR]``: load the UK's places and boundaries from ONS files."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mobilise.places import services


class Command(BaseCommand):
    help = (
        "Load the UK, its nations, English regions, counties and local authorities, with their "
        "boundaries, from ONS files; then combined authorities, ITL 1-3 (2021, 2025) and NUTS 1-3 "
        "(2013, 2016) areas from itl/, their boundaries dissolved from their members. Safe to run "
        "again: it updates in place."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            type=Path,
            default=None,
            help="Folder with ons-uk-topojson/ (topo.json, changes.csv, ltla14-lookup.csv) and "
            "optionally itl/ (ONS LAD to ITL/NUTS lookups; files it lacks come from the shipped copy). "
            "Default: MOBILISE_DATA_DIR/geo, which is the copy shipped in mobilise/data/geo.",
        )

    def handle(self, *args, **options):
        path = options["path"] or Path(settings.MOBILISE_DATA_DIR) / "geo"
        try:
            summary = services.places_load(path=path)
        except services.PlacesDataError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        for line in summary.lines():
            self.stdout.write(line)
