"""The Forum in the browser: a funder finds a shortlisted pitch and expresses interest; the partnership
accepts the request for contact."""

import re
from datetime import date
from decimal import Decimal

from playwright.sync_api import expect

from partnerhub.matching import services
from partnerhub.matching.models import ForumSegment, Interest
from partnerhub.reference.models import Currency
from partnerhub.registry.models import OrganisationType, PartnerRole, Partnership

from ..factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnerFactory,
    PartnershipFactory,
    UserFactory,
)
from .test_journeys import log_in


def test_funder_expresses_interest_in_a_shortlisted_pitch(site, page):
    p = PartnershipFactory(title="Mangrove guardians of Fiji", stage=Partnership.Stage.REINVENT)
    lead = OrganisationFactory(name="Ocean Trust")
    PartnerFactory(partnership=p, organisation=lead, role=PartnerRole.LEAD)
    focal = UserFactory(username="focal")
    MembershipFactory(user=focal, organisation=lead, is_admin=True)
    p.focal_points.add(focal)
    curator = UserFactory(username="curator", is_superuser=True)
    funder = UserFactory(username="funder")
    MembershipFactory(user=funder, organisation=OrganisationFactory(name="Tidewater Foundation",
                                                                    type=OrganisationType.PHILANTHROPY))  # fmt: skip
    pitch = services.pitch_save(partnership=p, author=focal, data=services.PitchData(
        title="Ten more islands", ask="Two million dollars and two island governments.",
        dimensions=["physical"], evidence="Seedling survival rose to 80%.", budget=Decimal("2000000"),
        currency=Currency.objects.get(code="USD"),
    ))  # fmt: skip
    services.pitch_submit(pitch=pitch, author=focal)
    segment = ForumSegment.objects.create(title="Forum 2027: scaling up", date=date(2027, 4, 28))
    services.pitch_shortlist(pitch=pitch, segment=segment, actor=curator)

    log_in(page, site, "funder")
    page.get_by_role("link", name="Forum", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Forum 2027: scaling up"))).to_be_visible()
    page.get_by_role("link", name="Ten more islands").click()
    expect(page.get_by_text("Shortlisted for Forum 2027: scaling up")).to_be_visible()
    page.get_by_label("On behalf of").select_option(label="Tidewater Foundation")
    page.get_by_label("Indicative amount").fill("500000")
    page.get_by_label("Message to the partnership").fill("We fund island resilience; can we talk?")
    page.get_by_role("button", name="Express interest and ask for contact").click()
    expect(page.get_by_text("Interest sent.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Tidewater Foundation"))).to_contain_text(
        "Awaiting the partnership"
    )
    expect(page.get_by_role("button", name="Express interest and ask for contact")).to_have_count(0)

    page.get_by_role("button", name="Log out").click()
    log_in(page, site, "focal")
    page.goto(f"{site}/partnerships/{p.pk}/needs/")
    expect(page.get_by_text("1 funder interested")).to_be_visible()
    page.get_by_role("link", name="Ten more islands").click()
    row = page.get_by_role("row", name=re.compile("Tidewater Foundation"))
    expect(row).to_contain_text("500,000 USD")
    row.get_by_role("button", name="Accept contact").click()
    expect(page.get_by_text("Contact accepted: the funder now sees")).to_be_visible()
    assert Interest.objects.get().status == "accepted"
