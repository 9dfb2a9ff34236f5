"""Background work of assistance: scoring published partnerships' texts for the goal review."""

from django_tasks import task


@task()
def rescore_partnerships(ids: list[int] | None = None) -> int:
    """All published partnerships (the button on the goal review), or the ones named (a publication)."""
    from .services import readings_rescore

    return readings_rescore(ids=ids)


@task()
def refresh_readings() -> int:
    """The nightly job: partnerships published, edited or imported since they were last scored."""
    from .services import readings_rescore

    return readings_rescore(stale_only=True)
