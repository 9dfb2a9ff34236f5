"""The champion score: every part computed from evidence, explained, and the secretariat's mark."""

from datetime import date
from decimal import Decimal

import pytest

from partnerhub.insights.champion import WEIGHTS, champion_score, champion_scores, ranking
from partnerhub.lifecycle.models import HealthCheck
from partnerhub.reference.models import Area
from partnerhub.registry.models import Deliverable, OrganisationType, PartnerRole
from partnerhub.reporting.models import (
    BeneficiaryCount,
    Compliance,
    DeliverableProgress,
    IndicatorValue,
    Report,
)

from ..conftest import api_as
from ..factories import OrganisationFactory, PartnerFactory, PartnershipFactory

TODAY = date(2026, 11, 22)
HEALTH = dict(accountability=5, leadership=5, knowledge=4, internal_communication=4, external_communication=4,
              management=4, inclusiveness=4, equity=4, transparency=4)  # fmt: skip


def _report(p, end, status=Report.Status.ACCEPTED):
    return Report.objects.create(partnership=p, period_start=date(end.year, 1, 1), period_end=end,
                                 overall_status="on_track", summary="Progress.", status=status)  # fmt: skip


@pytest.fixture
def evidenced(reference_data):
    """A partnership with a known amount of every kind of evidence."""
    p = PartnershipFactory(title="Evidenced partnership")
    lead = OrganisationFactory(type=OrganisationType.NGO)
    for org, role in ((lead, PartnerRole.LEAD), (OrganisationFactory(type=OrganisationType.GOVERNMENT_LOCAL), "implementing"),
                      (OrganisationFactory(type=OrganisationType.PRIVATE_MSME), "funding")):  # fmt: skip
        PartnerFactory(partnership=p, organisation=org, role=role)
    p.areas.add(Area.objects.get(iso3="NPL"), Area.objects.get(iso3="FRA"))  # Nepal is an LDC and an LLDC
    Compliance.objects.create(partnership=p, status="reported", cycle_months=12, anchor=date(2024, 1, 1),
                              due_date=date(2027, 1, 1))  # fmt: skip
    first, second = _report(p, date(2025, 6, 30)), _report(p, date(2026, 6, 30))
    _report(p, date(2026, 10, 31), status=Report.Status.SUBMITTED)  # not accepted: does not count
    on_time = Deliverable.objects.create(
        partnership=p, title="A", due_date=date(2025, 12, 31), status="completed"
    )
    late = Deliverable.objects.create(
        partnership=p, title="B", due_date=date(2025, 3, 31), status="completed"
    )
    Deliverable.objects.create(partnership=p, title="C", due_date=date(2026, 3, 31), status="delayed")
    Deliverable.objects.create(partnership=p, title="D", due_date=date(2026, 5, 1), status="cancelled")
    Deliverable.objects.create(
        partnership=p, title="E", due_date=date(2027, 5, 1), status="planned"
    )  # not due
    DeliverableProgress.objects.create(report=first, deliverable=on_time, status="completed")
    DeliverableProgress.objects.create(report=first, deliverable=late, status="completed")
    # Indicator 1: baseline 10, target 20; latest accepted value 15 (an older 12 is superseded) -> 0.5.
    # Indicator 2: reached beyond the target -> 1.0 (capped).
    for report, label, value in ((first, "Hectares", 12), (second, "Hectares", 15), (second, "Schools", 9)):
        IndicatorValue.objects.create(report=report, organisation=lead, label=label, value=Decimal(value),
                                      baseline=Decimal(10 if label == "Hectares" else 0),
                                      target=Decimal(20 if label == "Hectares" else 5), date=report.period_end)  # fmt: skip
    BeneficiaryCount.objects.create(report=second, organisation=lead, group="Farmers", total=100, women=60,
                                    older=10)  # fmt: skip
    HealthCheck.objects.create(
        partnership=p, date=date(2024, 1, 1), is_baseline=True, **{k: 2 for k in HEALTH}
    )
    HealthCheck.objects.create(partnership=p, date=date(2026, 1, 1), **HEALTH)
    return p


def test_every_part_is_computed_from_the_evidence_and_explained(evidenced):
    score = champion_scores([evidenced.pk], today=TODAY)[evidenced.pk]
    parts = {p.key: p for p in score.parts}
    assert [p.weight for p in score.parts] == list(WEIGHTS.values()) and sum(WEIGHTS.values()) == 100
    assert parts["reporting"].value == pytest.approx(0.6 * 1 + 0.4 * 2 / 3, abs=1e-4)
    assert parts["reporting"].reason == "Up to date; 2 report(s) accepted."
    # Due so far (cancelled left out): A on time, B reported after its due date, C not done.
    assert parts["delivery"].value == pytest.approx((1 + 0.5) / 3, abs=1e-4)
    assert parts["delivery"].reason.startswith(
        "1 of 3 deliverables due were reported completed by their due date"
    )
    assert parts["indicators"].value == pytest.approx((0.5 + 1.0) / 2)
    assert "2 indicator(s), on average 75%" in parts["indicators"].reason
    assert parts["health"].value == pytest.approx((38 / 9 - 1) / 4, abs=1e-4)
    assert parts["health"].reason == "Latest health check (2026-01-01): 4.2 of 5. Baseline: 2.0."
    assert parts["mix"].value == 0.8  # civil society, government, business
    assert parts["reach"].value == pytest.approx(0.5 * 1 / 2 + 0.5 * 2 / 4)
    assert parts["reach"].reason == (
        "1 of 2 countries are LDCs, LLDCs or SIDS. Accepted reports count women and girls, older persons."
    )
    assert score.score == round(sum(p.weight * p.value for p in score.parts), 1)


def test_no_evidence_scores_nothing_but_the_partner_mix(reference_data):
    p = PartnershipFactory()
    PartnerFactory(partnership=p, organisation=OrganisationFactory(type=OrganisationType.NGO))
    PartnerFactory(
        partnership=p, organisation=OrganisationFactory(type=OrganisationType.ACADEMIA), role="technical"
    )
    score = champion_score(p)
    assert {pt.key: pt.value for pt in score.parts} == {
        "reporting": 0.0, "delivery": 0.0, "indicators": 0.0, "health": 0.0, "mix": 0.5, "reach": 0.0,
    }  # fmt: skip
    assert score.score == 7.5


def test_ranking_holds_published_partnerships_with_an_accepted_report(evidenced):
    quiet = PartnershipFactory(title="Never reported")
    draft = PartnershipFactory(title="Draft with a report", status="draft", published_at=None)
    _report(draft, date(2026, 6, 30))
    assert [r.partnership.pk for r in ranking()] == [evidenced.pk]
    assert quiet.pk not in [r.partnership.pk for r in ranking()]


def test_pages_api_and_the_secretariats_mark(client, world, evidenced):
    page = client.get("/insights/champions/").content.decode()
    assert (
        "Evidenced partnership" in page and "Deliverables on time" in page and "Mark as champion" not in page
    )
    detail = client.get(f"/partnerships/{evidenced.pk}/").content.decode()
    assert "Champion score" in detail and f"/insights/champions/{evidenced.pk}/" in detail
    data = api_as(None).get(f"/api/v1/insights/champions/{evidenced.pk}/").json()
    assert data["score"] == champion_score(evidenced).score and data["featured"] is False
    assert [p["key"] for p in data["parts"]] == list(WEIGHTS)
    assert api_as(None).get("/api/v1/insights/champions/").json()[0]["partnership"] == evidenced.pk

    client.force_login(world.secretariat)
    assert "Mark as champion" in client.get("/insights/champions/").content.decode()
    response = client.post(f"/partnerships/{evidenced.pk}/feature/", {"next": "/insights/champions/"})
    assert response.status_code == 302 and response["Location"] == "/insights/champions/"
    evidenced.refresh_from_db()
    assert evidenced.featured
    client.post(f"/partnerships/{evidenced.pk}/unfeature/", {"next": "https://evil.example/"})
    evidenced.refresh_from_db()
    assert not evidenced.featured
    client.force_login(world.focal_point)
    assert client.post(f"/partnerships/{evidenced.pk}/feature/").status_code == 403
