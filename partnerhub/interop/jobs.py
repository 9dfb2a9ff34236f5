"""Import jobs: a file uploaded through the web page or the API becomes an `ImportJob`; the worker runs it
(`tasks.run_import`) through the same `import_file` as the command line, and whoever started it polls the
job for its progress and, at the end, its result.

Progress is written to a small JSON file next to the upload rather than to the database: the import holds
its transaction (and, on SQLite, the write lock) until it commits, so a progress row written inside it would
be invisible to the poller, and one written beside it would wait for the lock. Web and worker share
PRIVATE_MEDIA_ROOT, as they already do for uploaded documents.
"""

import json
import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ImportJob
from .readers import ImportRefused, format_of
from .services import import_file
from .tasks import run_import

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 0.5  # seconds between two writes of the progress file


def progress_path(job: ImportJob) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "imports" / f"job-{job.pk}.progress.json"


def job_progress(job: ImportJob) -> dict | None:
    """{"stage": "checking" | "writing", "done": rows, "total": rows (0 while unknown)} of a running job."""
    if job.status != ImportJob.Status.RUNNING:
        return None
    try:
        return json.loads(progress_path(job).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not written yet, or being replaced
        return {"stage": "starting", "done": 0, "total": 0}


def import_job_create(
    *, upload: UploadedFile, user, fmt: str | None = None, publish: bool = False, dry_run: bool = False
) -> ImportJob:
    """Keep the upload and queue its import (run once the transaction commits). A file too large or of no
    known format is refused here, with the reason."""
    limit = settings.PARTNERHUB_IMPORT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {
                "file": _(
                    "The file is larger than %(limit)s MB, the largest import accepted here; use the command line (partnerhub import)."
                )
                % {"limit": limit // 1_000_000}
            }
        )
    name = Path(upload.name or "").name
    try:
        fmt = format_of(name, fmt)
    except ImportRefused as refused:
        raise ValidationError({"format": [p.message for p in refused.problems]}) from None
    with transaction.atomic():
        job = ImportJob.objects.create(
            file=upload, file_name=name[:255], format=fmt, publish=publish, dry_run=dry_run, created_by=user
        )
        transaction.on_commit(lambda: run_import.enqueue(job_id=job.pk))
    return job


def import_job_run(job_id: int) -> ImportJob | None:
    """Run a queued job (a job is claimed once: a second worker, or a retry, leaves it alone)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    path = progress_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    last = 0.0

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal last
        if time.monotonic() - last < PROGRESS_EVERY and done != total:
            return
        last = time.monotonic()
        scratch = path.with_suffix(".tmp")
        scratch.write_text(json.dumps({"stage": stage, "done": done, "total": total}), encoding="utf-8")
        os.replace(scratch, path)  # atomic: a poller reads the old or the new file, never half of one

    try:
        with job.file.open("rb") as stream:
            result = import_file(
                stream, fmt=job.format, user=job.created_by, publish=job.publish, dry_run=job.dry_run,
                progress=progress, name=job.file_name,
            )  # fmt: skip
        job.result = result.as_dict() | {"summary": result.summary()}
        job.status = ImportJob.Status.DONE if result.ok else ImportJob.Status.REFUSED
    except Exception as error:
        logger.exception("import job %s failed", job.pk)
        job.status = ImportJob.Status.FAILED
        job.result = {"ok": False, "problems": [{"line": None, "column": "", "message": _("The import stopped on an unexpected error, so nothing was written: %(error)s") % {"error": error}}]}  # fmt: skip
    finally:
        path.unlink(missing_ok=True)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "result", "finished_at"])
    return job
