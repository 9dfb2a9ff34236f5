from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "partnerhub.core"
    label = "core"

    def ready(self) -> None:
        from . import lookups  # noqa: F401  (registers the integer `__in` lookup)

        post_migrate.connect(_refresh_statistics, sender=self, dispatch_uid="core.statistics_after_migrate")


def _refresh_statistics(sender, *, plan=None, using: str = "default", **kwargs) -> None:
    """Once migrations have run, refresh the query planner's statistics: an upgrade can add indexes that
    SQLite knows nothing about until ANALYZE, and its plans without them were a hundred times slower on
    some pages (core.bulk.analyze) until the nightly refresh. Sampled, so it takes tens of milliseconds
    on a gigabyte."""
    if not plan:
        return  # nothing was migrated
    from django.db import connections

    from .bulk import analyze

    with connections[using].cursor() as cursor:
        analyze(cursor)
