"""The Forum pipeline: pitches, the secretariat's shortlist, funders' interest and the partnership's answer."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError

from partnerhub.lifecycle.models import ScalingPlan
from partnerhub.matching import services
from partnerhub.matching.models import ForumSegment, Interest, Pitch
from partnerhub.reference.models import Currency
from partnerhub.registry.models import OrganisationType, Partnership

from ..conftest import api_as
from ..factories import MembershipFactory, OrganisationFactory, PartnerFactory, UserFactory


def _pitch_data(**changes) -> services.PitchData:
    data = dict(title="Scale mangrove guardians to ten islands", ask="USD 2 million and two island governments.",
                dimensions=["physical", "political"], evidence="Survival of planted seedlings rose to 80%.",
                budget=Decimal("2000000"), currency=Currency.objects.get(code="USD"))  # fmt: skip
    data.update(changes)
    return services.PitchData(**data)


@pytest.fixture
def forum(world):
    p = world.published
    p.stage = Partnership.Stage.REINVENT
    p.save(update_fields=["stage"])
    foundation = OrganisationFactory(name="Tidewater Foundation", type=OrganisationType.PHILANTHROPY)
    funder = UserFactory(username="funder")
    MembershipFactory(user=funder, organisation=foundation)
    segment = ForumSegment.objects.create(title="Forum 2027: scaling up", date=date(2027, 4, 28))
    return funder, foundation, segment


def test_only_partnerships_in_module_e_or_with_a_scaling_plan_may_pitch(world):
    p = world.published  # stage initiation, no plan
    with pytest.raises(ValidationError) as error:
        services.pitch_save(partnership=p, author=world.focal_point, data=_pitch_data())
    assert "module E" in error.value.messages[0]
    ScalingPlan.objects.create(partnership=p, decision=ScalingPlan.Decision.PLANNED)
    assert services.pitch_save(partnership=p, author=world.focal_point, data=_pitch_data()).status == "draft"
    with pytest.raises(ValidationError) as error:  # a draft cannot pitch
        services.pitch_save(partnership=world.partnership, author=world.focal_point, data=_pitch_data())
    assert error.value.messages == ["Only published partnerships can pitch."]


def test_a_bad_pitch_is_refused_with_every_problem_and_nothing_is_written(world, forum):
    with pytest.raises(ValidationError) as error:
        services.pitch_save(partnership=world.published, author=world.focal_point,
                            data=_pitch_data(ask=" ", dimensions=["cosmic"], budget=Decimal("0"), currency=None))  # fmt: skip
    assert set(error.value.message_dict) == {"ask", "dimensions", "budget", "currency"}
    assert not Pitch.objects.exists()


def test_pipeline_from_pitch_to_accepted_contact(world, forum, django_capture_on_commit_callbacks):
    funder, foundation, segment = forum
    pitch = services.pitch_save(partnership=world.published, author=world.focal_point, data=_pitch_data())
    assert pitch.dimensions == ["physical", "political"]
    # Draft: only the partnership's people and the secretariat see it; funders cannot express interest yet.
    assert not funder.has_perm("matching.view_pitch", pitch)
    assert not funder.has_perm("matching.express_interest", pitch)
    pitch = services.pitch_submit(pitch=pitch, author=world.focal_point)
    assert pitch.status == "submitted" and pitch.submitted_at is not None
    assert funder.has_perm("matching.view_pitch", pitch) and funder.has_perm(
        "matching.express_interest", pitch
    )
    assert not AnonymousUser().has_perm("matching.view_pitch", pitch)  # the public sees the shortlist only
    assert not world.member.has_perm("matching.express_interest", pitch)  # an NGO is not a funder
    with pytest.raises(ValidationError):
        services.pitch_shortlist(pitch=pitch, segment=None, actor=world.secretariat)
    pitch = services.pitch_shortlist(pitch=pitch, segment=segment, actor=world.secretariat)
    assert (pitch.status, pitch.segment) == ("shortlisted", segment)
    assert AnonymousUser().has_perm("matching.view_pitch", pitch)

    with django_capture_on_commit_callbacks(execute=True):
        interest = services.interest_express(pitch=pitch, organisation=foundation, author=funder,
                                             message="We fund island resilience.", amount=Decimal("500000"))  # fmt: skip
    assert mail.outbox[-1].to == [world.focal_point.email]
    assert "Tidewater Foundation is interested" in mail.outbox[-1].subject
    with pytest.raises(ValidationError) as error:
        services.interest_express(pitch=pitch, organisation=foundation, author=funder)
    assert "already expressed interest" in error.value.messages[0]
    assert not funder.has_perm("matching.decide_interest", interest)
    assert world.focal_point.has_perm("matching.decide_interest", interest)
    with django_capture_on_commit_callbacks(execute=True):
        interest = services.interest_decide(interest=interest, actor=world.focal_point, accept=True)
    assert interest.status == "accepted" and interest.decided_by == world.focal_point
    assert mail.outbox[-1].to == [funder.email] and world.focal_point.email in mail.outbox[-1].body
    with pytest.raises(ValidationError):
        services.interest_decide(interest=interest, actor=world.focal_point, accept=False)


def test_interest_is_refused_for_others_partners_and_non_funders(world, forum):
    funder, foundation, _segment = forum
    pitch = services.pitch_submit(
        pitch=services.pitch_save(partnership=world.published, author=world.focal_point, data=_pitch_data()),
        author=world.focal_point,
    )
    with pytest.raises(ValidationError, match="your own organisation"):
        services.interest_express(pitch=pitch, organisation=world.other_org, author=funder)
    with pytest.raises(ValidationError, match="Only foundations"):
        services.interest_express(pitch=pitch, organisation=world.other_org, author=world.member)
    PartnerFactory(partnership=world.published, organisation=foundation, role="funding")
    with pytest.raises(ValidationError, match="already a partner"):
        services.interest_express(pitch=pitch, organisation=foundation, author=funder)
    services.pitch_withdraw(pitch=pitch, author=world.focal_point)
    assert not Interest.objects.exists()


def test_api_shows_the_pipeline_by_role_and_takes_interest(world, forum):
    funder, foundation, segment = forum
    waiting = services.pitch_submit(
        pitch=services.pitch_save(partnership=world.published, author=world.focal_point, data=_pitch_data()),
        author=world.focal_point,
    )
    assert api_as(None).get("/api/v1/pitches/").json() == []
    rows = api_as(funder).get("/api/v1/pitches/").json()
    assert [(r["id"], r["status"]) for r in rows] == [(waiting.pk, "submitted")]
    assert api_as(funder).get("/api/v1/pitches/?status=drafts").status_code == 400
    assert api_as(None).get(f"/api/v1/pitches/{waiting.pk}/").status_code == 404
    services.pitch_shortlist(pitch=waiting, segment=segment, actor=world.secretariat)
    public = api_as(None).get("/api/v1/pitches/").json()
    assert public[0]["segment"]["title"] == "Forum 2027: scaling up" and public[0]["budget"] == "2000000.00"
    refused = api_as(world.member).post(
        f"/api/v1/pitches/{waiting.pk}/interest/", {"organisation": world.other_org.pk}
    )
    assert refused.status_code == 403
    other = api_as(funder).post(
        f"/api/v1/pitches/{waiting.pk}/interest/", {"organisation": world.other_org.pk}
    )
    assert other.status_code == 403
    created = api_as(funder).post(f"/api/v1/pitches/{waiting.pk}/interest/",
                                  {"organisation": foundation.pk, "amount": "250000", "message": "Hello"})  # fmt: skip
    assert created.status_code == 201 and created.json()["status"] == "pending"
    again = api_as(funder).post(f"/api/v1/pitches/{waiting.pk}/interest/", {"organisation": foundation.pk})
    assert again.status_code == 400 and Interest.objects.count() == 1


def test_funder_and_partnership_pages(client, world, forum):
    funder, foundation, segment = forum
    pitch = services.pitch_submit(
        pitch=services.pitch_save(partnership=world.published, author=world.focal_point, data=_pitch_data()),
        author=world.focal_point,
    )
    client.force_login(world.secretariat)
    client.post(f"/pitches/{pitch.pk}/shortlist/", {"segment": segment.pk})
    assert Pitch.objects.get(pk=pitch.pk).status == "shortlisted"
    assert "Scale mangrove guardians" in client.get("/forum/").content.decode()
    client.force_login(funder)
    page = client.get(f"/pitches/{pitch.pk}/").content.decode()
    assert "Express interest" in page and "Tidewater Foundation" in page
    client.post(f"/pitches/{pitch.pk}/interest/", {"organisation": foundation.pk, "message": "Let us talk"})
    interest = Interest.objects.get()
    assert client.post(f"/interests/{interest.pk}/accept/").status_code == 403
    client.force_login(world.focal_point)
    page = client.get(f"/pitches/{pitch.pk}/").content.decode()
    assert "Let us talk" in page and "Accept contact" in page
    client.post(f"/interests/{interest.pk}/accept/")
    assert Interest.objects.get().status == "accepted"
    client.force_login(funder)
    assert world.focal_point.email in client.get(f"/pitches/{pitch.pk}/").content.decode()
