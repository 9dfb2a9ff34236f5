"""The permission matrix: every persona × every write action, through the UI and through the API.

Both surfaces must agree, because both ask the same django-rules permissions.
"""

import pytest
from django.test import Client
from django.urls import reverse

from partnerhub.accounts.models import Membership
from partnerhub.registry.models import Commitment, Partnership

from ..conftest import api_as
from ..factories import UserFactory

PERSONAS = ["visitor", "outsider", "member", "contributor", "focal_point", "secretariat"]

# action -> personas allowed to do it on the draft partnership of `world`
MATRIX = {
    "view": {"contributor", "focal_point", "secretariat"},
    "edit": {"focal_point", "secretariat"},
    "delete": {"focal_point", "secretariat"},
    "submit": {"focal_point"},
    "publish": {"secretariat"},
    "add_commitment": {"contributor", "focal_point", "secretariat"},
    "create": {"member", "contributor", "focal_point", "secretariat"},
    # the focal point administers the lead organisation
    "edit_organisation": {"focal_point", "secretariat"},
    "decide_membership": {"focal_point", "secretariat"},
}

WEB_ONLY = {"decide_membership"}
CASES = [
    (surface, action, persona)
    for surface in ("ui", "api")
    for action in MATRIX
    for persona in PERSONAS
    if not (surface == "api" and action in WEB_ONLY)
]


def ui_client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _commitment_org(world, persona):
    return world.partner_org if persona == "contributor" else world.lead_org


def do_ui(world, action, persona) -> bool:
    p = world.partnership
    client = ui_client(world.persona(persona))
    if action == "view":
        return client.get(reverse("registry:partnership_detail", args=[p.pk])).status_code == 200
    if action == "edit":
        return client.get(reverse("registry:partnership_edit", args=[p.pk])).status_code == 200
    if action == "delete":
        client.post(reverse("registry:partnership_delete", args=[p.pk]))
        return not Partnership.objects.filter(pk=p.pk).exists()
    if action in ("submit", "publish"):
        client.post(reverse("registry:partnership_workflow", args=[p.pk, action]))
        p.refresh_from_db()
        return p.status == ("submitted" if action == "submit" else "published")
    if action == "add_commitment":
        client.post(
            reverse("registry:commitment_create", args=[p.pk]),
            {"organisation": _commitment_org(world, persona).pk, "kind": "in_kind", "in_kind_type": "data",
             "status": "pledged"},
        )  # fmt: skip
        return Commitment.objects.filter(partnership=p).exists()
    if action == "create":
        return client.get(reverse("registry:partnership_create")).status_code == 200
    if action == "edit_organisation":
        return client.get(reverse("registry:organisation_edit", args=[world.lead_org.pk])).status_code == 200
    if action == "decide_membership":
        request = Membership.objects.create(user=UserFactory(), organisation=world.lead_org)
        client.post(
            reverse("registry:membership_decide", args=[world.lead_org.pk, request.pk]),
            {"decision": "approve"},
        )
        request.refresh_from_db()
        return request.status == Membership.Status.APPROVED
    raise AssertionError(action)


def do_api(world, action, persona) -> bool:
    p = world.partnership
    client = api_as(world.persona(persona))
    url = f"/api/v1/partnerships/{p.pk}/"
    if action == "view":
        return client.get(url).status_code == 200
    if action == "edit":
        return client.patch(url, {"title": "Renamed"}, format="json").status_code == 200
    if action == "delete":
        return client.delete(url).status_code == 204
    if action in ("submit", "publish"):
        return client.post(f"{url}{action}/", {}, format="json").status_code == 200
    if action == "add_commitment":
        body = {"partnership": p.pk, "organisation": _commitment_org(world, persona).pk, "kind": "in_kind",
                "in_kind_type": "data"}  # fmt: skip
        return client.post("/api/v1/commitments/", body, format="json").status_code == 201
    if action == "create":
        body = {"title": "New", "summary": "S", "geographic_level": "global",
                "partners": [{"organisation": world.lead_org.pk, "role": "lead"}]}  # fmt: skip
        return client.post("/api/v1/partnerships/", body, format="json").status_code == 201
    if action == "edit_organisation":
        url = f"/api/v1/organisations/{world.lead_org.pk}/"
        return client.patch(url, {"website": "https://ocean.example"}, format="json").status_code == 200
    raise AssertionError(action)


@pytest.mark.parametrize("surface, action, persona", CASES)
def test_permission_matrix(world, surface, action, persona):
    if action == "publish":
        Partnership.objects.filter(pk=world.partnership.pk).update(status=Partnership.Status.SUBMITTED)
    allowed = (do_ui if surface == "ui" else do_api)(world, action, persona)
    expected = persona in MATRIX[action]
    assert allowed == expected, f"{persona} {'could' if allowed else 'could not'} {action} via {surface}"


def test_focal_point_cannot_edit_while_under_review(world):
    Partnership.objects.filter(pk=world.partnership.pk).update(status=Partnership.Status.SUBMITTED)
    assert not do_ui(world, "edit", "focal_point")
    assert not do_api(world, "edit", "focal_point")


def test_contributor_cannot_record_a_commitment_for_another_organisation(world):
    body = {"partnership": world.partnership.pk, "organisation": world.lead_org.pk, "kind": "in_kind",
            "in_kind_type": "data"}  # fmt: skip
    response = api_as(world.contributor).post("/api/v1/commitments/", body, format="json")
    assert response.status_code == 403
    assert not Commitment.objects.exists()


def test_contributor_edits_only_own_commitments(world):
    from partnerhub.registry.models import Partner

    lead_partner = Partner.objects.get(partnership=world.published, organisation=world.lead_org)
    own_partner = Partner.objects.get(partnership=world.published, organisation=world.partner_org)
    theirs = Commitment.objects.create(partnership=world.published, partner=lead_partner, kind="in_kind",
                                       in_kind_type="staff")  # fmt: skip
    mine = Commitment.objects.create(partnership=world.published, partner=own_partner, kind="in_kind",
                                     in_kind_type="data")  # fmt: skip
    client = api_as(world.contributor)
    assert (
        client.patch(f"/api/v1/commitments/{theirs.pk}/", {"description": "x"}, format="json").status_code
        == 403
    )
    assert (
        client.patch(f"/api/v1/commitments/{mine.pk}/", {"description": "ok"}, format="json").status_code
        == 200
    )
    page = ui_client(world.contributor).get(
        reverse("registry:commitment_edit", args=[world.published.pk, theirs.pk])
    )
    assert page.status_code == 403


def test_visitor_sees_only_published_in_lists(world):
    data = api_as(None).get("/api/v1/partnerships/").json()
    assert [row["title"] for row in data["results"]] == ["Published reef partnership"]
    html = ui_client(None).get(reverse("registry:partnership_list")).content.decode()
    assert "Published reef partnership" in html and "Mangrove draft" not in html
