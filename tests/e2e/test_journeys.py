"""The main journeys, clicked through in Chromium like a person would."""

import re

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from partnerhub.accounts.models import SECRETARIAT_GROUP, Membership
from partnerhub.reference.models import Area, Goal
from partnerhub.registry.models import PartnerRole, Partnership

from ..factories import OrganisationFactory, PartnerFactory, PartnershipFactory, UserFactory, index_all

PASSWORD = "correct-horse-battery"


def log_in(page, site, username):
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name=username)).to_be_visible()


def test_visitor_searches_and_opens_a_partnership(site, page):
    p = PartnershipFactory(title="Mangrove guardians of Fiji", summary="Villages replant mangroves.",
                           geographic_level="national")  # fmt: skip
    p.goals.add(Goal.objects.get(number=14))
    p.areas.add(Area.objects.get(iso3="FJI"))
    PartnerFactory(partnership=p, organisation=OrganisationFactory(name="Reef Trust"), role=PartnerRole.LEAD)
    PartnershipFactory(title="Solar schools in Mali", summary="Solar power for rural schools.")
    index_all()
    page.goto(site)
    page.get_by_label("Search partnerships").fill("mangrove")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 partnership", exact=True)).to_be_visible()
    # The matched word is highlighted; facet counts refine the result in place (htmx), state in the URL.
    expect(page.locator(".summary mark")).to_have_text("mangroves")
    page.locator("a.goal-chip.g14").click()
    expect(page.locator("a.goal-chip.g14.selected")).to_be_visible()
    expect(page).to_have_url(re.compile("q=mangrove.*goal=14"))
    page.locator(".facet-country").get_by_role("link", name="Fiji").click()
    expect(page).to_have_url(re.compile("country=FJI"))
    expect(page.locator(".facet-country a.selected")).to_contain_text("Fiji")
    # Typeahead suggests organisations, countries and goals.
    page.get_by_label("Search partnerships").fill("Reef")
    expect(page.locator(".suggestion-list")).to_contain_text("Reef Trust")
    page.get_by_role("link", name="Mangrove guardians of Fiji").click()
    expect(page.get_by_role("heading", name="Mangrove guardians of Fiji")).to_be_visible()
    expect(page.get_by_role("cell", name="Reef Trust")).to_be_visible()
    expect(page.get_by_role("listitem").get_by_text("Life below water")).to_be_visible()


def test_member_registers_organisation_and_submits_then_secretariat_publishes_and_focal_point_edits(
    site, page, browser
):
    member = UserFactory(username="amina", email="amina@example.org")
    curator = UserFactory(username="curator")
    curator.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])

    # The member registers her organisation and becomes its administrator.
    log_in(page, site, "amina")
    page.goto(f"{site}/organisations/new/")
    page.get_by_label("Name").fill("Island Women Fishers")
    page.get_by_label("Type").select_option("ngo")
    page.get_by_label("Country").select_option(label="Fiji")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Island Women Fishers")).to_be_visible()
    org = Membership.objects.get(user=member, is_admin=True).organisation

    # She registers a partnership; a first attempt without a lead is refused next to the section.
    page.goto(f"{site}/partnerships/new/")
    page.get_by_label("Title").fill("Women-led reef fisheries")
    page.get_by_label("Summary").fill("Fishing cooperatives run by women manage reef fisheries.")
    page.get_by_label("Geographic level").select_option("national")
    page.locator("#id_areas").select_option(label="Fiji")
    page.locator("label.goal-check.g14").click()
    # The organisation field suggests registered organisations as she types; picking one writes its label.
    page.locator("#id_partners-0-organisation").fill("island wom")
    expect(page.locator("#organisation-options option")).to_have_attribute(
        "value", f"Island Women Fishers #{org.pk}"
    )
    page.locator("#id_partners-0-organisation").fill(f"Island Women Fishers #{org.pk}")
    page.locator("#id_partners-0-role").select_option("funding")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Exactly one partner must be the lead")).to_be_visible()
    page.locator("#id_partners-0-role").select_option("lead")
    page.locator("#id_deliverables-0-title").fill("Cooperative management plan")
    page.locator("#id_deliverables-0-due_date").fill("2027-03-31")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("The secretariat is reviewing this entry.")).to_be_visible()
    partnership = Partnership.objects.get(title="Women-led reef fisheries")
    assert partnership.status == "submitted"

    # The secretariat publishes it from the review queue.
    curator_page = browser.new_context().new_page()
    log_in(curator_page, site, "curator")
    curator_page.get_by_role("link", name="Review queue").click()
    curator_page.get_by_role("link", name="Women-led reef fisheries").click()
    curator_page.get_by_role("button", name="Publish").click()
    expect(curator_page.get_by_text("Nothing is waiting for review.")).to_be_visible()
    partnership.refresh_from_db()
    assert partnership.status == "published"

    # The focal point (the member) edits the published entry; the history shows the change.
    page.goto(f"{site}{partnership.get_absolute_url()}")
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Title").fill("Women-led reef fisheries of Fiji")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Women-led reef fisheries of Fiji")).to_be_visible()
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("cell", name="Women-led reef fisheries of Fiji")).to_be_visible()

    # Anyone can now find it.
    page.context.clear_cookies()
    page.goto(f"{site}/partnerships/?q=reef")
    expect(page.get_by_role("link", name="Women-led reef fisheries of Fiji")).to_be_visible()


def test_outsider_is_refused(site, page):
    focal = UserFactory(username="focal")
    UserFactory(username="outsider")
    draft = PartnershipFactory(title="Confidential draft", status="draft", published_at=None)
    draft.focal_points.add(focal)
    published = PartnershipFactory(title="Open partnership")
    published.focal_points.add(focal)
    log_in(page, site, "outsider")
    response = page.goto(f"{site}/partnerships/{draft.pk}/")
    assert response.status == 404
    response = page.goto(f"{site}/partnerships/{published.pk}/edit/")
    assert response.status == 403
    page.goto(f"{site}/partnerships/{published.pk}/")
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    page.goto(f"{site}/partnerships/mine/")
    expect(page.get_by_text("To register a partnership, first register your organisation")).to_be_visible()


def test_arabic_layout_is_right_to_left(site, page):
    page.goto(site)
    page.get_by_label("Language").select_option("ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_text("الحياة تحت الماء").first).to_be_visible()
    assert re.search(r"lang=\"ar\"", page.content())
