"""API of the insights: coverage, gaps and interlinkages for any browse query, as JSON (and CSV, the
figures behind every chart: `coverage.csv`, `gaps.csv`, `interlinkages.csv`)."""

import csv
import io
from dataclasses import asdict

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from partnerhub.core.api import ScorePartSerializer
from partnerhub.registry.api import SEARCH_PARAMETERS
from partnerhub.registry.filters import PartnershipFilter
from partnerhub.registry.models import Partnership
from partnerhub.registry.search.service import SearchParams
from partnerhub.registry.views.common import visible_partnership

from . import selectors
from .champion import champion_score, ranking
from .selectors import DIMENSIONS, Figure


def search_params(query) -> SearchParams:
    """The browse filters of a request (query dict), checked: raises DRF's ValidationError."""
    filterset = PartnershipFilter(query, queryset=Partnership.objects.none())
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.to_search(limit=1, facets=False)


def dimensions(query) -> list[str]:
    by = [d.strip() for d in (query.get("by") or "goal").split(",") if d.strip()]
    try:
        selectors.check_dimensions(by)
    except ValueError as error:
        raise ValidationError({"by": [str(error)]}) from None
    return by


def _run(function, *args):
    try:
        return function(*args)
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict) from None


FIGURE = inline_serializer(
    "CoverageFigure",
    {
        "labels": serializers.DictField(child=serializers.CharField()),
        "partnerships": serializers.IntegerField(),
        "partners": serializers.IntegerField(help_text="Distinct partner organisations"),
        "resources": serializers.DictField(
            child=serializers.FloatField(), help_text="Financial commitments per ISO 4217 currency"
        ),
        "url": serializers.CharField(help_text="The browse list of the partnerships counted"),
    },
)
BY = OpenApiParameter(
    "by", str, description=f"One or two of: {', '.join(DIMENSIONS)}, comma-separated (default goal)"
)


@extend_schema(
    description="Published partnerships, distinct partners and financial commitments (per currency, never "
    "added across currencies) per goal, target, country, region, sub-region, country group, organisation "
    "type, category, stage or reporting status, or per pair (by=goal,region). Takes every browse filter; "
    "each figure links to the partnerships it counts.",
    parameters=[BY, *SEARCH_PARAMETERS],
    responses=inline_serializer(
        "Coverage",
        {
            "by": serializers.ListField(child=serializers.CharField()),
            "total": FIGURE,
            "rows": FIGURE.__class__(many=True),
            "cells": FIGURE.__class__(many=True),
        },
    ),
)
@api_view(["GET"])
@permission_classes([AllowAny])
def coverage(request):
    by = dimensions(request.query_params)
    result = _run(
        selectors.coverage, search_params(request.query_params), by, dict(request.query_params.lists())
    )
    return Response(
        {
            "by": result.by,
            "total": result.total.as_dict(),
            "rows": [f.as_dict() for f in result.rows],
            "cells": [f.as_dict() for f in result.cells],
        }
    )


@extend_schema(
    description="Gaps for any browse query: targets and countries with no or few partnerships (fewer than "
    "a quarter of the median), LDC / LLDC / SIDS served per member country against the average country, "
    "and goals whose partnerships rarely report.",
    parameters=SEARCH_PARAMETERS,
    responses=inline_serializer("Gaps", {"targets": serializers.ListField(child=serializers.DictField())}),
)
@api_view(["GET"])
@permission_classes([AllowAny])
def gaps(request):
    result = _run(selectors.gaps, search_params(request.query_params), dict(request.query_params.lists()))
    return Response(
        {
            "thresholds": {"few_targets": result.few_targets, "few_countries": result.few_countries},
            "targets": [{**g.figure.as_dict(), "reason": g.reason} for g in result.targets],
            "countries": [{**g.figure.as_dict(), "reason": g.reason} for g in result.countries],
            "groups": [
                {**g.figure.as_dict(), "members": g.members, "per_country": g.per_country, "ratio": g.ratio}
                for g in result.groups
            ],
            "goals": [{**g.figure.as_dict(), "reporting": g.reporting, "rate": g.rate} for g in result.goals],
            "overall_reporting_rate": result.overall_reporting_rate,
        }
    )


@extend_schema(
    description="Which goals partnerships combine: partnerships per goal, the goal × goal co-occurrence "
    "matrix (goals 1–17 in order) and the pairs, most frequent first, each with its Jaccard strength and "
    "the list of its partnerships.",
    parameters=SEARCH_PARAMETERS,
    responses=inline_serializer(
        "Interlinkages", {"matrix": serializers.ListField(child=serializers.ListField())}
    ),
)
@api_view(["GET"])
@permission_classes([AllowAny])
def interlinkages(request):
    result = _run(
        selectors.interlinkages, search_params(request.query_params), dict(request.query_params.lists())
    )
    return Response(
        {
            "total": result.total,
            "goals": [f.as_dict() for f in result.goals],
            "matrix": result.matrix,
            "links": [asdict(link) for link in result.links],
        }
    )


# --- CSV: the figures behind each chart -------------------------------------------------------------------


def _csv(name: str, header: list[str], rows: list[list]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _figure_columns(figures: list[Figure], by: list[str]) -> tuple[list[str], list[list]]:
    currencies = sorted({c for f in figures for c in f.resources})
    header = [*(c for d in by for c in (d, f"{d}_name")), "partnerships", "partners",
              *(f"committed_{c}" for c in currencies), "list_url"]  # fmt: skip
    rows = [
        [
            *(c for d in by for c in (f.key.get(d, ""), f.labels.get(d, ""))),
            f.partnerships,
            f.partners,
            *(f.resources.get(c, "") for c in currencies),
            f.url,
        ]
        for f in figures
    ]
    return header, rows


def _csv_errors(function):
    def view(request):
        try:
            return function(request)
        except ValidationError as error:
            return HttpResponse(str(error.detail), status=400, content_type="text/plain; charset=utf-8")

    view.__name__ = function.__name__
    return view


@_csv_errors
def coverage_csv(request):
    by = dimensions(request.GET)
    result = _run(selectors.coverage, search_params(request.GET), by, dict(request.GET.lists()))
    figures = result.cells if len(by) == 2 else result.rows
    return _csv(f"coverage-by-{'-'.join(by)}", *_figure_columns(figures, by))


@_csv_errors
def gaps_csv(request):
    result = _run(selectors.gaps, search_params(request.GET), dict(request.GET.lists()))
    reasons = [
        ("target", [(g.figure, g.reason) for g in result.targets]),
        ("country", [(g.figure, g.reason) for g in result.countries]),
        ("group", [(g.figure, _("%(r)s × the average country") % {"r": g.ratio}) for g in result.groups]),
        (
            "goal",
            [(g.figure, _("%(n)d up to date with their reports") % {"n": g.reporting}) for g in result.goals],
        ),
    ]
    rows = [
        [
            "goal_reporting" if kind == "goal" else kind,
            figure.key[kind],
            figure.partnerships,
            reason,
            figure.url,
        ]
        for kind, figures in reasons
        for figure, reason in figures
    ]
    return _csv("gaps", ["kind", "value", "partnerships", "reason", "list_url"], rows)


@_csv_errors
def interlinkages_csv(request):
    result = _run(selectors.interlinkages, search_params(request.GET), dict(request.GET.lists()))
    rows = [[*link.goals, link.partnerships, link.strength, link.url] for link in result.links]
    return _csv("interlinkages", ["goal", "other_goal", "partnerships", "strength", "list_url"], rows)


class ChampionScoreSerializer(serializers.Serializer):
    partnership = serializers.IntegerField()
    title = serializers.CharField()
    featured = serializers.BooleanField(help_text="Marked as a champion by the secretariat")
    score = serializers.FloatField(help_text="0–100")
    parts = ScorePartSerializer(many=True)


def _champion_row(partnership, score) -> dict:
    return {**score.as_dict(), "title": partnership.title, "featured": partnership.featured}


@extend_schema(responses=ChampionScoreSerializer(many=True))
@api_view(["GET"])
@permission_classes([AllowAny])
def champions(request):
    """Published partnerships with an accepted report, ranked by champion score, each explained."""
    return Response([_champion_row(r.partnership, r.score) for r in ranking()])


@extend_schema(responses=ChampionScoreSerializer)
@api_view(["GET"])
@permission_classes([AllowAny])
def champion(request, pk: int):
    """One partnership's champion score and its breakdown."""
    partnership = visible_partnership(request, pk)
    return Response(_champion_row(partnership, champion_score(partnership)))
