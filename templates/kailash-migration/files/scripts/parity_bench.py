"""Benchmark of the parity check against the floor of reading both files once.

    PYTHONPATH=src python scripts/parity_bench.py [--rows 1000000] [--dir /tmp/parity-bench]

Writes two CSV files of ``--rows`` records and 10 columns (ids, amounts, quantities, dates,
names, codes: what an extract holds), the new one in another row and column order with a
few planted differences, then measures in fresh processes:

* the floor: reading both files once with the csv module and doing nothing else;
* the check: ``python -m <package>.parity`` on the two files, with its peak memory.

``--repeat N`` runs the pair N times, one after the other (a machine's load moves both alike),
and prints the ratios of each pair's times (wall clock, and CPU time: user and system of the
check and every process it forked) as median (min-max), with the load average, and the peak
RSS of the largest process. The targets: a median wall ratio of 4 or less, under 500 MB; the
exit code is 1 when a target is missed. Standard library only (``resource``: Unix).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = [
    "invoice_id",
    "customer",
    "amount",
    "currency",
    "quantity",
    "unit_price",
    "posted_on",
    "status",
    "region",
    "note",
]

FLOOR = """
import csv, sys
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            pass
"""

MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
if done.returncode not in (0, 1) or done.stderr:
    sys.exit(done.stderr or f"exit code {done.returncode}")
print(done.returncode, f"{seconds:.3f}", f"{usage.ru_utime + usage.ru_stime:.3f}", usage.ru_maxrss)
"""


def package_name() -> str:
    found = [p.parent.parent.name for p in (ROOT / "src").glob("*/parity/__main__.py")]
    if len(found) != 1:
        raise SystemExit("scripts/parity_bench.py: expected one package with parity/ under src/")
    return found[0]


def generate(folder: Path, rows: int, seed: int = 7) -> tuple[Path, Path]:
    rng = random.Random(seed)
    legacy, new = folder / "legacy.csv", folder / "new.csv"
    order = list(range(len(COLUMNS)))
    rng.shuffle(order)
    new_columns = [COLUMNS[i] for i in order]
    planted = {rows // 3, rows // 2}
    with legacy.open("w", encoding="utf-8", newline="") as out_legacy:
        writer = csv.writer(out_legacy)
        writer.writerow(COLUMNS)
        records = []
        for i in range(1, rows + 1):
            record = [
                str(100000 + i),
                f"Customer {rng.randrange(50000)}",
                f"{rng.randrange(1, 10_000_000) / 100:.2f}",
                rng.choice(("EUR", "USD", "GBP")),
                str(rng.randrange(1, 500)),
                f"{rng.randrange(1, 100_000) / 100:.2f}",
                f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                rng.choice(("A", "C", "P")),
                rng.choice(("north", "south", "east", "west")),
                "" if rng.random() < 0.5 else f"note {rng.randrange(1000)}",
            ]
            writer.writerow(record)
            records.append(record)
    # The new side: shuffled in blocks (a different row order), other column order, two changes.
    for i in planted:
        records[i][2] = f"{float(records[i][2]) + 1:.2f}"
    blocks = [records[i : i + 5000] for i in range(0, len(records), 5000)]
    rng.shuffle(blocks)
    with new.open("w", encoding="utf-8", newline="") as out_new:
        writer = csv.writer(out_new)
        writer.writerow(new_columns)
        for block in blocks:
            rng.shuffle(block)
            writer.writerows([r[i] for i in order] for r in block)
    return legacy, new


def measure(command: list[str], cwd: Path) -> tuple[int, float, float, int]:
    """Exit code, wall seconds, CPU seconds (children included) and peak RSS in KiB of a command."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], cwd=cwd, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"scripts/parity_bench.py: {' '.join(command[:4])} failed:\n{done.stderr}")
    code, wall, cpu, peak = done.stdout.split()
    return int(code), float(wall), float(cpu), int(peak)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--dir", help="where the data goes (default: a temp dir, removed after)")
    parser.add_argument("--repeat", type=int, default=3, help="pairs of runs; the median counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parity-bench-") as tmp:
        folder = Path(args.dir or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        legacy, new = generate(folder, args.rows)
        size = (legacy.stat().st_size + new.stat().st_size) / 1e6
        package = package_name()
        env_path = os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])
        os.environ["PYTHONPATH"] = env_path
        check = [
            sys.executable,
            "-m",
            f"{package}.parity",
            "bench",
            "--legacy",
            str(legacy),
            "--new",
            str(new),
            "--key",
            "invoice_id",
            "--tolerance",
            "amount=0.001",
            "--reports-dir",
            str(folder / "reports"),
            "--date",
            "2026-12-07",
        ]
        pairs, loads = [], []
        for _ in range(max(1, args.repeat)):
            loads.append(os.getloadavg()[0])
            floor = measure([sys.executable, "-c", FLOOR, str(legacy), str(new)], folder)
            pairs.append((floor, measure(check, folder)))
        report = json.loads(
            (folder / "reports" / "bench" / "2026-12-07.json").read_text(encoding="utf-8")
        )
    walls = [run[1] / floor[1] for floor, run in pairs]
    cpus = [run[2] / floor[2] for floor, run in pairs]
    peak = max(run[3] for _, run in pairs) / 1024
    found = report["differences"]["total"]

    def spread(values: list[float], unit: str = "x") -> str:
        return f"{statistics.median(values):.2f}{unit} ({min(values):.2f}-{max(values):.2f})"

    print(
        f"rows per side      {args.rows:,} x {len(COLUMNS)} columns ({size:,.0f} MB of CSV in all)"
    )
    print(f"runs               {len(pairs)} pairs, load average {spread(loads, '')}")
    print(
        f"floor (csv read)   {spread([f[1] for f, _ in pairs], ' s')} wall, "
        f"{spread([f[2] for f, _ in pairs], ' s')} CPU"
    )
    print(
        f"parity check       {spread([r[1] for _, r in pairs], ' s')} wall, "
        f"{spread([r[2] for _, r in pairs], ' s')} CPU (all its processes)"
        f"  ({found} planted differences found)"
    )
    print(f"ratio              {spread(walls)} wall, {spread(cpus)} CPU  (target: 4x or less)")
    print(f"peak RSS           {peak:.0f} MB  (largest process; target: under 500 MB)")
    return 0 if statistics.median(walls) <= 4 and peak < 500 and found == 2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
