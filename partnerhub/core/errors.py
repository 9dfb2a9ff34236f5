"""Domain errors raised by services and translated by views and the API."""

from django.utils.translation import gettext_lazy as _


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
