"""Periodic jobs, enqueued by `partnerhub worker` through the Django tasks API.

Each job runs once a day (apps register theirs with `register_daily`): the worker that first claims today's
row in PeriodicRun (a unique constraint) enqueues it, so any number of workers, restarts or calls enqueue it
once. The jobs themselves are idempotent too (the compliance job records every reminder before sending it),
so running one twice the same day changes nothing and sends nothing twice.
"""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from partnerhub.registry.tasks import refresh_statistics

from .models import PeriodicRun
from .tasks import daily_compliance

DAILY: dict[str, Task] = {
    "reporting.daily_compliance": daily_compliance,
    "registry.refresh_statistics": refresh_statistics,
}


def register_daily(name: str, task) -> None:
    """Run this task once a day too (apps call it in ready())."""
    DAILY[name] = task


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue the daily jobs not yet enqueued today, once the local time has passed DAILY_JOBS_HOUR."""
    local = timezone.localtime(now or timezone.now())
    if local.hour < settings.DAILY_JOBS_HOUR:
        return []
    enqueued = []
    for name, task in DAILY.items():
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(job=name, day=local.date())
        except IntegrityError:
            continue  # already claimed today
        task.enqueue()
        enqueued.append(name)
    return enqueued
