"""Insights in the browser: from the dashboard's map to a country and the partnerships behind it."""

import re

from playwright.sync_api import expect

from partnerhub.reference.models import Area, Goal
from partnerhub.registry.models import PartnerRole

from ..factories import OrganisationFactory, PartnerFactory, PartnershipFactory, index_all


def test_visitor_goes_from_the_map_to_a_country_profile_and_its_partnerships(site, page):
    for title, iso3, goal in (
        ("Mangrove guardians of Fiji", "FJI", 14),
        ("Reef schools of Fiji", "FJI", 4),
        ("Solar schools in Mali", "MLI", 7),
    ):
        p = PartnershipFactory(title=title, geographic_level="national")
        p.goals.add(Goal.objects.get(number=goal))
        p.areas.add(Area.objects.get(iso3=iso3))
        PartnerFactory(
            partnership=p, organisation=OrganisationFactory(name=f"{title} trust"), role=PartnerRole.LEAD
        )
    index_all()
    page.goto(f"{site}/")
    page.get_by_role("link", name="Insights").first.click()
    expect(page.get_by_role("heading", name="Partnerships per country")).to_be_visible()
    fiji = page.locator('.world-map a[data-iso3="FJI"]')
    expect(fiji).to_have_attribute("aria-label", "Fiji: 2 partnerships")
    fiji.locator("path").first.dispatch_event("click")  # Fiji is a few pixels wide at world scale
    expect(page).to_have_url(re.compile("/insights/countries/FJI/$"))
    expect(page.get_by_role("heading", name="Fiji", exact=True)).to_be_visible()
    goals = page.locator("table.bars").first
    expect(goals.get_by_role("row", name=re.compile("14. Life below water"))).to_contain_text("1")
    page.get_by_role("link", name="List the partnerships in Fiji").click()
    expect(page).to_have_url(re.compile(r"/partnerships/\?.*country=FJI"))
    expect(page.get_by_text("2 partnerships", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Mangrove guardians of Fiji")).to_be_visible()
    expect(page.get_by_role("link", name="Solar schools in Mali")).to_have_count(0)
