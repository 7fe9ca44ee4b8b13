"""Do the shipped boundaries give the same places as the full shared ONS set?

    .venv/bin/python benchmarks/places_shared.py [DATA_DIR]

Builds a throwaway SQLite database, loads the places shipped in ``mobilise/data/geo``, then loads
``DATA_DIR/geo`` (default ``../shared/data``) over them and prints what changed: "0 created,
0 updated" means the trimmed data the product ships loses nothing. This lives here rather than in
``make test`` because a fresh machine has no shared data.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", nargs="?", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args(argv)
    full = Path(args.data_dir) / "geo"
    if not full.is_dir():
        print(f"No boundaries at {full}: pass the shared data folder.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/places.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobilise.settings.test")
        import django

        django.setup()
        from django.core.management import call_command

        from mobilise.places import services
        from mobilise.places.sources import SHIPPED_GEO_DIR

        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        shipped = services.places_load(path=SHIPPED_GEO_DIR)
        print(f"shipped: {shipped.created} places created in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        again = services.places_load(path=full)
        print(
            f"full set over it: {again.created} created, {again.updated} updated "
            f"in {time.perf_counter() - started:.1f} s"
        )
        return 0 if (again.created, again.updated) == (0, 0) else 1


if __name__ == "__main__":
    sys.exit(main())
