from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiligenceConfig(AppConfig):
    name = "partnerhub.diligence"
    verbose_name = _("Due diligence")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from partnerhub.registry.search import index
        from partnerhub.registry.signals import organisation_saved, publication_checks

        from . import rules  # noqa: F401  (permissions)
        from .smart import smart_facets

        # Goals, targets, deliverables, partners and areas are prefetched by the indexer already.
        index.register_facets(smart_facets, prefetch=["baseline_values", "commitments"])
        organisation_saved.connect(_screen, dispatch_uid="diligence.screen")
        publication_checks.connect(_blockers, dispatch_uid="diligence.publication")


def _screen(sender, *, organisation, created, **kwargs) -> None:
    """Screen on registration and on every change (the name may have changed)."""
    from .services import screen

    screen(organisation)


def _blockers(sender, *, partnership, **kwargs) -> list[str]:
    from .services import publication_blockers

    return publication_blockers(partnership)
