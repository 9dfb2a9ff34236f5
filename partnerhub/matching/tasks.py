"""Background work of the Forum pipeline (run by `partnerhub worker`)."""

from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from partnerhub.registry.tasks import mail_partnership_people

from .models import Interest


@task()
def notify_interest(*, interest_id: int) -> int:
    """A new interest: tell the partnership's focal points. An answer: tell the funder who asked, with the
    focal points' addresses when the contact was accepted. Returns the number of messages sent."""
    interest = (
        Interest.objects.select_related("pitch__partnership", "organisation", "created_by")
        .filter(pk=interest_id)
        .first()
    )
    if interest is None:
        return 0
    pitch = interest.pitch
    link = reverse("matching:pitch_detail", args=[pitch.pk])
    if interest.status == Interest.Status.PENDING:
        subject = _("%(funder)s is interested in your pitch “%(pitch)s”") % {
            "funder": interest.organisation.name, "pitch": pitch.title,
        }  # fmt: skip
        return mail_partnership_people(
            pitch.partnership, secretariat=False, subject=subject, comment=interest.message, link=link
        )
    if interest.created_by is None or not interest.created_by.email:
        return 0
    if interest.status == Interest.Status.ACCEPTED:
        subject = _("“%(pitch)s” accepted your request for contact") % {"pitch": pitch.title}
        contacts = ", ".join(u.email for u in pitch.partnership.focal_points.all() if u.email)
        body = _("You can write to the partnership's focal points: %(contacts)s") % {"contacts": contacts}
    else:
        subject = _("“%(pitch)s” declined your request for contact") % {"pitch": pitch.title}
        body = ""
    return send_mail(
        subject, "\n\n".join(filter(None, [subject, body, link])), None, [interest.created_by.email]
    )
