"""Insight pages: the dashboard (map, charts, interlinkages, gaps), goal and country profiles. Every
figure is a link to the partnerships it counts; every chart has its CSV next to it (the API's)."""

import math
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from partnerhub.reference.models import Area, Goal
from partnerhub.registry.filters import PartnershipFilter
from partnerhub.registry.models import Partnership
from partnerhub.registry.search.present import value_labels
from partnerhub.registry.search.service import SearchParams
from partnerhub.registry.views.common import visible_partnership

from . import selectors, worldmap
from .champion import WEIGHTS, champion_score, ranking

DASHBOARD_FILTERS = ("q", "goal", "region", "group", "organisation_type", "stage", "category")


def _filters(
    request, **fixed: str
) -> tuple[PartnershipFilter, SearchParams, dict[str, list[str]], list[str]]:
    """The browse filters of the page (plus the profile's own, `fixed`), the search they make, the query
    the figures link from, and any errors."""
    data = request.GET.copy()
    for key, value in fixed.items():
        data.setlist(key, [value])
    filterset = PartnershipFilter(data, queryset=Partnership.objects.none())
    if not filterset.is_valid():
        errors = [f"{name}: {' '.join(msgs)}" for name, msgs in filterset.errors.items()]
        return filterset, SearchParams(), {}, errors
    return filterset, filterset.to_search(limit=1, facets=False), dict(data.lists()), []


def _csv_links(query: dict[str, list[str]]) -> dict[str, str]:
    qs = urlencode([(k, v) for k, vs in query.items() for v in vs if k not in ("by", "cursor")])
    sep = "&" if qs else ""
    return {
        "goal": f"{reverse('api:insights-coverage-csv')}?by=goal{sep}{qs}",
        "country": f"{reverse('api:insights-coverage-csv')}?by=country{sep}{qs}",
        "goal_region": f"{reverse('api:insights-coverage-csv')}?by=goal,region{sep}{qs}",
        "target": f"{reverse('api:insights-coverage-csv')}?by=target{sep}{qs}",
        "orgtype": f"{reverse('api:insights-coverage-csv')}?by=organisation_type{sep}{qs}",
        "compliance": f"{reverse('api:insights-coverage-csv')}?by=compliance{sep}{qs}",
        "gaps": f"{reverse('api:insights-gaps-csv')}?{qs}",
        "interlinkages": f"{reverse('api:insights-interlinkages-csv')}?{qs}",
    }


def world_map(coverage: selectors.Coverage) -> dict:
    """The choropleth: each country's shape, count, colour class and link (to its profile)."""
    by_iso3 = {f.key["country"]: f for f in coverage.rows}
    codes = dict(Area.objects.filter(kind=Area.Kind.COUNTRY).values_list("code", "iso3"))
    counts = [f.partnerships for f in coverage.rows]
    bounds = worldmap.bins(counts)
    countries = []
    for shape in worldmap.shapes():
        iso3 = codes.get(shape.m49)
        figure = by_iso3.get(iso3) if iso3 else None
        count = figure.partnerships if figure else 0
        countries.append(
            {
                "path": shape.path,
                "iso3": iso3,
                "name": figure.labels["country"] if figure else shape.name,
                "count": count,
                "colour": worldmap.colour_class(count, bounds),
                "url": reverse("insights:country", args=[iso3]) if iso3 else "",
            }
        )
    legend = []
    low = 1
    for k, bound in enumerate(bounds, 1):
        legend.append({"colour": k, "label": f"{low}–{bound}" if bound > low else str(bound)})
        low = bound + 1
    return {"countries": countries, "legend": legend, "width": worldmap.WIDTH, "height": worldmap.HEIGHT}


def _bars(figures: list[selectors.Figure]) -> list[dict]:
    top = max((f.partnerships for f in figures), default=0) or 1
    return [{"figure": f, "share": round(100 * f.partnerships / top, 1)} for f in figures]


def heat_cell(figure, top: int) -> dict:
    """A cell's shade of blue from its count (as a share of the largest). Shades whose text would be
    hard to read in either colour (below 4.5:1, WCAG AA) are skipped: the upper half of the counts is
    dark with white text, the lower half light with dark text."""
    share = figure.partnerships / top
    dark = share > 0.5
    return {
        "figure": figure,
        "shade": round(0.75 + (share - 0.5) / 2 if dark else share * 0.6, 2),
        "dark": dark,
    }


def heat_map(coverage: selectors.Coverage, columns: list[str]) -> dict:
    """Goal × region: rows of cells with a shade from the cell's count."""
    cells = {(f.key["goal"], f.key["region"]): f for f in coverage.cells}
    top = max((f.partnerships for f in coverage.cells), default=0) or 1
    names = value_labels().get("region", {})
    labels = {c: names.get(c, c) for c in columns}
    rows = []
    for goal in coverage.rows:
        g = goal.key["goal"]
        rows.append(
            {
                "goal": goal,
                "cells": [
                    heat_cell(cells[(g, c)], top)
                    if (g, c) in cells
                    else {"figure": None, "shade": 0, "dark": False}
                    for c in columns
                ],
            }
        )
    return {"columns": [(c, labels[c]) for c in columns], "rows": rows}


def network(result: selectors.Interlinkages, size: int = 420) -> dict:
    """The goals on a circle, linked by the partnerships that combine them (width by count)."""
    goals = {g.number: g for g in Goal.objects.all()}
    centre, radius = size / 2, size / 2 - 40
    top = max((f.partnerships for f in result.goals), default=0) or 1
    nodes = {}
    for i, figure in enumerate(result.goals):
        angle = -math.pi / 2 + 2 * math.pi * i / len(result.goals)
        number = int(figure.key["goal"])
        nodes[figure.key["goal"]] = {
            "x": round(centre + radius * math.cos(angle), 1),
            "y": round(centre + radius * math.sin(angle), 1),
            "r": round(8 + 14 * math.sqrt(figure.partnerships / top), 1),
            "figure": figure,
            "goal": goals.get(number),
        }
    strongest = max((link.partnerships for link in result.links), default=0) or 1
    edges = [
        {
            "a": nodes[link.goals[0]],
            "b": nodes[link.goals[1]],
            "width": round(1 + 9 * link.partnerships / strongest, 1),
            "link": link,
        }
        for link in result.links
    ]
    return {"size": size, "nodes": list(nodes.values()), "edges": edges}


def dashboard(request):
    """The public dashboard; `?screen=1` is the big-screen view for a Forum room."""
    filterset, params, query, errors = _filters(request)
    context: dict = {"filter": filterset, "errors": errors, "screen": request.GET.get("screen") == "1"}
    if not errors:
        try:
            by_goal = selectors.coverage(params, ["goal"], query)
            goal_region = selectors.coverage(params, ["goal", "region"], query)
            links = selectors.interlinkages(params, query)
            gaps = selectors.gaps(params, query)
            by_country = gaps.by_country
        except ValidationError as error:
            context["errors"] = [m for msgs in error.message_dict.values() for m in msgs]
        else:
            regions = selectors.universe("region")
            context.update(
                total=by_goal.total,
                countries_covered=sum(1 for f in by_country.rows if f.partnerships),
                goals_covered=sum(1 for f in by_goal.rows if f.partnerships),
                goal_bars=_bars(by_goal.rows),
                map=world_map(by_country),
                heat=heat_map(goal_region, regions),
                network=network(links),
                links=links.links[:10],
                gaps=gaps,
                uncovered_targets=[g for g in gaps.targets if g.figure.partnerships == 0],
                csv=_csv_links(query),
                query=urlencode([(k, v) for k, vs in query.items() for v in vs]),
            )
    return render(request, "insights/dashboard.html", context)


def goal_profile(request, number: int):
    goal = get_object_or_404(Goal, number=number)
    filterset, params, query, errors = _filters(request, goal=str(number))
    context: dict = {"goal": goal, "filter": filterset, "errors": errors}
    if not errors:
        targets = selectors.coverage(params, ["target"], query)
        prefix = f"{number}."
        context.update(
            total=targets.total,
            targets=_bars([f for f in targets.rows if f.key["target"].startswith(prefix)]),
            map=world_map(selectors.coverage(params, ["country"], query)),
            compliance=_bars(selectors.coverage(params, ["compliance"], query).rows),
            organisations=selectors.organisations(params),
            lessons=selectors.lessons(params),
            related=[
                link for link in selectors.interlinkages(params, query).links if str(number) in link.goals
            ][:8],
            csv=_csv_links(query),
            list_url=f"{reverse('registry:partnership_list')}?goal={number}",
        )
    return render(request, "insights/goal_profile.html", context)


def country_profile(request, iso3: str):
    country = Area.objects.filter(kind=Area.Kind.COUNTRY, iso3=iso3.upper()).first()
    if country is None:
        raise Http404
    filterset, params, query, errors = _filters(request, country=country.iso3)
    context: dict = {"country": country, "filter": filterset, "errors": errors}
    if not errors:
        goals = selectors.coverage(params, ["goal"], query)
        context.update(
            total=goals.total,
            goal_bars=_bars(goals.rows),
            uncovered_goals=[f for f in goals.rows if not f.partnerships],
            organisations=selectors.organisations(params),
            stages=_bars(selectors.coverage(params, ["stage"], query).rows),
            compliance=_bars(selectors.coverage(params, ["compliance"], query).rows),
            groups=list(country.groups.all()),
            csv=_csv_links(query),
            list_url=f"{reverse('registry:partnership_list')}?country={country.iso3}",
        )
    return render(request, "insights/country_profile.html", context)


def champions(request):
    """Partnerships ranked by their champion score, each with its breakdown; the secretariat marks champions
    (featured on the home page) from here."""
    rows = ranking()
    # Marking a champion is featuring it (registry.feature_partnership); every ranked row is published.
    can_mark = bool(rows) and request.user.has_perm("registry.feature_partnership", rows[0].partnership)
    return render(
        request, "insights/champions.html", {"rows": rows, "weights": WEIGHTS, "can_mark": can_mark}
    )


def champion(request, pk: int):
    partnership = visible_partnership(request, pk)
    return render(request, "insights/champion.html", {
        "partnership": partnership, "score": champion_score(partnership), "weights": WEIGHTS,
        "can_mark": request.user.has_perm("registry.feature_partnership", partnership),
    })  # fmt: skip
