"""Background work of assistance: re-scoring every published partnership."""

from django_tasks import task


@task()
def rescore_partnerships() -> int:
    from .services import readings_rescore

    return readings_rescore()
