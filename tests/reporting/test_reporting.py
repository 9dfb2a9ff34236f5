"""Progress reports through their workflow, the daily job, reminders, delisting and the API."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from partnerhub.registry.models import Deliverable, SearchDocument
from partnerhub.registry.search.service import SearchParams, search
from partnerhub.reporting import services
from partnerhub.reporting.compliance import daily_job
from partnerhub.reporting.models import Compliance, Reminder, Report
from partnerhub.reporting.periodic import enqueue_due
from tests.conftest import api_as

PUBLISHED = datetime(2024, 1, 10, 9, tzinfo=UTC)


@pytest.fixture
def reporting_world(world):
    p = world.published
    p.published_at = PUBLISHED
    p.save(update_fields=["published_at"])
    Deliverable.objects.create(partnership=p, title="Train 200 rangers", due_date=date(2025, 6, 30))
    world.focal_point.email = "focal@example.org"
    world.focal_point.save()
    return world


def _data(world, **extra) -> services.ReportData:
    deliverable = world.published.deliverables.get()
    values = {
        "period_start": date(2024, 1, 10),
        "period_end": date(2025, 1, 9),
        "overall_status": "on_track",
        "summary": "Trained 120 rangers in four provinces.",
        "deliverables": [services.ProgressData(deliverable=deliverable, status="in_progress", percent=60)],
        "beneficiaries": [
            services.BeneficiaryData(
                organisation=world.lead_org, group="Rangers", total=120, women=50, men=70
            )
        ],
    }
    values.update(extra)
    return services.ReportData(**values)


@time_machine.travel(datetime(2025, 3, 1, 12, tzinfo=UTC), tick=False)
def test_report_cycle_from_draft_to_accepted_restarts_the_schedule(reporting_world):
    w = reporting_world
    daily_job()
    assert Compliance.objects.get(pk=w.published.pk).status == "overdue"  # due 10 Jan 2025
    report = services.report_create(partnership=w.published, author=w.focal_point, data=_data(w))
    # A contributor adds their organisation's figures before the focal point submits.
    contribution = services.report_data_of(report)
    contribution.indicator_values = [
        services.IndicatorValueData(
            organisation=w.partner_org, label="Reef cover", unit="%", value=31, date=date(2025, 1, 5)
        )
    ]
    services.report_update(
        report=report, author=w.contributor, data=contribution, own_only={w.partner_org.pk}
    )
    report.refresh_from_db()
    assert report.summary == "Trained 120 rangers in four provinces."  # the narrative is not theirs to change
    assert report.beneficiaries.count() == 1 and report.indicator_values.count() == 1
    services.report_submit(report=report, author=w.focal_point)
    services.report_return(report=report, reviewer=w.secretariat, comment="Add the resources mobilised.")
    assert report.status == Report.Status.RETURNED
    services.report_submit(report=report, author=w.focal_point)
    services.report_accept(report=report, reviewer=w.secretariat)
    row = Compliance.objects.get(pk=w.published.pk)
    assert (row.status, row.anchor, row.due_date) == ("reported", date(2025, 1, 9), date(2026, 1, 9))
    doc = SearchDocument.objects.get(pk=w.published.pk)
    assert "compliance:reported" in doc.facets.split()


@time_machine.travel(datetime(2025, 3, 1, 12, tzinfo=UTC), tick=False)
def test_bad_report_is_refused_field_by_field_and_changes_nothing(reporting_world):
    w = reporting_world
    bad = _data(
        w,
        period_end=date(2026, 1, 1),
        beneficiaries=[services.BeneficiaryData(organisation=w.lead_org, group="", total=10, women=8, men=7)],
        resources=[services.ResourceData(organisation=w.other_org, kind="financial")],
    )
    with pytest.raises(ValidationError) as error:
        services.report_create(partnership=w.published, author=w.focal_point, data=bad)
    keys = set(error.value.message_dict)
    assert {"period_end", "beneficiaries.0.group", "beneficiaries.0.women", "resources.0.organisation",
            "resources.0.amount"} <= keys  # fmt: skip
    assert not Report.objects.exists()


@time_machine.travel(datetime(2025, 3, 1, 12, tzinfo=UTC), tick=False)
def test_contributor_cannot_write_another_organisations_figures(reporting_world):
    w = reporting_world
    report = services.report_create(partnership=w.published, author=w.focal_point, data=_data(w))
    theirs = services.report_data_of(report)
    theirs.beneficiaries = [services.BeneficiaryData(organisation=w.lead_org, group="x", total=1)]
    with pytest.raises(ValidationError) as error:
        services.report_update(report=report, author=w.contributor, data=theirs, own_only={w.partner_org.pk})
    assert "beneficiaries.0.organisation" in error.value.message_dict
    assert report.beneficiaries.get().total == 120


def test_daily_job_twice_the_same_day_sends_nothing_twice(reporting_world):
    with time_machine.travel(datetime(2024, 12, 11, 8, tzinfo=UTC), tick=False):  # 30 days before 10 Jan
        first = daily_job()
        assert first["reminders"] == 1
        assert daily_job()["reminders"] == 0
        assert enqueue_due() == [
            "reporting.daily_compliance",
            "registry.refresh_statistics",
            "assist.refresh_readings",
        ]  # claimed once a day
        assert enqueue_due() == []
    assert [m.to for m in mail.outbox] == [["focal@example.org"]]
    assert "30 days" in mail.outbox[0].subject
    with time_machine.travel(datetime(2025, 1, 10, 8, tzinfo=UTC), tick=False):
        assert daily_job()["reminders"] == 1  # on the due date
    with time_machine.travel(datetime(2025, 5, 1, 8, tzinfo=UTC), tick=False):  # missed days: latest one only
        assert daily_job()["reminders"] == 1
    kinds = list(Reminder.objects.order_by("sent_at").values_list("kind", flat=True))
    assert kinds == ["before_30", "on_due", "after_90"]


def test_report_awaiting_review_silences_reminders(reporting_world):
    w = reporting_world
    with time_machine.travel(datetime(2025, 1, 5, 8, tzinfo=UTC), tick=False):
        report = services.report_create(
            partnership=w.published, author=w.focal_point, data=_data(w, period_end=date(2025, 1, 4))
        )
        services.report_submit(report=report, author=w.focal_point)
        mail.outbox.clear()
        assert daily_job()["reminders"] == 0


def test_delisted_partnership_leaves_default_search_but_stays_reachable(reporting_world, client):
    w = reporting_world
    with time_machine.travel(datetime(2027, 1, 1, 8, tzinfo=UTC), tick=False):
        daily_job()
        assert Compliance.objects.get(pk=w.published.pk).status == "inactive"
        services.delist(partnership=w.published, actor=w.secretariat, reason="Never reported.")
        assert w.published.pk not in search(SearchParams()).ids
        assert "delisted" not in search(SearchParams()).facets.get("compliance", {})
        found = search(SearchParams(filters={"compliance": ["delisted"]}))
        assert found.ids == [w.published.pk]
        page = client.get(w.published.get_absolute_url())
        assert page.status_code == 200 and "Never reported." in page.content.decode()
        daily_job()  # the job never lists it again by itself
        assert Compliance.objects.get(pk=w.published.pk).status == "delisted"
        counts = api_as(None).get("/api/v1/reporting/compliance/").json()["counts"]
        assert counts["delisted"] == 1 and set(counts) == {
            "reported",
            "due_soon",
            "overdue",
            "seriously_overdue",
            "inactive",
            "delisted",
        }
        # A registry entry that reports again is listed again when the report is accepted.
        report = services.report_create(
            partnership=w.published, author=w.focal_point, data=_data(w, period_end=date(2026, 12, 31))
        )
        services.report_submit(report=report, author=w.focal_point)
        services.report_accept(report=report, reviewer=w.secretariat)
        assert Compliance.objects.get(pk=w.published.pk).status == "reported"
        assert w.published.pk in search(SearchParams()).ids


@time_machine.travel(datetime(2025, 3, 1, 12, tzinfo=UTC), tick=False)
def test_report_api_permissions_and_field_errors(reporting_world):
    w = reporting_world
    deliverable = w.published.deliverables.get()
    body = {
        "partnership": w.published.pk, "period_start": "2024-01-10", "period_end": "2024-12-31",
        "overall_status": "on_track", "summary": "Progress.",
        "deliverables": [{"deliverable": deliverable.pk, "status": "completed"}],
    }  # fmt: skip
    assert api_as(w.member).post("/api/v1/reports/", body, format="json").status_code == 403
    bad = api_as(w.focal_point).post("/api/v1/reports/", {**body, "period_end": "2023-01-01"}, format="json")
    assert bad.status_code == 400 and "period_end" in bad.json()
    created = api_as(w.focal_point).post("/api/v1/reports/", body, format="json")
    assert created.status_code == 201, created.json()
    rid = created.json()["id"]
    assert api_as(None).get(f"/api/v1/reports/{rid}/").status_code == 404  # a draft is not public
    assert api_as(w.focal_point).post(f"/api/v1/reports/{rid}/submit/").status_code == 200
    assert api_as(w.focal_point).post(f"/api/v1/reports/{rid}/accept/").status_code == 403
    accepted = api_as(w.secretariat).post(f"/api/v1/reports/{rid}/accept/", {"comment": "ok"}, format="json")
    assert accepted.json()["status"] == "accepted"
    assert api_as(None).get(f"/api/v1/reports/{rid}/").status_code == 200
    detail = api_as(None).get(f"/api/v1/partnerships/{w.published.pk}/").json()
    assert detail["compliance"]["status"] == "reported"
    assert [c["letter"] for c in detail["smart"]["criteria"]] == ["S", "M", "A", "R", "T"]
