"""Reads of reporting: the compliance facet, counts, timelines and the secretariat's follow-up list."""

from datetime import date, datetime, tzinfo
from functools import lru_cache

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from partnerhub.registry.models import Partnership
from partnerhub.registry.search.service import SearchParams, search

from .compliance import cycle_months, registration_day, site_today
from .cycle import Standing, standing
from .models import Compliance, ComplianceStatus, Report, ReportEvent

_COMPLIANCE = Partnership.compliance.related


def compliance_of(partnership: Partnership) -> Compliance | None:
    """The partnership's compliance row, if it has one. One known to be absent (cached as None, as for an
    import's new partnerships) is answered without the exception Django raises for it, which cost an
    import 1.2 µs a row."""
    if _COMPLIANCE.is_cached(partnership) and _COMPLIANCE.get_cached_value(partnership) is None:
        return None
    try:
        return partnership.compliance
    except ObjectDoesNotExist:
        return None


def current_standing(partnership: Partnership) -> Standing:
    """The status of a published partnership the daily job has not seen yet, computed the same way (it
    has no accepted report yet, since accepting one records its status)."""
    return _first_standing(
        partnership.published_at,
        cycle_months(partnership.category, None),
        site_today(),
        timezone.get_default_timezone(),  # the zone of registration_day's date
    )


@lru_cache(maxsize=4096)
def _first_standing(published_at: datetime | None, months: int, today: date, zone: tzinfo) -> Standing:
    """Memoised: an import, or a reindex, asks it of thousands of partnerships published at one moment."""
    return standing(registered=registration_day(published_at), last_period_end=None, cycle_months=months,
                    today=today)  # fmt: skip


def compliance_facets(partnership: Partnership) -> set[tuple[str, str]]:
    """The `compliance` search facet of a published partnership (registered with the indexer)."""
    if partnership.status != Partnership.Status.PUBLISHED:
        return set()
    row = compliance_of(partnership) or current_standing(partnership)
    return {("compliance", row.status)}


def compliance_counts(params: SearchParams) -> dict[str, int]:
    """Partnerships per reporting status for a browse query and filters (delisted ones included)."""
    filters = dict(params.filters)
    filters["compliance"] = filters.get("compliance") or list(ComplianceStatus.values)
    result = search(SearchParams(q=params.q, lang=params.lang, filters=filters, limit=1, facets=True))
    found = result.facets.get("compliance", {})
    return {status: found.get(status, 0) for status in ComplianceStatus.values}


def public_reports(partnership: Partnership) -> QuerySet[Report]:
    return partnership.reports.filter(status=Report.Status.ACCEPTED, is_public=True).order_by("-period_end")


def report_detail_queryset() -> QuerySet[Report]:
    return Report.objects.select_related("partnership").prefetch_related(
        "deliverables__deliverable",
        "indicator_values__indicator",
        "indicator_values__organisation",
        "beneficiaries__organisation",
        "resources__organisation",
        "resources__currency",
        "attachments",
        Prefetch("events", queryset=ReportEvent.objects.select_related("actor")),
    )


def follow_up_list(statuses: list[str]) -> QuerySet[Compliance]:
    """Partnerships the secretariat should follow up, most overdue first."""
    return (
        Compliance.objects.filter(status__in=statuses, partnership__status=Partnership.Status.PUBLISHED)
        .select_related("partnership")
        .prefetch_related("partnership__focal_points", "partnership__reminders")
        .order_by("due_date", "pk")
    )


def submitted_reports() -> QuerySet[Report]:
    return (
        Report.objects.filter(status=Report.Status.SUBMITTED)
        .select_related("partnership")
        .order_by("submitted_at")
    )
