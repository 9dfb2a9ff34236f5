from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "partnerhub.reporting"
    verbose_name = _("Progress reporting")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from partnerhub.registry.search import index
        from partnerhub.registry.signals import loaded_in_bulk, status_changed

        from . import rules, selectors  # noqa: F401  (permissions)

        index.register_facets(selectors.compliance_facets, prefetch=["compliance"])
        status_changed.connect(_started, dispatch_uid="reporting.start_cycle")
        loaded_in_bulk.connect(_started_in_bulk, dispatch_uid="reporting.start_cycles")


def _started(sender, *, partnership, from_status, to_status, **kwargs) -> None:
    """A newly published partnership starts its reporting cycle."""
    if to_status == "published":
        from .services import ensure_compliance

        ensure_compliance(partnership)


def _started_in_bulk(sender, *, published_ids, **kwargs) -> None:
    """Partnerships an import published start their reporting cycles."""
    if published_ids:
        from .compliance import compliance_start

        compliance_start(published_ids)
