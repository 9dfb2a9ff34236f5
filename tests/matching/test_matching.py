"""Needs and offers: ranked, explained matches both ways, and the rules on who posts and sees what."""

import pytest
from django.core.exceptions import ValidationError

from partnerhub.matching import scoring, services
from partnerhub.matching.models import Need
from partnerhub.reference.models import Area, Goal, Target
from partnerhub.registry.models import Commitment, OrganisationType
from partnerhub.reporting.models import Compliance

from ..conftest import api_as
from ..factories import OrganisationFactory, PartnerFactory, PartnershipFactory


def _listing(title, resource, *, goals=(), targets=(), areas=(), types=(), expertise="", description=""):
    return services.ListingData(
        title=title, resource_type=resource, expertise=expertise, description=description,
        goals=list(Goal.objects.filter(number__in=goals)), targets=list(Target.objects.filter(code__in=targets)),
        areas=list(Area.objects.filter(code__in=areas) | Area.objects.filter(iso3__in=areas)),
        partner_types=list(types),
    )  # fmt: skip


@pytest.fixture
def market(world):
    """A need of the published reef partnership (partners: an NGO lead and a university) and four offers."""
    need = services.need_save(
        partnership=world.published, author=world.focal_point,
        data=_listing("Mangrove carbon scientists", "staff", goals=[14], targets=["14.2"], areas=["FJI"],
                      types=["academia"], expertise="blue carbon, mangrove ecology"),
    )  # fmt: skip
    best = OrganisationFactory(name="Pacific Marine Institute", type=OrganisationType.ACADEMIA)
    regional = OrganisationFactory(name="Oceania Research Centre", type=OrganisationType.ACADEMIA)
    bank = OrganisationFactory(name="Mainland Bank", type=OrganisationType.FINANCIAL)
    offers = {
        "best": services.offer_save(organisation=best, author=world.secretariat, data=_listing(
            "Blue carbon field teams", "staff", goals=[14], targets=["14.2"], areas=["FJI"],
            expertise="blue carbon, mangrove ecology")),
        "regional": services.offer_save(organisation=regional, author=world.secretariat, data=_listing(
            "Ocean scientists for the region", "staff", goals=[14], areas=["009"], expertise="marine ecology")),
        "bank": services.offer_save(organisation=bank, author=world.secretariat, data=_listing(
            "Loans for clinics", "financial", goals=[3], areas=["KEN"], expertise="health finance")),
        # The partnership's own partner offering: never a match for its own need.
        "own": services.offer_save(organisation=world.partner_org, author=world.secretariat, data=_listing(
            "Mangrove carbon scientists", "staff", goals=[14], targets=["14.2"], areas=["FJI"],
            expertise="blue carbon, mangrove ecology")),
    }  # fmt: skip
    return need, offers


def test_offers_are_ranked_for_a_need_with_each_part_explained(market):
    need, offers = market
    matches = scoring.matches_for_need(need)
    assert [m.offer.id for m in matches] == [offers["best"].pk, offers["regional"].pk, offers["bank"].pk]
    best, regional, bank = ({p.key: p for p in m.parts} for m in matches)
    assert best["goals"].value == 1.0 and best["targets"].value == 1.0 and best["place"].value == 1.0
    assert best["place"].reason == "Offered in Fiji."
    assert best["sectors"].reason == "A partner of the type sought (Academia and research)."
    assert regional["place"].value == scoring.IN_REGION
    assert "Oceania" in regional["place"].reason and "Fiji" in regional["place"].reason
    assert regional["targets"].value == 0.0
    assert bank["goals"].value == 0.0 and bank["resource"].value == 0.0 and bank["sectors"].value == 0.0
    assert bank["resource"].reason == "Offers Funding; the need is for Staff and expertise."
    for m in matches:
        assert m.score == round(sum(p.weight * p.value for p in m.parts), 1)
        assert sum(p.weight for p in m.parts) == 100
    assert matches[0].score > matches[1].score > matches[2].score


def test_needs_are_ranked_for_an_offer_and_only_public_needs_are_offered(world, market):
    need, offers = market
    hidden = services.need_save(  # a need of the draft partnership is not shown to other organisations
        partnership=world.partnership, author=world.focal_point,
        data=_listing("Draft need", "staff", goals=[14], areas=["FJI"]),
    )  # fmt: skip
    other = PartnershipFactory(title="Clinic network")
    PartnerFactory(partnership=other, organisation=OrganisationFactory(type=OrganisationType.NGO))
    clinic = services.need_save(
        partnership=other, author=world.secretariat, data=_listing("Health data", "data", goals=[3])
    )
    matches = scoring.matches_for_offer(offers["best"])
    assert [m.need.id for m in matches] == [need.pk, clinic.pk]
    assert hidden.pk not in [m.need.id for m in scoring.matches_for_offer(offers["regional"])]
    assert scoring.matches_for_offer(offers["own"]) == [m for m in scoring.matches_for_offer(offers["own"])
                                                        if m.need.partnership_id != world.published.pk]  # fmt: skip


def test_a_need_without_goals_or_places_takes_its_partnerships(world, market):
    _need, offers = market
    world.published.areas.add(Area.objects.get(iso3="FJI"))
    bare = services.need_save(
        partnership=world.published, author=world.focal_point, data=_listing("Anyone", "staff")
    )
    match = next(m for m in scoring.matches_for_need(bare) if m.offer.id == offers["best"].pk)
    parts = {p.key: p for p in match.parts}
    assert parts["goals"].value == 1.0 and parts["place"].value == 1.0
    # No partner type named: a sector the partnership lacks counts fully, one it has counts less.
    assert parts["sectors"].value == 1.0  # its partners are NGOs; this is a university
    ngo = services.offer_save(organisation=OrganisationFactory(type=OrganisationType.NGO), author=world.secretariat,
                              data=_listing("Volunteers", "staff", goals=[14]))  # fmt: skip
    same = next(m for m in scoring.matches_for_need(bare) if m.offer.id == ngo.pk)
    assert {p.key: p for p in same.parts}["sectors"].value == scoring.SECTOR_PRESENT
    assert {p.key: p for p in same.parts}["sectors"].reason == (
        "The partnership already has partners from Civil society."
    )


def test_track_record_counts_published_partnerships_reporting_and_commitments_of_the_kind(world, market):
    need, offers = market
    org = offers["best"].organisation
    for status in ("reported", "overdue"):
        p = PartnershipFactory()
        partner = PartnerFactory(partnership=p, organisation=org)
        Compliance.objects.create(partnership=p, status=status, cycle_months=12, anchor="2026-01-01",
                                  due_date="2027-01-01")  # fmt: skip
        Commitment.objects.create(partnership=p, partner=partner, kind="in_kind", in_kind_type="staff")
    record = scoring.track_records({org.pk})[org.pk]
    assert (record.partnerships, record.reporting, record.commitments) == (2, 1, {"staff": 2})
    part = {p.key: p for p in scoring.matches_for_need(need)[0].parts}["track_record"]
    assert part.value == round(0.4 * 2 / 3 + 0.3 * 1 / 2 + 0.3, 3)


def test_bad_listings_are_refused_and_nothing_is_written(world):
    before = Need.objects.count()
    with pytest.raises(ValidationError) as error:
        services.need_save(partnership=world.published, author=world.focal_point,
                           data=_listing("", "staff", types=["astronauts"]))  # fmt: skip
    assert set(error.value.message_dict) == {"title", "partner_types"}
    with pytest.raises(ValidationError) as error:
        services.need_save(partnership=world.published, author=world.focal_point,
                           data=_listing("Scientists", "staff", goals=[14], targets=["3.1"]))  # fmt: skip
    assert "3.1" in error.value.message_dict["targets"][0]
    assert Need.objects.count() == before


@pytest.mark.parametrize(
    "persona, may_add_need, may_add_offer",
    [("visitor", False, False), ("outsider", False, False), ("member", False, True),
     ("contributor", False, True), ("focal_point", True, True), ("secretariat", True, False)],
)  # fmt: skip
def test_who_may_post_needs_and_offers(world, persona, may_add_need, may_add_offer):
    from django.contrib.auth.models import AnonymousUser

    user = world.persona(persona) or AnonymousUser()
    assert user.has_perm("matching.add_need", world.published) is may_add_need
    assert user.has_perm("matching.add_offer") is may_add_offer


def test_pages_and_api_show_the_ranked_matches(client, world, market):
    need, offers = market
    page = client.get(f"/needs/{need.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Blue carbon field teams") < html.index("Ocean scientists for the region")
    assert "Mangrove carbon scientists" not in html.split("Matching offers")[1]  # the own partner's offer
    data = api_as(None).get(f"/api/v1/matching/needs/{need.pk}/matches/").json()
    assert [m["offer"]["id"] for m in data] == [offers["best"].pk, offers["regional"].pk, offers["bank"].pk]
    assert data[0]["parts"][0] == {"key": "goals", "title": "Goals", "weight": 25, "value": 1.0, "points": 25.0,
                                   "reason": "Shares goal(s) 14 of the 1 sought."}  # fmt: skip
    assert (
        api_as(None).get(f"/api/v1/matching/offers/{offers['bank'].pk}/matches/").json()[0]["need"]["id"]
        == need.pk
    )
    # A need of a draft is not shown to the public.
    hidden = services.need_save(
        partnership=world.partnership, author=world.focal_point, data=_listing("Draft", "data")
    )
    assert client.get(f"/needs/{hidden.pk}/").status_code == 404
    assert api_as(None).get(f"/api/v1/matching/needs/{hidden.pk}/matches/").status_code == 404


def test_focal_point_posts_a_need_through_the_form(client, world):
    client.force_login(world.focal_point)
    response = client.post(f"/partnerships/{world.published.pk}/needs/new/", {
        "title": "Boat and crew", "resource_type": "facilities", "goals": [Goal.objects.get(number=14).pk],
        "partner_types": ["private_msme"],
    })  # fmt: skip
    need = Need.objects.get(title="Boat and crew")
    assert response.status_code == 302 and response["Location"] == f"/needs/{need.pk}/"
    assert need.partner_types == ["private_msme"] and need.partnership == world.published
    client.force_login(world.member)
    assert client.post(f"/partnerships/{world.published.pk}/needs/new/", {"title": "x"}).status_code == 403
    assert client.post(f"/needs/{need.pk}/status/", {"status": "closed"}).status_code == 403
    client.force_login(world.focal_point)
    client.post(f"/needs/{need.pk}/status/", {"status": "closed"})
    assert Need.objects.get(pk=need.pk).status == "closed"


def test_workspace_task_1_4_leads_to_the_needs_and_their_matches(client, world):
    client.force_login(world.focal_point)
    page = client.get(f"/partnerships/{world.published.pk}/workspace/").content.decode()
    row = page.split('id="task-1.4"')[1].split("</tr>")[0]
    assert f'href="/partnerships/{world.published.pk}/needs/"' in row
