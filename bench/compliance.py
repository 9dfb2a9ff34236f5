"""Compliance benchmark: the daily job over N published partnerships.

Generates N partnerships into a fresh SQLite database (`partnerhub generate`), gives a third of them an
accepted progress report at random dates (so statuses spread over up to date, due soon, overdue,
seriously overdue and inactive), then runs the daily job once (statuses, search facets, reminders; e-mail
to the in-memory backend) and again the same day (nothing changes). The floor is a bare SQL UPDATE over
the same compliance rows. The last line is one JSON object.

    .venv/bin/python bench/compliance.py --count 100000 --json
"""

import argparse
import atexit
import json
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="partnerhub-bench-compliance-")
    atexit.register(shutil.rmtree, var, ignore_errors=True)
    os.environ.update(
        PARTNERHUB_VAR_DIR=var, DEBUG="1", DJANGO_SETTINGS_MODULE="partnerhub.settings",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )  # fmt: skip
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from partnerhub.registry.models import Partnership
    from partnerhub.reporting.compliance import daily_job
    from partnerhub.reporting.models import Compliance, Report

    def say(text: str) -> None:
        if not args.json:
            print(text, flush=True)

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    started = time.perf_counter()
    call_command("generate", count=args.count, seed=args.seed, verbosity=0)
    say(f"generated {args.count} partnerships in {time.perf_counter() - started:.1f} s")
    rng = random.Random(args.seed)
    today = timezone.localdate()
    rows = list(Partnership.objects.values_list("pk", "published_at"))
    reports = []
    for pk, published in rng.sample(rows, len(rows) // 3):
        start = timezone.localdate(published)
        days = (today - start).days
        if days < 30:
            continue
        end = start + timedelta(days=rng.randint(30, days))
        reports.append(
            Report(partnership_id=pk, period_start=start, period_end=end, overall_status="on_track",
                   summary="Progress in the period.", status="accepted", decided_at=timezone.now())
        )  # fmt: skip
    with transaction.atomic():
        Report.objects.bulk_create(reports, batch_size=5000)
    say(f"{len(reports)} accepted reports")

    started = time.perf_counter()
    first = daily_job()
    seconds = time.perf_counter() - started
    say(f"daily job: {seconds:.2f} s {first}")
    started = time.perf_counter()
    second = daily_job()
    again = time.perf_counter() - started
    say(f"same day again: {again:.2f} s {second}")

    table = Compliance._meta.db_table
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET status = status, due_date = due_date")
    floor = time.perf_counter() - started
    result = {
        "count": args.count,
        "seconds": round(seconds, 2),
        "floor_seconds": round(floor, 3),
        "ratio": round(seconds / floor, 1) if floor else None,
        "second_run_seconds": round(again, 2),
        "statuses": first["counts"],
        "reminders": first["reminders"],
        "reminders_second_run": second["reminders"],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
