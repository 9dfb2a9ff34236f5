"""Background work of the registry (run by `partnerhub worker`)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from partnerhub.core.bulk import analyze

from .models import Partnership, WorkflowEvent


def mail_partnership_people(
    partnership: Partnership, *, secretariat: bool, subject: str, comment: str, link: str
) -> int:
    """E-mail the secretariat, or the partnership's focal points, about a step of a workflow."""
    if secretariat:
        recipients = [settings.SECRETARIAT_EMAIL]
    else:
        recipients = [u.email for u in partnership.focal_points.all() if u.email]
    if not recipients:
        return 0
    body = "\n\n".join(filter(None, [subject, comment, link]))
    return send_mail(subject, body, None, recipients)


@task()
def notify_workflow_event(*, event_id: int) -> int:
    """E-mail the people concerned by a workflow step. Returns the number of messages sent."""
    event = WorkflowEvent.objects.select_related("partnership").filter(pk=event_id).first()
    if event is None:
        return 0
    partnership = event.partnership
    link = reverse("registry:partnership_detail", args=[partnership.pk])
    submitted = event.to_status == Partnership.Status.SUBMITTED
    if submitted:
        subject = _("Partnership submitted for review: %(title)s") % {"title": partnership.title}
    else:
        subject = _("Your partnership is now “%(status)s”: %(title)s") % {
            "status": Partnership.Status(event.to_status).label,
            "title": partnership.title,
        }
    return mail_partnership_people(
        partnership, secretariat=submitted, subject=subject, comment=event.comment, link=link
    )


@task()
def refresh_statistics() -> None:
    """Refresh the database's query planner statistics, once a day: a registry that grows through its
    forms rather than bulk loads (which refresh them at once) keeps good query plans too."""
    with connection.cursor() as cursor:
        analyze(cursor)
