"""Import jobs: a file uploaded by the secretariat (web page or API), imported in the background by the
worker, with its progress and its result kept for whoever polls it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerhub.lifecycle.models import private_storage

from .readers import FORMATS


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")  # the file has problems: nothing was written
        FAILED = "failed", _("Failed")  # an unexpected error: nothing was written

    FINISHED = (Status.DONE, Status.REFUSED, Status.FAILED)

    file = models.FileField(_("file"), upload_to="imports/", storage=private_storage)
    file_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=8, choices=[(f, f) for f in FORMATS])
    publish = models.BooleanField(_("publish new partnerships"), default=False)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="import_jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)  # ImportResult.as_dict()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import job")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED
