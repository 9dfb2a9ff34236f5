"""Coverage, gaps and interlinkages: counting partnerships (never goal tags), money per currency, and
links that list exactly the partnerships a figure counts."""

from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.http import QueryDict
from django.utils import translation

from partnerhub.insights import selectors
from partnerhub.reference.models import Area, Currency, Goal, Target
from partnerhub.registry.filters import PartnershipFilter
from partnerhub.registry.models import Commitment, PartnerRole, Partnership
from partnerhub.registry.search.service import SearchParams, search
from tests.conftest import api_as
from tests.factories import OrganisationFactory, PartnerFactory, PartnershipFactory, index_all

pytestmark = pytest.mark.django_db


def _partnership(goals, countries=(), money=(), orgs=(), **kwargs):
    p = PartnershipFactory(**kwargs)
    p.goals.set(Goal.objects.filter(number__in=goals))
    p.areas.set(Area.objects.filter(iso3__in=countries))
    partners = [
        PartnerFactory(
            partnership=p, organisation=org, role=PartnerRole.LEAD if n == 0 else PartnerRole.IMPLEMENTING
        )
        for n, org in enumerate(orgs)
    ]
    for amount, currency in money:
        Commitment.objects.create(
            partnership=p,
            partner=partners[0],
            kind=Commitment.Kind.FINANCIAL,
            amount=Decimal(amount),
            currency_id=currency,
        )
    return p


@pytest.fixture
def registry(reference_data):
    for code in ("USD", "EUR"):
        Currency.objects.get_or_create(code=code, defaults={"name": code})
    trust, university, bank = (OrganisationFactory(name=n) for n in ("Trust", "University", "Bank"))
    made = {
        "nexus": _partnership(
            [14, 13, 5], ["FJI", "KEN"], [(1000, "USD"), (500, "EUR")], [trust, university]
        ),
        "ocean": _partnership([14], ["FJI"], [(250, "USD"), (250, "USD")], [trust]),
        "climate": _partnership([13], ["KEN", "BOL"], [(70, "EUR")], [bank, university]),
        "draft": _partnership([14], ["FJI"], [(9999, "USD")], [bank], status=Partnership.Status.DRAFT),
    }
    index_all()
    return made


def _rows(coverage):
    return {next(iter(f.key.values())): f for f in coverage.rows}


def _listed(url: str) -> set[int]:
    """The partnerships the browse list at `url` shows."""
    query = parse_qs(urlparse(url).query)
    data = QueryDict(mutable=True)
    for key, values in query.items():
        data.setlist(key, values)
    filterset = PartnershipFilter(data, queryset=Partnership.objects.none())
    assert filterset.is_valid(), filterset.errors
    return set(search(filterset.to_search(limit=200)).ids)


def test_partnerships_in_several_goals_and_countries_count_once_in_each_and_once_in_total(registry):
    coverage = selectors.coverage(SearchParams(), ["goal"])
    rows = _rows(coverage)
    assert coverage.total.partnerships == 3  # the draft is not counted
    assert rows["14"].partnerships == 2 and rows["13"].partnerships == 2 and rows["5"].partnerships == 1
    assert rows["1"].partnerships == 0  # every goal is listed, zeros included
    assert sum(f.partnerships for f in coverage.rows) == 5 > coverage.total.partnerships
    countries = _rows(selectors.coverage(SearchParams(), ["country"]))
    assert countries["FJI"].partnerships == 2 and countries["KEN"].partnerships == 2
    assert countries["BOL"].partnerships == 1


def test_distinct_partners_are_organisations_not_roles(registry):
    coverage = selectors.coverage(SearchParams(), ["goal"])
    rows = _rows(coverage)
    assert coverage.total.partners == 3
    assert rows["14"].partners == 2  # the trust is in both goal-14 partnerships, counted once
    assert rows["13"].partners == 3


def test_organisations_are_ranked_by_the_published_partnerships_they_are_in(registry):
    found = selectors.organisations(SearchParams())
    assert [(name, n) for _pk, name, _type, n in found.top] == [("Trust", 2), ("University", 2), ("Bank", 1)]
    assert sum(n for _type, _label, n in found.by_type) == 3
    ocean = selectors.organisations(SearchParams(filters={"goal": ["14"]}))
    assert [(name, n) for _pk, name, _type, n in ocean.top] == [("Trust", 2), ("University", 1)]


def test_money_is_summed_per_currency_and_never_across_currencies(registry):
    coverage = selectors.coverage(SearchParams(), ["goal"])
    assert coverage.total.resources == {"EUR": 570.0, "USD": 1500.0}
    rows = _rows(coverage)
    assert rows["14"].resources == {"EUR": 500.0, "USD": 1500.0}
    assert rows["13"].resources == {"EUR": 570.0, "USD": 1000.0}
    assert rows["1"].resources == {}


def test_filters_apply_to_every_figure(registry):
    coverage = selectors.coverage(SearchParams(filters={"country": ["KEN"]}), ["goal"])
    assert coverage.total.partnerships == 2
    assert _rows(coverage)["14"].partnerships == 1


def test_two_dimensions_give_cells_that_link_to_exactly_what_they_count(registry):
    query = {"goal": ["14"]}
    params = SearchParams(filters={"goal": ["14"]})
    coverage = selectors.coverage(params, ["goal", "country"], query)
    cells = {(f.key["goal"], f.key["country"]): f for f in coverage.cells}
    assert cells[("14", "FJI")].partnerships == 2
    assert cells[("13", "KEN")].partnerships == 1
    assert "also=goal%3A13" in cells[("13", "KEN")].url  # narrows the list instead of widening it
    for figure in [*coverage.cells, *coverage.rows]:
        assert len(_listed(figure.url)) == figure.partnerships, figure.url


def test_interlinkages_count_partnerships_combining_goals(registry):
    result = selectors.interlinkages(SearchParams())
    i14, i13, i5 = 13, 12, 4
    assert result.matrix[i14][i13] == result.matrix[i13][i14] == 1
    assert result.matrix[i14][i14] == 2
    assert result.matrix[i14][i5] == 1
    top = result.links[0]
    assert top.partnerships == 1
    for link in result.links:
        assert len(_listed(link.url)) == link.partnerships
    assert {link.goals for link in result.links} == {("5", "13"), ("5", "14"), ("13", "14")}
    strength = {link.goals: link.strength for link in result.links}
    assert strength[("13", "14")] == pytest.approx(1 / 3, abs=0.001)  # 1 with both / 3 with either


def test_gaps_list_uncovered_targets_and_under_served_groups(registry):
    Partnership.objects.get(title=registry["ocean"].title).targets.set([Target.objects.get(code="14.1")])
    index_all()
    result = selectors.gaps(SearchParams())
    uncovered = {g.figure.key["target"] for g in result.targets if g.figure.partnerships == 0}
    assert "14.1" not in uncovered and "14.2" in uncovered and len(uncovered) == 168
    groups = {g.figure.key["group"]: g for g in result.groups}
    assert groups["SIDS"].figure.partnerships == 2  # Fiji
    assert groups["SIDS"].ratio is not None and groups["SIDS"].ratio > 1
    assert {g.figure.key["goal"] for g in result.goals} == {str(n) for n in range(1, 18)}


def test_api_coverage_and_csv(registry):
    with translation.override("en"):
        response = api_as(None).get("/api/v1/insights/coverage/?by=goal,country&country=FJI")
    assert response.status_code == 200
    body = response.json()
    assert body["total"]["partnerships"] == 2
    assert {(c["goal"], c["country"]) for c in body["cells"]} >= {("14", "FJI"), ("13", "FJI")}
    bad = api_as(None).get("/api/v1/insights/coverage/?by=goal,planet")
    assert bad.status_code == 400 and "planet" in str(bad.json()["by"])
    assert api_as(None).get("/api/v1/insights/coverage/?by=goal,goal").status_code == 400
    csv = api_as(None).get("/api/v1/insights/coverage.csv?by=goal")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("goal,goal_name,partnerships,partners,committed_EUR,committed_USD")
    assert lines[14].startswith("14,") and ",2,2,500.0,1500.0," in lines[14]
    assert api_as(None).get("/api/v1/insights/coverage.csv?by=x").status_code == 400
    for name in ("gaps", "interlinkages"):
        assert api_as(None).get(f"/api/v1/insights/{name}/").status_code == 200
        assert api_as(None).get(f"/api/v1/insights/{name}.csv").status_code == 200


def test_the_list_a_figure_opens_says_what_also_requires_and_can_drop_it(client, reference_data):
    _partnership([14, 13], title="Reefs and climate")
    _partnership([14], title="Reefs only")
    index_all()
    with translation.override("en"):
        html = client.get("/partnerships/?goal=14&also=goal:13").content.decode()
    assert "Reefs and climate" in html and "Reefs only" not in html
    note = html.split('class="also-note"')[1].split("</p>")[0]
    assert "13. Climate action" in note
    assert 'href="?goal=14"' in note  # the same list without the condition
    assert '<input type="hidden" name="also" value="goal:13">' in html  # a new search keeps it
