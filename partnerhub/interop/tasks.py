"""Background work of interop: running the imports queued from the web page and the API."""

from django_tasks import task


@task()
def run_import(*, job_id: int) -> str | None:
    from .jobs import import_job_run

    job = import_job_run(job_id)
    return job.status if job else None
