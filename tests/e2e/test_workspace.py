"""The workspace in Chromium: a focal point plans, a slip upstream flags what depends on it, and a partner
from another organisation cannot change the lead organisation's activity."""

import re

from playwright.sync_api import expect

from partnerhub.registry.models import PartnerRole, Partnership

from ..factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnerFactory,
    PartnershipFactory,
    UserFactory,
)
from .test_journeys import log_in


def row(page, title):
    """The activity's own row (its title is in the first cell; other rows may name it as a dependency)."""
    return page.locator("table.activities tr", has=page.locator("td:first-child", has_text=title))


def test_focal_point_plans_and_sees_a_slip_flagged_and_a_partner_cannot_edit_it(site, page, browser):
    focal, partner_user = UserFactory(username="leila"), UserFactory(username="tomas")
    lead_org, uni = OrganisationFactory(name="Reef Trust"), OrganisationFactory(name="Island University")
    MembershipFactory(user=focal, organisation=lead_org)
    MembershipFactory(user=partner_user, organisation=uni)
    p = PartnershipFactory(title="Coral nurseries", status=Partnership.Status.DRAFT, published_at=None)
    PartnerFactory(partnership=p, organisation=lead_org, role=PartnerRole.LEAD)
    PartnerFactory(partnership=p, organisation=uni, role=PartnerRole.TECHNICAL)
    p.focal_points.add(focal)

    log_in(page, site, "leila")
    page.goto(f"{site}/partnerships/{p.pk}/")
    page.get_by_role("link", name="Workspace").click()
    expect(page.locator(".stage-now")).to_contain_text("Initiation")
    expect(page.locator(".wheel svg path")).to_have_count(12)

    # Risk register (task 3.2).
    page.locator(".ws-nav").get_by_role("link", name="Rewards and risks").click()
    page.get_by_role("link", name="Add a risk").click()
    page.get_by_label("Area").select_option("implementation")
    page.locator("#id_title").fill("Bleaching kills nursery stock")
    page.get_by_label("Likelihood").select_option("4")
    page.get_by_label("Impact").select_option("5")
    page.get_by_label("Owner").select_option(label="Reef Trust")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".risk-register")).to_contain_text("4 × 5 = 20")

    # Work plan: a component, the lead's activity and the university's activity that needs its output.
    page.locator(".ws-nav").get_by_role("link", name="Work plan").click()
    page.get_by_role("link", name="Add a component").click()
    page.get_by_label("Title").fill("Nurseries")
    page.get_by_label("Reef Trust").check()
    page.get_by_role("button", name="Save").click()
    for title, start, end, who, needs in (("Collect fragments", "2027-01-04", "2027-01-31", "Reef Trust", None),
                                          ("Genetic screening", "2027-02-01", "2027-02-26", "Island University", "Collect fragments")):  # fmt: skip
        page.get_by_role("link", name="Add an activity").click()
        page.get_by_label("Component").select_option(label="Nurseries")
        page.get_by_label("Title").fill(title)
        page.locator("fieldset, .field").filter(has_text="Responsible partners").get_by_label(who).check()
        page.get_by_label("Start").fill(start)
        page.locator("#id_end").fill(end)
        if needs:
            page.locator(".field").filter(has_text="Needs the output of").get_by_label(needs).check()
        page.get_by_role("button", name="Save").click()
        expect(page.locator("table.activities")).to_contain_text(title)
    expect(page.locator("#at-risk")).to_have_count(0)
    expect(page.locator(".tag-critical")).to_have_count(2)

    # The upstream activity slips: the dependent one is flagged, with the cause.
    row(page, "Collect fragments").get_by_role("link", name="Edit").click()
    page.get_by_label("Expected end").fill("2027-02-12")
    page.get_by_label("Status").select_option("delayed")
    page.get_by_role("button", name="Save").click()
    flagged = page.locator("#at-risk li", has_text="Genetic screening")
    expect(flagged).to_contain_text("held up by Collect fragments")
    expect(page.locator("tr.at-risk", has_text="Genetic screening")).to_be_visible()
    expect(page.locator(".gantt .g-at-risk")).to_have_count(2)
    page.locator(".ws-nav").get_by_role("link", name="Cycle and checklist").click()
    expect(page.locator(".stage-now")).to_contain_text("Formation")

    # The university's member edits their own activity, but not the lead organisation's.
    other = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    log_in(other, site, "tomas")
    other.goto(f"{site}/partnerships/{p.pk}/workspace/workplan/")
    expect(row(other, "Genetic screening").get_by_role("link", name="Edit")).to_be_visible()
    expect(row(other, "Collect fragments").get_by_role("link", name="Edit")).to_have_count(0)
    from partnerhub.lifecycle.models import Activity

    upstream = Activity.objects.get(title="Collect fragments")
    response = other.goto(f"{site}/partnerships/{p.pk}/workspace/records/activities/{upstream.pk}/")
    assert response is not None and response.status == 403
    other.goto(f"{site}/partnerships/{p.pk}/workspace/workplan/")
    row(other, "Genetic screening").get_by_role("link", name="Edit").click()
    expect(other.get_by_label("Title")).to_have_count(0)  # only status, expected end and notes are theirs
    other.get_by_label("Notes").fill("Sequencer booked")
    other.get_by_role("button", name="Save").click()
    expect(other).to_have_url(re.compile(r"/workspace/workplan/$"))
    other.context.close()
