"""Background work of reporting: the daily compliance job and report notifications (run by
`partnerhub worker`; the worker enqueues the daily job once a day, see reporting/periodic.py)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from partnerhub.registry.tasks import mail_partnership_people

from .models import Report, ReportEvent


@task()
def daily_compliance() -> dict:
    """Recompute every reporting status and send the reminders due today (idempotent)."""
    from .compliance import daily_job

    return daily_job()


@task()
def notify_report_event(*, event_id: int) -> int:
    """E-mail the secretariat when a report is submitted, the focal points when it is decided."""
    event = ReportEvent.objects.select_related("report__partnership").filter(pk=event_id).first()
    if event is None:
        return 0
    report = event.report
    partnership = report.partnership
    link = settings.SITE_URL.rstrip("/") + reverse("reporting:report_detail", args=[report.pk])
    submitted = event.to_status == Report.Status.SUBMITTED
    if submitted:
        subject = _("Progress report submitted: %(title)s") % {"title": partnership.title}
    else:
        subject = _("Your progress report is “%(status)s”: %(title)s") % {
            "status": Report.Status(event.to_status).label,
            "title": partnership.title,
        }
    return mail_partnership_people(
        partnership, secretariat=submitted, subject=subject, comment=event.comment, link=link
    )
