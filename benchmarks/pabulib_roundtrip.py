"""Read, write and read back every Pabulib file in a folder, and time it.

    python benchmarks/pabulib_roundtrip.py [DATA_DIR]

DATA_DIR defaults to ``../shared/data``. For each ``.pb`` file the election read back from our own
output must equal the one read from the original (every section, optional column and META field),
and files in canonical form must come back byte for byte. ``make test`` runs the same check on the
files the project ships (``mobilise/engines/budgeting/tests/test_pabulib.py``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mobilise.engines.budgeting import format_pb, parse_pb  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", nargs="?", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args(argv)

    files = sorted(Path(args.data_dir).rglob("*.pb"))
    if not files:
        print(f"No .pb files under {args.data_dir}.")
        return 1
    failures: list[str] = []
    byte_for_byte = ballots = 0
    total_bytes = sum(p.stat().st_size for p in files)
    started = time.perf_counter()
    for path in files:
        original = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        try:
            election = parse_pb(original, source=str(path))
            text = format_pb(election)
            if parse_pb(text) != election:
                failures.append(f"{path.name}: read back differs")
                continue
        except ValueError as exc:
            failures.append(f"{path.name}: {exc}")
            continue
        ballots += len(election.votes)
        if text == original:
            byte_for_byte += 1
        elif '"' not in original:
            failures.append(f"{path.name}: canonical file not written back byte for byte")
    elapsed = time.perf_counter() - started
    print(
        f"{len(files)} files ({total_bytes / 1e6:.0f} MB, {ballots:,} ballots) read, written and "
        f"read back in {elapsed:.1f} s ({total_bytes / 1e6 / elapsed:.1f} MB/s)."
    )
    print(f"  identical elections: {len(files) - len(failures)}; byte for byte: {byte_for_byte}")
    for failure in failures:
        print(f"  FAILED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
