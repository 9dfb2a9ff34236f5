"""The worker on Redis (django-tasks-rq): the daily job goes through the RQ queue and is idempotent.

Needs a Redis server: set REDIS_URL (`.ci/run` starts one on loopback). Skipped without it, unless
PARTNERHUB_REQUIRE_REDIS=1, which CI sets so that a missing server fails the run.
"""

import os
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from rq.registry import FinishedJobRegistry

from partnerhub.reporting.models import PeriodicRun, Reminder
from partnerhub.reporting.tasks import daily_compliance

REDIS_URL = os.environ.get("REDIS_URL", "")
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:1/0", "DEFAULT_TIMEOUT": 60}}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not REDIS_URL and os.environ.get("PARTNERHUB_REQUIRE_REDIS") != "1", reason="REDIS_URL is not set"
    ),
]


@pytest.fixture
def rq(settings):
    import django_rq

    settings.TASKS = RQ_TASKS  # django-tasks rebuilds its backends when the setting changes
    settings.RQ_QUEUES = RQ_QUEUES
    queue = django_rq.get_queue("default")
    queue.connection.flushdb()
    yield queue
    queue.connection.flushdb()


def test_daily_job_through_redis_runs_once_a_day_and_sends_once(world, rq):
    world.focal_point.email = "focal@example.org"
    world.focal_point.save()
    p = world.published
    p.published_at = datetime(2024, 1, 10, 9, tzinfo=UTC)
    p.save(update_fields=["published_at"])
    with time_machine.travel(
        datetime(2024, 12, 11, 8, tzinfo=UTC), tick=False
    ):  # 30 days before the due date
        call_command("worker", batch=True)
        assert PeriodicRun.objects.filter(job="reporting.daily_compliance").count() == 1
        assert Reminder.objects.filter(kind="before_30").count() == 1
        sent = len(mail.outbox)
        assert sent == 1 and mail.outbox[0].to == ["focal@example.org"]
        call_command("worker", batch=True)  # same day: not enqueued again
        # Enqueued twice more by hand: the job itself sends nothing twice.
        daily_compliance.enqueue()
        daily_compliance.enqueue()
        call_command("worker", batch=True)
        assert len(mail.outbox) == sent
        assert Reminder.objects.count() == 1
        # Every run went through Redis: the compliance job three times, the goal readings' and the planner
        # statistics' once.
        assert FinishedJobRegistry(queue=rq).count == 5
        assert PeriodicRun.objects.filter(job="assist.refresh_readings").count() == 1
        assert PeriodicRun.objects.filter(job="registry.refresh_statistics").count() == 1
