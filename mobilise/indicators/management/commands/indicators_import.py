"""``mobilise indicators import PATH [--meta META]``: check and import indicator data.

PATH is one CSV (or ``.csv.gz``), in Open SDG or tidy form, or a folder of them (Open SDG's
``data/indicator_<id>.csv`` + ``meta/<id>.md``, and tidy CSVs with a ``.yaml`` next to them).
The whole import is checked first; on any error the report is printed, nothing is written and
the command exits with status 2. Problems are grouped by cause and value, with the rows
of each ("rows 10–17, 20"), so a file with one misspelt name on 500 rows reads as one line.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mobilise.indicators import importing


class Command(BaseCommand):
    help = (
        "Import indicator observations from an Open SDG CSV (with its metadata), a tidy CSV "
        "(indicator, geocode, period, value, …) or a folder of them. Everything is checked "
        "first and nothing is written if there is any error. Safe to run again: unchanged rows "
        "are left alone and corrected values are updated in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A .csv or .csv.gz file, or a folder.")
        parser.add_argument(
            "--meta",
            type=Path,
            default=None,
            help="Metadata for a single file: Open SDG front matter (.md) or tidy YAML (.yaml). "
            "Default: meta/<id>.md for Open SDG files, <name>.yaml next to a tidy CSV.",
        )
        parser.add_argument(
            "--format", choices=importing.FORMATS, default=importing.AUTO, help="Default: auto."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but write nothing."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Treat the data as the whole of each indicator it names: delete stored values "
            "of those indicators that it no longer contains (in the same transaction).",
        )
        parser.add_argument(
            "--skip-conflicting-duplicates",
            action="store_true",
            help="Skip (with a warning) every row of a key that appears with different values, "
            "instead of stopping. Open SDG files (a publisher's statistics) are always read this "
            "way; the flag extends it to tidy CSV files.",
        )
        parser.add_argument(
            "--skip-unresolved-names",
            action="store_true",
            help="Skip (with a warning) Open SDG rows whose place name matches no place, "
            "instead of stopping.",
        )
        parser.add_argument(
            "--create-indicators",
            action="store_true",
            help="Create indicators that a tidy CSV names but no metadata describes "
            "(their code becomes their title).",
        )
        additive = parser.add_mutually_exclusive_group()
        additive.add_argument(
            "--additive",
            action="store_true",
            default=None,
            help="The indicators in the data are counts or totals (people, tonnes, £) that can "
            "be added up: ITL areas and combined authorities then show the sum of their local "
            "authorities' figures, marked as derived. Default: worked out from the unit.",
        )
        additive.add_argument(
            "--not-additive",
            action="store_false",
            dest="additive",
            help="The indicators in the data must never be added up across places.",
        )
        parser.add_argument(
            "--max-problems", type=int, default=200, help="Problems to print (default 200)."
        )

    def handle(self, *args, **options):
        report = importing.import_path(
            options["path"],
            meta=options["meta"],
            format=options["format"],
            dry_run=options["dry_run"],
            duplicates="skip" if options["skip_conflicting_duplicates"] else "auto",
            unresolved_names="warning" if options["skip_unresolved_names"] else "error",
            create_indicators=options["create_indicators"],
            replace=options["replace"],
            additive=options["additive"],
        )
        lines = report.lines(max_problems=options["max_problems"])
        if not report.ok:
            for line in lines[1:]:
                self.stderr.write(line)
            raise CommandError(lines[0], returncode=2)
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(f"({report.seconds:.1f} s)")
