from django.apps import AppConfig
from django.db import transaction
from django.utils.translation import gettext_lazy as _


class AssistConfig(AppConfig):
    name = "partnerhub.assist"
    verbose_name = _("Assistance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from partnerhub.registry.signals import loaded_in_bulk, status_changed
        from partnerhub.reporting.periodic import register_daily

        from . import rules  # noqa: F401  (permissions)
        from .tasks import refresh_readings

        status_changed.connect(_published, dispatch_uid="assist.score_published")
        loaded_in_bulk.connect(_loaded, dispatch_uid="assist.score_imported")
        register_daily("assist.refresh_readings", refresh_readings)


def _published(sender, *, partnership, from_status, to_status, **kwargs) -> None:
    """A newly published partnership is scored for the goal review, in the background once committed."""
    if to_status == "published":
        from .tasks import rescore_partnerships

        pk = partnership.pk
        transaction.on_commit(lambda: rescore_partnerships.enqueue(ids=[pk]))


def _loaded(sender, *, published_ids, **kwargs) -> None:
    """An import that published partnerships has them scored, as one background job."""
    if published_ids:
        from .tasks import refresh_readings

        transaction.on_commit(refresh_readings.enqueue)
