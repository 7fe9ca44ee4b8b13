"""Indicators at national scale: import throughput, page server times and peak memory.

Builds a synthetic data set in a fresh database (a temporary SQLite file, or PostgreSQL): 400
places (the UK, 4 nations, 9 English regions and 386 local authorities with square boundaries
tiling a map), 200 indicators x 25 years x 400 places = 2,000,000 observations, loaded through
the importer's public API (``import_observations``), plus population and deprivation for the
nearest-neighbour comparison, targets for 40 places per indicator and a mission with outcomes.
Then it times, in-process with ``django.test.Client``, the indicator page, the map page and the
place page (and the place comparison page): each over ``--requests`` different addresses, first
cold (a fresh cache) and then warm (each address requested once before), and reports p50, p95
and the maximum. Goals: import >= 50,000 rows/s; p95 <= 150 ms for each page.

Run (from the repository root)::

    .venv/bin/python benchmarks/indicators.py --scale 0.1          # quick: 20 indicators, 200k rows
    .venv/bin/python benchmarks/indicators.py                      # full: 2 million rows on SQLite
    .venv/bin/python benchmarks/indicators.py --postgres           # on a throwaway PostgreSQL
    .venv/bin/python benchmarks/indicators.py --database-url postgres://user@host:5432/db

``--scale`` multiplies the number of indicators (places and years stay national-scale, so the
pages have their real shape). ``--database-url`` must name an empty database: the benchmark
migrates it and fills it. ``--postgres`` runs itself again under ``scripts/with-postgres.sh``.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PLACES = 400
INDICATORS = 200
YEARS = list(range(1998, 2023))  # 25 years
TARGET_PLACES = 40


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the 200 indicators")
    parser.add_argument("--requests", type=int, default=50, help="addresses timed per page (>= 50)")
    parser.add_argument(
        "--database-url", help="an empty database to fill (default: a temp SQLite file)"
    )
    parser.add_argument(
        "--postgres", action="store_true", help="run on a throwaway PostgreSQL server"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--import-only", action="store_true", help="measure the import (and a re-import) only"
    )
    parser.add_argument(
        "--row-by-row-keys",
        action="store_true",
        help="PostgreSQL: keep the foreign-key checks row by row however big the import "
        "(to compare with dropping and validating them again, the default for big imports)",
    )
    return parser.parse_args()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobilise.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# --- Data ----------------------------------------------------------------------------------------


def build_places(rng: random.Random) -> list:
    """UK > nations > English regions > local authorities, each LA a square on a 20 x 20 grid."""
    from mobilise.places.models import Place
    from mobilise.places.tests.factories import square_bbox, square_boundary

    K = Place.Kind
    size = 0.25

    def box(i: int) -> dict:
        col, row = i % 20, i // 20
        lon, lat = -5.0 + col * size, 50.0 + row * size
        return {"boundary": square_boundary(lon, lat, size), "bbox": square_bbox(lon, lat, size)}

    uk = Place.objects.create(code="K02000001", name="United Kingdom", kind=K.UK)
    nations = {
        c: Place.objects.create(code=c, name=n, kind=K.NATION, parent=uk)
        for c, n in [
            ("E92000001", "England"),
            ("W92000004", "Wales"),
            ("S92000003", "Scotland"),
            ("N92000002", "Northern Ireland"),
        ]
    }
    regions = [
        Place.objects.create(
            code=f"E1200000{i + 1}",
            name=f"Region {i + 1}",
            kind=K.REGION,
            parent=nations["E92000001"],
        )
        for i in range(9)
    ]
    las = []
    count = PLACES - 1 - len(nations) - len(regions)  # 386
    for i in range(count):
        if i < 360:
            parent, code, kind = (
                regions[i % 9],
                f"E0{6000001 + i}",
                K.UNITARY if i % 3 else K.DISTRICT,
            )
        elif i < 372:
            parent, code, kind = nations["W92000004"], f"W0{6000001 + i}", K.UNITARY
        elif i < 380:
            parent, code, kind = nations["S92000003"], f"S1{2000001 + i}", K.UNITARY
        else:
            parent, code, kind = nations["N92000002"], f"N0{9000001 + i}", K.UNITARY
        las.append(
            Place(code=code, name=f"Authority {i + 1:03d}", kind=kind, parent=parent, **box(i))
        )
    Place.objects.bulk_create(las)
    return list(Place.objects.all())


def indicator_meta(n: int) -> dict:
    meta = {
        f"bench-{i:03d}": {
            "title": f"Benchmark indicator {i:03d}",
            "unit": "Percentage (%)" if i % 2 else "Rate per 100,000 population",
            "polarity": "lower" if i % 3 else "higher",
            "periodicity": "annual",
            "source_name": "Synthetic",
            "licence": "Open Government Licence v3.0",
        }
        for i in range(n)
    }
    meta["population"] = {"title": "Resident population", "unit": "people", "polarity": "neutral"}
    meta["imd-2019-score"] = {"title": "IMD score", "unit": "score", "polarity": "lower"}
    return meta


def rows(places: list, n_indicators: int, rng: random.Random):
    """Every observation as a (indicator, geocode, period, value) tuple, streamed."""
    for i in range(n_indicators):
        code = f"bench-{i:03d}"
        trend = rng.uniform(-0.6, 0.4)
        for place in places:
            level = rng.uniform(10, 90)
            for j, year in enumerate(YEARS):
                yield (code, place.code, str(year), round(level + trend * j + rng.gauss(0, 1.5), 2))
    for place in places:
        if place.kind in ("unitary", "district"):
            yield ("population", place.code, "2020", round(math.exp(rng.uniform(10.5, 13.5))))
            yield ("imd-2019-score", place.code, "2019", round(rng.uniform(5, 45), 3))


def backend_cpu() -> float:
    """CPU seconds used so far by this connection's database server process (PostgreSQL on this
    machine; 0 otherwise). With the client's own CPU time this gives rows per CPU-second, which a
    shared, loaded machine distorts far less than wall time."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def load(
    places: list, n_indicators: int, rng: random.Random, *, expect_unchanged: bool = False
) -> tuple[int, float]:
    from mobilise.indicators.importing import import_observations

    expected = n_indicators * len(places) * len(YEARS)
    cpu, server = time.process_time(), backend_cpu()
    started = time.perf_counter()
    report = import_observations(
        rows(places, n_indicators, rng),
        indicators=indicator_meta(n_indicators),
        create_indicators=True,
        source="benchmark",
    )
    seconds = time.perf_counter() - started
    cpu, server = time.process_time() - cpu, backend_cpu() - server
    if not report.ok:
        raise SystemExit(f"import failed: {report.problems[:5]}")
    written = report.created + report.updated + report.unchanged
    if written < expected:
        raise SystemExit(f"import wrote {written} of {expected} rows")
    if expect_unchanged and (report.created or report.updated):
        raise SystemExit(
            f"re-import changed rows: {report.created} created, {report.updated} updated"
        )
    phases = ", ".join(f"{name} {t:.1f}" for name, t in report.timings.items())
    print(
        f"  CPU: this process {cpu:.1f} s, database server {server:.1f} s = "
        f"{written / (cpu + server):,.0f} rows per CPU-second; phases (wall s): {phases}"
    )
    return written, seconds


def add_targets_and_mission(places: list, n_indicators: int, rng: random.Random) -> None:
    from mobilise.accounts.models import Organisation
    from mobilise.indicators.models import Indicator, Milestone, Series, Target
    from mobilise.missions.models import Mission, Outcome

    las = [p for p in places if p.kind in ("unitary", "district")]
    chosen = las[:TARGET_PLACES]
    headline = {
        s.indicator_id: s
        for s in Series.objects.filter(key="", indicator__code__startswith="bench-")
    }
    targets = []
    for indicator_id, series in headline.items():
        for place in chosen:
            base = rng.uniform(20, 80)
            targets.append(
                Target(
                    indicator_id=indicator_id,
                    series=series,
                    place=place,
                    baseline_period="2010",
                    baseline_value=base,
                    target_year=2030,
                    target_value=base * rng.uniform(0.5, 1.2),
                )
            )
    Target.objects.bulk_create(targets)
    Milestone.objects.bulk_create(
        Milestone(target=t, year=2025, value=(t.baseline_value + t.target_value) / 2)
        for t in Target.objects.all()
    )
    owner = Organisation.objects.create(
        name="Benchmark Council", slug="benchmark-council", sector="public_body"
    )
    mission = Mission.objects.create(
        title="Benchmark mission",
        slug="benchmark",
        statement="A mission.",
        horizon_year=2030,
        owner=owner,
        status="active",
    )
    mission.places.set(chosen[:10])
    indicators = list(Indicator.objects.filter(code__startswith="bench-").order_by("code")[:12])
    for k in range(3):
        outcome = Outcome.objects.create(mission=mission, title=f"Outcome {k}", slug=f"outcome-{k}")
        outcome.indicators.set(indicators[k * 4 : (k + 1) * 4])


# --- Timing --------------------------------------------------------------------------------------


def time_pages(name: str, urls: list[str]) -> dict[str, list[float]]:
    """Wall-clock and CPU seconds per request: cold (fresh cache), then warm."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    cache.clear()
    out: dict[str, list[float]] = {}
    for phase in ("cold", "warm"):
        for url in urls:
            # The database's share, from the queries' own timings (a debug cursor: ~1% overhead).
            with CaptureQueriesContext(connection) as queries:
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                elapsed, used = time.perf_counter() - wall, time.process_time() - cpu
            out.setdefault(phase, []).append(elapsed)
            out.setdefault(f"{phase}_cpu", []).append(used)
            out.setdefault(f"{phase}_db", []).append(
                sum(float(q["time"]) for q in queries.captured_queries)
            )
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
    return out


def summary(label: str, times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, math.ceil(0.95 * len(ms)) - 1)]
    verdict = "ok" if p95 <= 150 else "OVER"
    return f"  {label:<44} n={len(ms):<4} p50 {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms   [{verdict}]"


def main() -> None:
    args = parse_args()
    if args.postgres:
        script = ROOT / "scripts" / "with-postgres.sh"
        passed = [a for a in sys.argv[1:] if a != "--postgres"]
        # The script exports DATABASE_URL for the command it runs.
        command = [
            str(script),
            sys.executable,
            str(Path(__file__).resolve()),
            *passed,
            "--database-url",
            "env",
        ]
        raise SystemExit(subprocess.call(command, cwd=ROOT))

    tmp = None
    if args.database_url == "env":
        database_url = os.environ["DATABASE_URL"]
    elif args.database_url:
        database_url = args.database_url
    else:
        tmp = tempfile.TemporaryDirectory(prefix="mobilise-bench-")
        database_url = f"sqlite:///{tmp.name}/bench.sqlite3"
    setup_django(database_url)
    from django.db import connection

    rng = random.Random(args.seed)
    n_indicators = max(1, round(INDICATORS * args.scale))
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    places = build_places(rng)
    print(
        f"{len(places)} places; {n_indicators} indicators x {len(YEARS)} years x {len(places)} places"
    )

    if args.row_by_row_keys:
        from mobilise.indicators.importing import writer

        writer.BULK_FK_ROWS = sys.maxsize
    keys = "row by row" if args.row_by_row_keys else "dropped and validated again"
    written, seconds = load(places, n_indicators, random.Random(args.seed))
    print(
        f"Import: {written:,} rows in {seconds:.1f} s = {written / seconds:,.0f} rows/s "
        f"[{'ok' if written / seconds >= 50_000 else 'UNDER'} goal 50,000]; peak RSS {rss_mb():.0f} MB; "
        f"load average {load_average()}"
        + (f"; foreign keys {keys}" if connection.vendor == "postgresql" else "")
    )
    # The same data again (the same seed): nothing may change, and it should be quick.
    written, seconds = load(places, n_indicators, random.Random(args.seed), expect_unchanged=True)
    print(
        f"Re-import of the same data: {written:,} rows unchanged in {seconds:.1f} s = "
        f"{written / seconds:,.0f} rows/s; load average {load_average()}"
    )
    if args.import_only:
        print(f"Peak RSS {rss_mb():.0f} MB")
        return
    add_targets_and_mission(places, n_indicators, rng)
    # As a preforked server's workers start: what the set-up left behind is not the garbage
    # collector's concern on every request.
    gc.collect()
    gc.freeze()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    from mobilise.indicators.models import Indicator

    codes = list(
        Indicator.objects.filter(code__startswith="bench-")
        .order_by("code")
        .values_list("code", flat=True)
    )
    las = [p for p in places if p.kind in ("unitary", "district")]
    n = max(50, args.requests)
    pick = random.Random(args.seed + 1)
    indicator_urls = [
        f"/indicators/{pick.choice(codes)}/?place={pick.choice(las).code}" for _ in range(n)
    ]
    default_urls = [f"/indicators/{codes[i % len(codes)]}/" for i in range(n)]
    map_urls = [
        f"/indicators/{codes[i % len(codes)]}/map/?level=la" + ("" if i % 2 else "&period=2015")
        for i in range(n)
    ]
    place_urls = [f"/places/{las[i % len(las)].code}/" for i in range(n)]
    compare_urls = [f"/indicators/places/{las[(i * 7) % len(las)].code}/" for i in range(n)]
    results = {
        "indicator page (?place=LA)": time_pages("indicator", indicator_urls),
        "indicator page (default place)": time_pages("indicator", default_urls),
        "map page (local authorities)": time_pages("map", map_urls),
        "place page (/places/<code>/)": time_pages("place", place_urls),
        "comparison page (neighbours)": time_pages("compare", compare_urls),
        "mission page": time_pages("mission", ["/missions/benchmark/"] * n),
    }
    print(
        f"Server time per request (in-process, django.test.Client; load average {load_average()}):"
    )
    for label, times in results.items():
        print(summary(label + ", warm", times["warm"]))
        print(summary(label + ", warm, CPU of this process", times["warm_cpu"]))
        print(summary(label + ", warm, in SQL", times["warm_db"]))
        print(summary(label + ", cold", times["cold"]))
    print(f"Peak RSS {rss_mb():.0f} MB; load average {load_average()}")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
