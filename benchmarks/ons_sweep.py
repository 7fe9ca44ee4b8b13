"""Does every ONS Open SDG indicator in a folder import, with every place resolved?

    python benchmarks/ons_sweep.py ../shared/data/ons-sdg [--database sqlite:////tmp/sweep.db]

Builds a fresh database (SQLite in a temporary folder unless ``--database`` is given), loads the
places Mobilise ships (every level: the UK, nations, regions, local authorities, combined
authorities, ITL 1-3 of 2021 and 2025, NUTS 1-3 of 2013 and 2016), then imports each
``data/indicator_*.csv`` with its ``meta/*.md`` exactly as ``mobilise indicators import`` would,
with no ``--skip-*`` flag. For each file it prints the rows read and imported, how many places
at each level the rows went to, and its problems by kind (errors stop a file; warnings are rows
skipped for a stated reason, such as Great Britain, which is not a place Mobilise holds).

Exit status 1 when any file has an error or an unresolved place, so the sweep can run on the
indicators kept back for checking as well as on the shared ones.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

LEVELS = {
    "uk": "UK",
    "nation": "nation",
    "region": "region",
    "county": "LA",
    "unitary": "LA",
    "district": "LA",
    "combined": "CA",
    "itl1": "ITL",
    "itl2": "ITL",
    "itl3": "ITL",
    "nuts1": "NUTS",
    "nuts2": "NUTS",
    "nuts3": "NUTS",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", type=Path, help="an Open SDG folder with data/ and meta/")
    parser.add_argument("--database", help="DATABASE_URL (default: a new SQLite file)")
    args = parser.parse_args()
    files = sorted((args.folder / "data").glob("indicator_*.csv"))
    if not files:
        print(f"{args.folder}: no data/indicator_*.csv files", file=sys.stderr)
        return 2
    tmp = tempfile.TemporaryDirectory()
    os.environ["DATABASE_URL"] = args.database or f"sqlite:///{tmp.name}/sweep.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobilise.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    from mobilise.indicators.importing import import_path
    from mobilise.indicators.models import Observation
    from mobilise.places import services as places_services
    from mobilise.places.sources import SHIPPED_GEO_DIR

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    places_services.places_load(path=SHIPPED_GEO_DIR)
    print(f"places loaded in {time.perf_counter() - started:.1f} s", flush=True)
    print(
        f"{'file':28s} {'rows':>7s} {'imported':>8s}  places by level"
        f"{'':24s} problems (errors E, warnings W)"
    )
    failed = 0
    totals: Counter = Counter()
    for path in files:
        t0 = time.perf_counter()
        report = import_path(path, create_indicators=True)
        seconds = time.perf_counter() - t0
        code = path.stem.removeprefix("indicator_")
        by_level: Counter = Counter()
        for kind in (
            Observation.objects.filter(series__indicator__code=code)
            .values_list("place__kind", "place_id")
            .distinct()
        ):
            by_level[LEVELS.get(kind[0], kind[0])] += 1
        levels = ", ".join(f"{n} {lvl}" for lvl, n in sorted(by_level.items())) or "—"
        by_kind: Counter = Counter()
        for p in report.problems:
            by_kind[("E" if p.severity == "error" else "W", str(p.kind))] += p.count
        problems = ", ".join(f"{sev} {kind}: {n} rows" for (sev, kind), n in by_kind.items())
        unresolved = [p for p in report.problems if str(p.kind) == "unknown_place"]
        if not report.ok or unresolved:
            failed += 1
        imported = report.created + report.updated + report.unchanged
        totals.update(rows=report.rows_read, imported=imported, **by_level)
        print(
            f"{path.name:28s} {report.rows_read:7d} {imported:8d}  {levels:38s} "
            f"{problems or 'none'} ({seconds:.1f} s)",
            flush=True,
        )
    print(
        f"{len(files)} files, {totals['rows']:,} rows read, {totals['imported']:,} imported; "
        f"{failed} with errors or unresolved places"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
