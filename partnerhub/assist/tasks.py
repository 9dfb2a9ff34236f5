"""Background work of assistance: scoring published partnerships' texts for the goal review."""

from django_tasks import task


@task()
def rescore_partnerships(stale_only: bool = False, ids: list[int] | None = None) -> int:
    """All published partnerships, or only those whose reading is stale, or the ones named."""
    from .services import readings_rescore

    return readings_rescore(stale_only=stale_only, ids=ids)


@task()
def refresh_readings() -> int:
    """The nightly job: partnerships published, edited or imported since they were last scored."""
    from .services import readings_rescore

    return readings_rescore(stale_only=True)
