"""Who sees and changes what in a workspace, through the pages and the API (same rules on both)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerhub.lifecycle import services
from partnerhub.lifecycle.models import Activity, Agreement, Lesson, Review, Risk, TaskState
from partnerhub.lifecycle.sections import SECTIONS

from ..conftest import api_as


def url(p, tail=""):
    return f"/partnerships/{p.pk}/workspace/{tail}"


def test_the_public_reads_only_what_a_published_partnership_published(client, world):
    p = world.published
    # The Workspace tab leads a visitor to the first section they may read: its lessons at least.
    response = client.get(url(p))
    assert response.status_code == 302 and response["Location"] == url(p, "lessons/")
    services.sections_publish(partnership=p, sections=["lessons", "risks"], author=world.focal_point)
    assert client.get(url(p))["Location"] == url(p, "risks/")
    services.sections_publish(partnership=p, sections=["checklist"], author=world.focal_point)
    page = client.get(url(p))
    assert page.status_code == 200 and b"Frame the sustainable development challenge" in page.content
    assert client.get(url(p, "risks/")).status_code == 404
    assert client.get(f"/api/v1/partnerships/{p.pk}/risks/").status_code == 404
    assert client.get(f"/api/v1/partnerships/{p.pk}/lifecycle/").status_code == 200
    # A draft shows nothing, published sections or not.
    services.sections_publish(partnership=world.partnership, sections=["checklist"], author=world.focal_point)
    assert client.get(url(world.partnership)).status_code == 404


def test_lessons_carry_their_own_visibility(client, world):
    p = world.published
    lead = p.partners.get(organisation=world.lead_org)
    for title, visibility in (
        ("Shared openly", "public"),
        ("Kept inside", "private"),
        ("No names", "anonymous"),
    ):
        services.record_save(Lesson(partnership=p, title=title, text="…", visibility=visibility, partner=lead),
                             author=world.focal_point)  # fmt: skip
    page = client.get(url(p, "lessons/")).content.decode()
    assert "Shared openly" in page and "No names" in page and "Kept inside" not in page
    assert page.count("Ocean Trust") == 1  # the anonymous lesson does not name its partner
    titles = {row["title"] for row in client.get(f"/api/v1/partnerships/{p.pk}/lessons/").json()}
    assert titles == {"Shared openly", "No names"}
    client.force_login(world.contributor)
    assert "Kept inside" in client.get(url(p, "lessons/")).content.decode()


@pytest.mark.parametrize(("persona", "status"), [("focal_point", 200), ("contributor", 200), ("secretariat", 200),
                                                  ("member", 404), ("outsider", 404)])  # fmt: skip
def test_who_opens_a_draft_workspace(client, world, persona, status):
    client.force_login(world.persona(persona))
    assert client.get(url(world.partnership, "workplan/")).status_code == status


def test_only_the_focal_point_fills_the_risk_register(client, world):
    form = {"area": "reputation", "title": "Greenwashing", "likelihood": "3", "impact": "4", "status": "open"}
    client.force_login(world.contributor)
    assert client.post(url(world.partnership, "records/risks/new/"), form).status_code == 403
    client.force_login(world.focal_point)
    response = client.post(url(world.partnership, "records/risks/new/"), form)
    assert response.status_code == 302
    risk = Risk.objects.get(partnership=world.partnership)
    assert risk.score == 12 and risk.history.first().history_user == world.focal_point
    # A bad form changes nothing and says why.
    response = client.post(url(world.partnership, "records/risks/new/"), {**form, "likelihood": "9"})
    assert response.status_code == 200 and b"is not one of the available choices" in response.content
    assert Risk.objects.count() == 1


def test_a_contributor_updates_their_own_activity_only(client, world, plan):
    client.force_login(world.contributor)
    mine, theirs = plan["analysis"], plan["survey"]
    assert client.get(url(world.partnership, f"records/activities/{theirs.pk}/")).status_code == 403
    response = client.post(url(world.partnership, f"records/activities/{mine.pk}/"),
                           {"status": "delayed", "forecast_end": "2027-03-15", "notes": "Lab closed", "title": "Renamed"})  # fmt: skip
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.forecast_end, mine.title) == ("delayed", date(2027, 3, 15), "Carbon analysis")
    # The API applies the same rule.
    api = api_as(world.contributor)
    base = f"/api/v1/partnerships/{world.partnership.pk}/activities"
    assert api.patch(f"{base}/{theirs.pk}/", {"status": "done"}).status_code == 403
    assert api.patch(f"{base}/{mine.pk}/", {"title": "Renamed"}).status_code == 400
    assert api.patch(f"{base}/{mine.pk}/", {"status": "in_progress"}).status_code == 200


def test_the_work_plan_flags_what_an_upstream_slip_reaches(client, world, plan):
    survey = plan["survey"]
    survey.forecast_end = date(2027, 2, 10)
    services.record_save(survey, author=world.focal_point)
    client.force_login(world.focal_point)
    page = client.get(url(world.partnership, "workplan/")).content.decode()
    assert f'data-at-risk="{plan["analysis"].pk}"' in page and "held up by Mangrove survey" in page


def test_review_panel_members_write_reviews(client, world):
    p = world.partnership
    client.force_login(world.contributor)
    form = {"kind": "midterm", "date": "2027-06-01", "findings": "On track."}
    assert client.post(url(p, "records/reviews/new/"), form).status_code == 403
    services.panel_member_add(partnership=p, user=world.contributor, partner=p.partners.get(organisation=world.partner_org),
                              author=world.focal_point)  # fmt: skip
    assert client.post(url(p, "records/reviews/new/"), form).status_code == 302
    assert Review.objects.get(partnership=p).author == world.contributor


def test_documents_download_as_attachments_to_partners_only(client, world):
    p = world.partnership
    client.force_login(world.focal_point)
    upload = SimpleUploadedFile("MoU signed.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    response = client.post(url(p, "records/agreements/new/"),
                           {"kind": "mou", "title": "MoU", "covers": ["problem", "roles"], "upload": upload})  # fmt: skip
    assert response.status_code == 302
    agreement = Agreement.objects.get(partnership=p)
    assert agreement.covers == ["problem", "roles"]
    client.force_login(world.contributor)
    download = client.get(url(p, f"agreements/{agreement.pk}/document/"))
    assert download.status_code == 200
    assert (
        download["Content-Disposition"].startswith("attachment;")
        and "MoU signed.pdf" in download["Content-Disposition"]
    )
    assert download["X-Content-Type-Options"] == "nosniff" and b"".join(
        download.streaming_content
    ).startswith(b"%PDF")
    client.force_login(world.member)
    assert client.get(url(p, f"agreements/{agreement.pk}/document/")).status_code == 404
    # A renamed file is refused with the reason, and nothing is stored.
    client.force_login(world.focal_point)
    fake = SimpleUploadedFile("contract.pdf", b"<html>not a pdf</html>")
    response = client.post(
        url(p, "records/agreements/new/"), {"kind": "mou", "title": "Fake", "upload": fake}
    )
    assert response.status_code == 200 and "is not a PDF document" in response.content.decode()
    assert Agreement.objects.filter(partnership=p).count() == 1


def test_every_section_page_opens_for_the_focal_point_and_the_secretariat(client, world, plan):
    for user in (world.focal_point, world.secretariat):
        client.force_login(user)
        for section in SECTIONS:
            response = client.get(url(world.partnership, f"{section}/"))
            assert response.status_code == (302 if section == "checklist" else 200), (user, section)
            history = client.get(url(world.partnership, f"{section}/history/")).status_code
            assert history == (404 if section == "resources" else 200), section  # resources: the registry's


def test_checklist_and_history_pages(client, world):
    client.force_login(world.focal_point)
    response = client.post(url(world.partnership, "tasks/3.2/"), {"state": "done", "notes": "Workshop held"})
    assert response.status_code == 302
    assert TaskState.objects.get(partnership=world.partnership, task="3.2").state == "done"
    history = client.get(url(world.partnership, "checklist/history/")).content.decode()
    assert "Workshop held" in history
    for sections in (["framing"], ["framing", "lessons"]):  # a list field's change (it failed the page)
        services.sections_publish(partnership=world.partnership, sections=sections, author=world.focal_point)
    history = client.get(url(world.partnership, "checklist/history/")).content.decode()
    assert "framing, lessons" in history
    assert client.get(url(world.partnership, "tasks/3.3/")).status_code == 404
    # The checklist is a section (its history and comments are under it), shown on the workspace's page.
    response = client.get(url(world.partnership, "checklist/"))
    assert response.status_code == 302 and response["Location"] == url(world.partnership)
    client.logout()
    assert client.get(url(world.partnership, "checklist/")).status_code == 404


# --- API ----------------------------------------------------------------------------------------------------------


def test_lifecycle_endpoint_shape_and_task_update(world):
    api = api_as(world.focal_point)
    base = f"/api/v1/partnerships/{world.partnership.pk}/lifecycle/"
    body = api.get(base).json()
    assert body["stage"] == "initiation"
    assert [m["code"] for m in body["modules"]] == ["A", "B", "C", "D", "E"]
    task = body["modules"][0]["steps"][0]["tasks"][0]
    assert {"code", "title", "state", "owner"} <= set(task) and task["code"] == "1.1"
    lead = world.partnership.partners.get(organisation=world.lead_org)
    response = api.patch(f"{base}tasks/7.1/", {"state": "in_progress", "owner": lead.pk})
    assert response.status_code == 200 and response.json()["owner"] == "Ocean Trust"
    assert api.get(base).json()["stage"] == "implementation"
    assert api.patch(f"{base}tasks/7.1/", {"state": "finished"}).status_code == 400
    assert api_as(world.contributor).patch(f"{base}tasks/7.1/", {"state": "done"}).status_code == 403


def test_records_through_the_api(world, plan):
    api = api_as(world.focal_point)
    base = f"/api/v1/partnerships/{world.partnership.pk}"
    risk = api.post(
        f"{base}/risks/", {"area": "autonomy", "title": "Lead dominates", "likelihood": 2, "impact": 3}
    )
    assert risk.status_code == 201, risk.json()
    assert api.get(f"{base}/risks/").json()[0]["title"] == "Lead dominates"
    cycle = api.patch(f"{base}/activities/{plan['survey'].pk}/", {"depends_on": [plan["analysis"].pk]})
    assert cycle.status_code == 400 and "circle" in cycle.json()["depends_on"][0]
    governance = api.put(
        f"{base}/governance/", {"decision_rules": "Consensus", "lead_partner": plan["lead"].pk}
    )
    assert governance.status_code == 201
    again = api.put(f"{base}/governance/", {"decision_rules": "Consensus, then vote"})
    assert again.status_code == 200 and again.json()["lead_partner"] == plan["lead"].pk
    assert (
        api_as(world.contributor).get(f"{base}/governance/").json()["decision_rules"]
        == "Consensus, then vote"
    )
    assert api_as(None).get(f"{base}/governance/").status_code == 404
    assert api.delete(f"{base}/risks/{risk.json()['id']}/").status_code == 204
    assert Activity.objects.get(pk=plan["survey"].pk).depends_on.count() == 0
