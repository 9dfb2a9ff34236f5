from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiligenceConfig(AppConfig):
    name = "partnerhub.diligence"
    verbose_name = _("Due diligence")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from partnerhub.registry.search import index
        from partnerhub.registry.signals import loaded_in_bulk, organisation_saved, publication_checks

        from . import rules  # noqa: F401  (permissions)
        from .smart import smart_facets

        # Goals, targets, deliverables, partners and areas are prefetched by the indexer already.
        index.register_facets(smart_facets, prefetch=["baseline_values", "commitments"])
        organisation_saved.connect(_screen, dispatch_uid="diligence.screen")
        publication_checks.connect(_blockers, dispatch_uid="diligence.publication")
        loaded_in_bulk.connect(_screen_later, dispatch_uid="diligence.screen_bulk")


def _screen(sender, *, organisation, created, **kwargs) -> None:
    """Screen on registration and on every change (the name may have changed)."""
    from .services import screen

    screen(organisation)


def _screen_later(sender, *, organisation_ids, **kwargs) -> None:
    """Organisations an import created are screened in the background once it commits."""
    if organisation_ids:
        from django.db import transaction

        from partnerhub.core.bulk import spans

        from .tasks import screen_organisations

        ranges = spans(organisation_ids)
        transaction.on_commit(lambda: screen_organisations.enqueue(spans=ranges))


def _blockers(sender, *, partnership, **kwargs) -> list[str]:
    from .services import publication_blockers

    return publication_blockers(partnership)
