"""The reporting and due-diligence pages render for the people allowed to see them, and a report can be
written and submitted through the HTML form."""

from datetime import UTC, date, datetime

import time_machine

from partnerhub.reporting.models import Report
from tests.reporting.test_reporting import reporting_world  # noqa: F401  (fixture)


@time_machine.travel(datetime(2025, 3, 1, 12, tzinfo=UTC), tick=False)
def test_focal_point_writes_and_submits_a_report_in_the_browser_forms(reporting_world, client):  # noqa: F811
    w = reporting_world
    p = w.published
    deliverable = p.deliverables.get()
    client.force_login(w.focal_point)
    page = client.get(f"/partnerships/{p.pk}/reports/new/")
    assert page.status_code == 200 and "Train 200 rangers" in page.content.decode()
    form = {
        "period_start": "2024-01-10", "period_end": "2025-01-09", "overall_status": "on_track",
        "summary": "Trained 120 rangers.", "is_public": "on",
        "progress-TOTAL_FORMS": "1", "progress-INITIAL_FORMS": "1",
        "progress-0-deliverable": str(deliverable.pk), "progress-0-status": "in_progress", "progress-0-percent": "60",
        "ben-TOTAL_FORMS": "1", "ben-INITIAL_FORMS": "0", "ben-0-organisation": str(w.lead_org.pk),
        "ben-0-group": "Rangers", "ben-0-total": "120", "ben-0-women": "200",
        "ind-TOTAL_FORMS": "1", "ind-INITIAL_FORMS": "0", "res-TOTAL_FORMS": "1", "res-INITIAL_FORMS": "0",
    }  # fmt: skip
    refused = client.post(f"/partnerships/{p.pk}/reports/new/", form)
    assert refused.status_code == 200 and "larger than the total" in refused.content.decode()
    assert not Report.objects.exists()
    done = client.post(f"/partnerships/{p.pk}/reports/new/", {**form, "ben-0-women": "50"})
    report = Report.objects.get()
    assert done.status_code == 302 and report.beneficiaries.get().women == 50
    assert report.deliverables.get().percent == 60 and report.period_end == date(2025, 1, 9)
    client.post(f"/reports/{report.pk}/submit/")
    report.refresh_from_db()
    assert report.status == "submitted"
    client.force_login(w.secretariat)
    for url in ("/secretariat/follow-up/", "/secretariat/diligence/", f"/reports/{report.pk}/",
                f"/partnerships/{p.pk}/reports/", f"/partnerships/{p.pk}/"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    client.post(f"/reports/{report.pk}/accept/", {"comment": "Thanks."})
    report.refresh_from_db()
    assert report.status == "accepted"
    overview = client.get(f"/partnerships/{p.pk}/").content.decode()
    assert "Trained 120 rangers." in overview  # public reports on the partnership page


def test_edit_form_shows_the_smart_check_with_what_to_add(world, client):
    client.force_login(world.focal_point)
    page = client.get(f"/partnerships/{world.partnership.pk}/edit/").content.decode()
    assert "SMART check" in page and "To add:" in page and "set an end date" in page


def test_secretariat_pages_are_closed_to_others(reporting_world, client):  # noqa: F811
    client.force_login(reporting_world.focal_point)
    assert client.get("/secretariat/follow-up/").status_code == 403
    assert client.get("/secretariat/diligence/").status_code == 403
