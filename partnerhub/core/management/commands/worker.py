import os
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def _stop_with(parent: int) -> None:
    """Exit once the process that started this one has gone (it is then no longer the parent)."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _schedule_forever(interval: float) -> None:
    from partnerhub.reporting.periodic import enqueue_due

    while True:
        try:
            enqueue_due()
        except Exception:  # a database hiccup must not stop the worker; the next round retries
            import logging

            logging.getLogger(__name__).exception("could not enqueue the periodic jobs")
        time.sleep(interval)


class Command(BaseCommand):
    help = (
        "Run background tasks: e-mail notifications, screening, and the daily jobs (compliance statuses and "
        "reminders; goal readings of edited partnerships), which it enqueues once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Enqueue what is due, process the queue once and exit."
        )
        parser.add_argument(
            "--schedule-every", type=float, default=60.0, help="Seconds between schedule checks."
        )
        parser.add_argument(
            "--stop-with-parent", action="store_true", help="Exit when the process that started it exits."
        )

    def handle(self, *args, batch, schedule_every, stop_with_parent, **options):
        from partnerhub.reporting.periodic import enqueue_due

        if stop_with_parent:
            threading.Thread(target=_stop_with, args=(os.getppid(),), daemon=True).start()
        backend = settings.TASKS["default"]["BACKEND"]
        if batch:
            for name in enqueue_due():
                self.stdout.write(f"enqueued {name}")
        else:
            threading.Thread(target=_schedule_forever, args=(schedule_every,), daemon=True).start()
        if backend.startswith("django_tasks_rq"):
            # In batch mode jobs run in this process (no fork per job), like the database backend's worker.
            extra = {"worker_class": "rq.worker.SimpleWorker"} if batch else {}
            call_command("rqworker", "default", burst=batch, job_class="django_tasks_rq.Job", **extra)
        elif backend.startswith("django_tasks_db"):
            call_command("db_worker", batch=batch, interval=1)
        else:
            self.stdout.write(f"The {backend} backend runs tasks as they are enqueued; nothing to work on.")
