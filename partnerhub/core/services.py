"""Helpers shared by the domain services."""

from django.contrib.auth.base_user import AbstractBaseUser
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


def save_by(obj: Model, author: AbstractBaseUser | None) -> None:
    """Save, recording `author` as who made the change in the record's history (django-simple-history)."""
    obj._history_user = author  # type: ignore[attr-defined]
    obj.save()


def delete_by(obj: Model, author: AbstractBaseUser | None) -> None:
    """Delete, recording `author` in the history."""
    obj._history_user = author  # type: ignore[attr-defined]
    obj.delete()
