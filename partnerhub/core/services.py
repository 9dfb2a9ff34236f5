"""Helpers shared by the domain services."""

from django.db.models import F, Model

from .errors import ConflictError


def version_bump(*, instance: Model, expected: int | None) -> None:
    """Check the writer's version, then increment it atomically (call inside the service's transaction).

    `expected=None` means the writer did not say which version it read; the write is then accepted.
    """
    model = type(instance)
    current = model._default_manager.select_for_update().values_list("version", flat=True).get(pk=instance.pk)
    if expected is not None and int(expected) != current:
        raise ConflictError(current_version=current, expected_version=expected)
    model._default_manager.filter(pk=instance.pk).update(version=F("version") + 1)
    instance.version = current + 1  # type: ignore[attr-defined]
