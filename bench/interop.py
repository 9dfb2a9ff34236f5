"""Interoperability benchmark: CSV import, streaming CSV export and IATI export with schema validation.

1. Generates max(N, E) published partnerships into a fresh SQLite database (`partnerhub generate`).
2. Export: `partnerhub export --format csv` of all E partnerships in a child process (rows per second,
   and the child's peak RSS).
3. Import: the first N rows of that file into a second fresh database (`import_file`, every row checked
   first, then written with search documents and history), against the floor of a bare `executemany` of
   the same N rows (as text) into one SQLite table, measured in the same run.
4. IATI: `partnerhub export --format iati` of the N imported partnerships, then validation of the file
   against the IATI 2.03 schema (streamed) and the code lists; the seconds of both together.

The last line is one JSON object.

    .venv/bin/python bench/interop.py --count 100000 --export-count 1000000 --json
"""

import argparse
import atexit
import csv
import json
import os
import resource  # noqa: F401  (used by the child process code)
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The CLI in a child process that writes its own peak RSS (kB) to the file named first.
CHILD = (
    "import resource, sys\n"
    "from partnerhub.cli import main\n"
    "main(sys.argv[1:])\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
)


def run(args: list[str], var: str) -> tuple[float, float]:
    """Run the CLI in a child process; (seconds, peak RSS in MB of that child alone)."""
    env = {**os.environ, "PARTNERHUB_VAR_DIR": var}
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", CHILD, rss.name, *args], env=env, check=True, cwd=ROOT)
        seconds = time.perf_counter() - started
        peak = int(Path(rss.name).read_text() or 0)
    return seconds, peak / 1024


def floor(path: Path, count: int) -> float:
    """Rows per second of a bare executemany of the file's first `count` rows into one table."""
    with tempfile.TemporaryDirectory() as scratch, path.open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        data = [row for _, row in zip(range(count), rows, strict=False)]
        db = sqlite3.connect(Path(scratch) / "floor.sqlite3")
        db.execute(f"CREATE TABLE t ({', '.join(f'{c} TEXT' for c in header)})")
        started = time.perf_counter()
        with db:
            db.executemany(f"INSERT INTO t VALUES ({', '.join('?' * len(header))})", data)
        seconds = time.perf_counter() - started
        db.close()
    return len(data) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000, help="rows imported (and exported as IATI)")
    parser.add_argument("--export-count", type=int, default=1_000_000, help="rows exported as CSV")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="partnerhub-bench-interop-"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)  # some 6 GB
    source, target = str(work / "source"), str(work / "target")
    os.environ.update(DEBUG="1", DJANGO_SETTINGS_MODULE="partnerhub.settings", PYTHONPATH=str(ROOT))
    quiet = ["--verbosity", "0"]

    def say(text: str) -> None:
        if not args.json:
            print(text, flush=True)

    generated = max(args.count, args.export_count)
    for var in (source, target):
        run(["migrate", *quiet], var)
        run(["load_reference", *quiet], var)
    seconds, _ = run(["generate", "--count", str(generated), "--seed", str(args.seed), *quiet], source)
    say(f"generated {generated:,} partnerships in {seconds:.0f} s")

    export_file = work / "all.csv"
    seconds, export_rss = run(["export", "--format", "csv", "-o", str(export_file), *quiet], source)
    with export_file.open(encoding="utf-8", newline="") as f:
        exported = sum(1 for _ in csv.reader(f)) - 1
    export_rate = exported / seconds
    say(
        f"CSV export: {exported:,} rows in {seconds:.1f} s ({export_rate:,.0f} rows/s), peak RSS {export_rss:.0f} MB"
    )

    import_file_path = work / "import.csv"
    with (
        export_file.open(encoding="utf-8", newline="") as f,
        import_file_path.open("w", encoding="utf-8", newline="") as out,
    ):
        writer = csv.writer(out, lineterminator="\n")
        for n, row in enumerate(csv.reader(f)):
            if n > args.count:
                break
            writer.writerow(row)
    floor_rate = floor(import_file_path, args.count)

    os.environ["PARTNERHUB_VAR_DIR"] = target
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from partnerhub.interop.services import import_file
    from partnerhub.registry.search.engines import current_engine

    started = time.perf_counter()
    result = import_file(import_file_path, publish=True)
    seconds = time.perf_counter() - started
    assert result.ok, [str(p) for p in result.problems[:5]]
    import_rate = result.created / seconds
    say(f"CSV import: {result.created:,} rows in {seconds:.1f} s ({import_rate:,.0f} rows/s); floor "
        f"{floor_rate:,.0f} rows/s")  # fmt: skip
    started = time.perf_counter()
    current_engine().sync()
    say(f"search index brought up to date in {time.perf_counter() - started:.1f} s")

    iati_file = work / "import.xml"
    started = time.perf_counter()
    run(["export", "--format", "iati", "-o", str(iati_file), *quiet], target)
    from partnerhub.interop.iati import code_errors, validate

    errors = validate(iati_file) + code_errors(iati_file)
    iati_seconds = time.perf_counter() - started
    assert not errors, errors[:5]
    say(f"IATI export of {result.created:,} with schema and code-list validation: {iati_seconds:.1f} s "
        f"({iati_file.stat().st_size / 1e6:.0f} MB)")  # fmt: skip
    print(json.dumps({
        "import_rows_per_s": round(import_rate), "import_floor_rows_per_s": round(floor_rate),
        "export_rows_per_s": round(export_rate), "export_peak_rss_mb": round(export_rss),
        "iati_export_seconds": round(iati_seconds, 1),
        "import_count": result.created, "export_count": exported,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
