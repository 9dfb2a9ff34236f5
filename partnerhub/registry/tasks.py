"""Background work of the registry (run by `partnerhub worker`)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Partnership, WorkflowEvent


@task()
def notify_workflow_event(*, event_id: int) -> int:
    """E-mail the people concerned by a workflow step. Returns the number of messages sent."""
    event = WorkflowEvent.objects.select_related("partnership").filter(pk=event_id).first()
    if event is None:
        return 0
    partnership = event.partnership
    link = reverse("registry:partnership_detail", args=[partnership.pk])
    if event.to_status == Partnership.Status.SUBMITTED:
        recipients = [settings.SECRETARIAT_EMAIL]
        subject = _("Partnership submitted for review: %(title)s") % {"title": partnership.title}
    else:
        recipients = [u.email for u in partnership.focal_points.all() if u.email]
        subject = _("Your partnership is now “%(status)s”: %(title)s") % {
            "status": Partnership.Status(event.to_status).label,
            "title": partnership.title,
        }
    if not recipients:
        return 0
    body = "\n\n".join(filter(None, [subject, event.comment, link]))
    return send_mail(subject, body, None, recipients)
