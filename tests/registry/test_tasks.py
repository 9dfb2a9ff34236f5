import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from partnerhub.registry import services

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The worker closes its database connections like the real process does, so no wrapping transaction here.
pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(TASKS=DB_TASKS)
def test_worker_sends_the_notifications_queued_by_the_workflow(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_submit(partnership=world.partnership, author=world.focal_point)
    assert mail.outbox == []  # queued, not sent inside the request
    call_command("worker", batch=True)  # also runs today's compliance job, which may send reminders
    subjects = [m.subject for m in mail.outbox]
    assert subjects.count("Partnership submitted for review: Mangrove draft") == 1
    call_command("worker", batch=True)
    assert len(mail.outbox) == len(subjects)  # nothing is sent twice
