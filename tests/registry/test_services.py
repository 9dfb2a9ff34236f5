from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from partnerhub.core.errors import ConflictError
from partnerhub.reference.models import Area, Currency, Goal, Indicator, Target
from partnerhub.registry import services
from partnerhub.registry.models import Commitment, Partner, PartnerRole, Partnership, WorkflowEvent
from partnerhub.registry.selectors import partnership_history

from ..factories import OrganisationFactory, UserFactory


def make_data(orgs, **overrides) -> services.PartnershipData:
    values = dict(
        title="Blue economy for island women",
        summary="Women's fishing cooperatives in Fiji and Samoa.",
        geographic_level="national",
        areas=[Area.objects.get(iso3="FJI")],
        targets=[Target.objects.get(code="14.b")],
        partners=[services.PartnerData(organisation=orgs[0], role=PartnerRole.LEAD),
                  services.PartnerData(organisation=orgs[1], role=PartnerRole.FUNDING)],
        commitments=[services.CommitmentData(organisation=orgs[1], kind="financial", amount=Decimal("1000"),
                                             currency=Currency.objects.get(code="USD"))],
        deliverables=[services.DeliverableData(title="Cooperative registry", due_date=date(2027, 1, 31))],
    )  # fmt: skip
    values.update(overrides)
    return services.PartnershipData(**values)


@pytest.fixture
def orgs(db):
    return [OrganisationFactory(), OrganisationFactory(), OrganisationFactory()]


@pytest.fixture
def author(db):
    return UserFactory()


def test_create_makes_a_draft_with_its_author_as_focal_point(orgs, author):
    p = services.partnership_create(author=author, data=make_data(orgs))
    assert p.status == Partnership.Status.DRAFT
    assert list(p.focal_points.all()) == [author]
    assert p.partners.count() == 2 and p.commitments.count() == 1 and p.deliverables.count() == 1


def test_a_target_implies_its_goal_and_an_indicator_its_target(orgs, author):
    data = make_data(orgs, targets=[], indicators=[Indicator.objects.get(code="5.5.1")],
                     goals=[Goal.objects.get(number=14)])  # fmt: skip
    p = services.partnership_create(author=author, data=data)
    assert sorted(p.goals.values_list("number", flat=True)) == [5, 14]
    assert list(p.targets.values_list("code", flat=True)) == ["5.5"]


@pytest.mark.parametrize(
    "partners, message",
    [
        ([("0", "funding"), ("1", "funding")], "Exactly one partner must be the lead"),
        ([("0", "lead"), ("1", "lead")], "Exactly one partner must be the lead"),
        ([("0", "lead"), ("0", "funding")], "only once"),
    ],
)
def test_partners_need_exactly_one_lead_and_no_repeats(orgs, author, partners, message):
    data = make_data(orgs, commitments=[],
                     partners=[services.PartnerData(organisation=orgs[int(i)], role=r) for i, r in partners])  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.partnership_create(author=author, data=data)
    assert message in " ".join(error.value.message_dict["partners"])
    assert not Partnership.objects.filter(title=data.title).exists()


def test_end_before_start_is_refused_and_nothing_is_written(orgs, author):
    data = make_data(orgs, start_date=date(2026, 5, 1), end_date=date(2026, 4, 30))
    with pytest.raises(ValidationError) as error:
        services.partnership_create(author=author, data=data)
    assert "end_date" in error.value.message_dict
    assert Partnership.objects.count() == 0 and Partner.objects.count() == 0


@pytest.mark.parametrize(
    "commitment",
    [
        dict(kind="financial", amount=Decimal("-5"), currency="USD"),
        dict(kind="financial", amount=None, currency=None),
        dict(kind="financial", amount=Decimal("5"), currency=None),
        dict(kind="in_kind", in_kind_type=""),
    ],
)
def test_invalid_commitments_are_refused(orgs, author, commitment):
    currency = commitment.pop("currency", None)
    data = make_data(orgs, commitments=[services.CommitmentData(
        organisation=orgs[1], currency=Currency.objects.get(code=currency) if currency else None, **commitment)])  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.partnership_create(author=author, data=data)
    assert "commitments" in error.value.message_dict
    assert Commitment.objects.count() == 0


def test_commitment_from_a_non_partner_is_refused(orgs, author):
    data = make_data(
        orgs, commitments=[services.CommitmentData(organisation=orgs[2], kind="in_kind", in_kind_type="data")]
    )
    with pytest.raises(ValidationError, match="not a partner"):
        services.partnership_create(author=author, data=data)


def test_non_global_partnership_needs_an_area(orgs, author):
    with pytest.raises(ValidationError) as error:
        services.partnership_create(author=author, data=make_data(orgs, areas=[]))
    assert "areas" in error.value.message_dict


def test_update_syncs_children_and_can_move_the_lead(orgs, author):
    p = services.partnership_create(author=author, data=make_data(orgs))
    deliverable = p.deliverables.get()
    data = make_data(
        orgs,
        partners=[services.PartnerData(organisation=orgs[0], role=PartnerRole.IMPLEMENTING),
                  services.PartnerData(organisation=orgs[2], role=PartnerRole.LEAD)],
        commitments=[],
        deliverables=[services.DeliverableData(id=deliverable.pk, title="Cooperative registry v2", status="completed")],
    )  # fmt: skip
    services.partnership_update(partnership=p, author=author, data=data, version=p.version)
    assert dict(p.partners.values_list("organisation_id", "role")) == {
        orgs[0].pk: "implementing",
        orgs[2].pk: "lead",
    }
    assert p.commitments.count() == 0
    assert list(p.deliverables.values_list("pk", "title")) == [(deliverable.pk, "Cooperative registry v2")]


def test_stale_version_is_refused_with_a_conflict(orgs, author):
    p = services.partnership_create(author=author, data=make_data(orgs))
    stale = p.version
    services.partnership_update(
        partnership=p, author=author, data=make_data(orgs, title="First"), version=stale
    )
    with pytest.raises(ConflictError):
        services.partnership_update(
            partnership=p, author=author, data=make_data(orgs, title="Second"), version=stale
        )
    p.refresh_from_db()
    assert p.title == "First"


def test_workflow_publish_and_return(orgs, author, django_capture_on_commit_callbacks):
    curator = UserFactory()
    p = services.partnership_create(author=author, data=make_data(orgs))
    with pytest.raises(ValidationError):
        services.partnership_publish(partnership=p, reviewer=curator)  # not submitted yet
    services.partnership_submit(partnership=p, author=author)
    with pytest.raises(ValidationError):
        services.partnership_return(partnership=p, reviewer=curator, comment="  ")
    services.partnership_return(partnership=p, reviewer=curator, comment="Add a baseline.")
    assert p.status == Partnership.Status.RETURNED
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_submit(partnership=p, author=author)
        services.partnership_publish(partnership=p, reviewer=curator)
    p.refresh_from_db()
    assert p.status == Partnership.Status.PUBLISHED and p.published_at is not None
    assert list(WorkflowEvent.objects.filter(partnership=p).values_list("to_status", flat=True)) == [
        "published", "submitted", "returned", "submitted"]  # fmt: skip
    subjects = [m.subject for m in mail.outbox]
    assert any("submitted for review" in s for s in subjects) and any("Published" in s for s in subjects)


def test_history_records_who_changed_what(orgs, author):
    p = services.partnership_create(author=author, data=make_data(orgs))
    services.partnership_update(
        partnership=p, author=author, data=make_data(orgs, title="Renamed"), version=p.version
    )
    entries = partnership_history(partnership=p)
    change = next(e for e in entries if e.what == "partnership" and e.action == "changed")
    assert change.who == author.username
    assert ("title", "Blue economy for island women", "Renamed") in change.changes
    assert any(e.what.startswith("commitment") and e.action == "created" for e in entries)


def test_delete_removes_children(orgs, author):
    p = services.partnership_create(author=author, data=make_data(orgs))
    services.partnership_delete(partnership=p, author=author)
    assert Partnership.objects.count() == 0 and Commitment.objects.count() == 0
    assert Partnership.history.filter(history_type="-").count() == 1
