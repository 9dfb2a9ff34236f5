"""Domain errors raised by services and translated by views and the API."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class FieldErrors(dict[str, list[str]]):
    """Collects every problem of a write by field, so a service reports them all at once."""

    def add(self, key: str, message: str) -> None:
        self.setdefault(key, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


class ConflictError(Exception):
    """Someone else changed the record since the writer read it (a lost update was refused)."""

    def __init__(self, *, current_version: int, expected_version: int | None = None) -> None:
        self.current_version = current_version
        self.expected_version = expected_version
        super().__init__(
            _(
                "This record was changed by someone else (now at version %(current)s). Reload it and apply your changes again."
            )
            % {"current": current_version}
        )
