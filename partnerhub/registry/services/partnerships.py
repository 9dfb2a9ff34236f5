from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerhub.core.errors import FieldErrors
from partnerhub.core.services import delete_by as _delete
from partnerhub.core.services import save_by as _save
from partnerhub.core.services import version_bump
from partnerhub.reference.models import Area, Currency, Goal, Indicator, Target

from ..models import Commitment, Deliverable, Organisation, Partner, PartnerRole, Partnership, WorkflowEvent
from ..search.index import index_partnerships
from ..signals import publication_checks, status_changed
from ..tasks import notify_workflow_event

Status = Partnership.Status


@dataclass
class PartnerData:
    organisation: Organisation
    role: str
    objectives: str = ""
    id: int | None = None


@dataclass
class CommitmentData:
    organisation: Organisation
    kind: str
    in_kind_type: str = ""
    amount: Decimal | None = None
    currency: Currency | None = None
    description: str = ""
    status: str = Commitment.Status.PLEDGED
    id: int | None = None


@dataclass
class DeliverableData:
    title: str
    due_date: date | None = None
    status: str = Deliverable.Status.PLANNED
    evidence: str = ""
    id: int | None = None


@dataclass
class PartnershipData:
    title: str
    summary: str
    geographic_level: str
    challenge: str = ""
    objectives: str = ""
    baseline: str = ""
    scope_in: str = ""
    scope_out: str = ""
    goals: list[Goal] = field(default_factory=list)
    primary_goal: Goal | None = None
    targets: list[Target] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    category: str = Partnership.Category.OTHER
    start_date: date | None = None
    end_date: date | None = None
    language: str = "en"
    website: str = ""
    # None means "leave as they are" (a partial update); a list replaces the set.
    partners: list[PartnerData] | None = None
    commitments: list[CommitmentData] | None = None
    deliverables: list[DeliverableData] | None = None


SCALAR_FIELDS = [
    "title",
    "summary",
    "challenge",
    "objectives",
    "baseline",
    "scope_in",
    "scope_out",
    "primary_goal",
    "geographic_level",
    "category",
    "start_date",
    "end_date",
    "language",
    "website",
]


def _normalise(data: PartnershipData) -> None:
    """A target implies its goal; an indicator implies its target; the primary goal is one of the goals."""
    targets = {t.code: t for t in data.targets}
    for indicator in data.indicators:
        targets.setdefault(indicator.target_id, indicator.target)
    data.targets = sorted(targets.values(), key=lambda t: (t.goal_id, t.position))
    goals = {g.number: g for g in data.goals}
    for target in data.targets:
        goals.setdefault(target.goal_id, target.goal)
    if data.primary_goal is not None:
        goals.setdefault(data.primary_goal.number, data.primary_goal)
    elif len(goals) == 1:
        data.primary_goal = next(iter(goals.values()))
    data.goals = sorted(goals.values(), key=lambda g: g.number)
    for name in SCALAR_FIELDS:
        value = getattr(data, name)
        if isinstance(value, str) and (stripped := value.strip()) is not value:  # (an import checks 100,000)
            setattr(data, name, stripped)


# The codes of the choice fields (Django's `Choices.values` rebuilds the list, labels and all, at each call).
CODES = {
    "geographic_level": frozenset(Partnership.GeographicLevel.values),
    "category": frozenset(Partnership.Category.values),
    "language": frozenset(Partnership.Language.values),
    "role": frozenset(PartnerRole.values),
    "deliverable_status": frozenset(Deliverable.Status.values),
    "commitment_kind": frozenset(Commitment.Kind.values),
    "commitment_status": frozenset(Commitment.Status.values),
    "in_kind_type": frozenset(Commitment.InKindType.values),
}


def _validate(data: PartnershipData, *, existing: Partnership | None) -> None:
    errors = FieldErrors()
    if not data.title:
        errors.add("title", _("Enter a title."))
    if not data.summary:
        errors.add("summary", _("Enter a summary."))
    if data.geographic_level not in CODES["geographic_level"]:
        errors.add("geographic_level", _("Choose a geographic level."))
    for name in ("category", "language"):
        if getattr(data, name) not in CODES[name]:
            errors.add(name, _("Choose one of the listed values."))
    if data.start_date and data.end_date and data.end_date < data.start_date:
        errors.add("end_date", _("The end date must be on or after the start date."))
    if data.geographic_level != Partnership.GeographicLevel.GLOBAL and not data.areas:
        errors.add("areas", _("Name at least one country or region, or set the level to global."))

    partners = data.partners if data.partners is not None else _current_partners(existing)
    org_ids = [p.organisation.id for p in partners]  # (`.pk` looks the field up: an import checks 100,000)
    partner_orgs = set(org_ids)
    if data.partners is not None or existing is None:
        roles = [p.role for p in partners]
        leads = roles.count(PartnerRole.LEAD)
        if leads != 1:
            errors.add("partners", _("Exactly one partner must be the lead (found %(n)d).") % {"n": leads})
        if len(org_ids) != len(partner_orgs):
            errors.add("partners", _("Each organisation can be a partner only once."))
        for role in roles:
            if role not in CODES["role"]:
                errors.add("partners", _("Unknown partner role: %(role)s.") % {"role": role})
    for c in data.commitments or []:
        if c.organisation.id not in partner_orgs:
            errors.add(
                "commitments",
                _("%(org)s pledges a commitment but is not a partner.") % {"org": c.organisation},
            )
        _validate_commitment(c, errors)
    for d in data.deliverables or []:
        if not d.title.strip():
            errors.add("deliverables", _("Every deliverable needs a title."))
        if d.status not in CODES["deliverable_status"]:
            errors.add("deliverables", _("Unknown deliverable status: %(status)s.") % {"status": d.status})
    errors.raise_if_any()


def _validate_commitment(c: CommitmentData, errors: FieldErrors) -> None:
    if c.kind not in CODES["commitment_kind"]:
        errors.add("commitments", _("A commitment is either financial or in kind."))
    if c.status not in CODES["commitment_status"]:
        errors.add("commitments", _("A commitment is either pledged or mobilised."))
    if c.amount is not None and c.amount < 0:
        errors.add("commitments", _("An amount cannot be negative."))
    if c.amount is not None and c.currency is None:
        errors.add("commitments", _("Give the currency of the amount."))
    if c.kind == Commitment.Kind.FINANCIAL and c.amount is None:
        errors.add("commitments", _("A financial commitment needs an amount and a currency."))
    if c.kind == Commitment.Kind.IN_KIND and c.in_kind_type not in CODES["in_kind_type"]:
        errors.add("commitments", _("Say what kind of in-kind contribution this is."))


def partnership_clean(data: PartnershipData, *, existing: Partnership | None = None) -> None:
    """Normalise and check a partnership's data as creating or updating it would, without writing (imports
    check every row first). Raises ValidationError with every problem by field."""
    _normalise(data)
    _validate(data, existing=existing)


def _current_partners(partnership: Partnership | None) -> list[PartnerData]:
    if partnership is None:
        return []
    return [
        PartnerData(organisation=p.organisation, role=p.role, objectives=p.objectives, id=p.pk)
        for p in partnership.partners.select_related("organisation")
    ]


def _sync_children(partnership: Partnership, data: PartnershipData, author: User) -> None:
    if data.partners is not None:
        by_org = {p.organisation_id: p for p in partnership.partners.all()}
        wanted = {item.organisation.pk: item for item in data.partners}
        # Remove dropped partners and demote the old lead first, so that the
        # single-lead constraint never sees two leads in between.
        for org_id, partner in list(by_org.items()):
            if org_id not in wanted:
                _delete(partner, author)
                del by_org[org_id]
            elif partner.role == PartnerRole.LEAD and wanted[org_id].role != PartnerRole.LEAD:
                partner.role = wanted[org_id].role
                _save(partner, author)
        for item in data.partners:
            partner = by_org.get(item.organisation.pk) or Partner(partnership=partnership)
            partner.organisation = item.organisation
            partner.role = item.role
            partner.objectives = item.objectives.strip()
            _save(partner, author)
    if data.commitments is not None:
        partners = {p.organisation_id: p for p in partnership.partners.all()}
        current = {c.pk: c for c in partnership.commitments.all()}
        seen: set[int] = set()
        for c in data.commitments:
            commitment = current.get(c.id) if c.id else None
            commitment = commitment or Commitment(partnership=partnership)
            _fill_commitment(commitment, c, partners[c.organisation.pk])
            _save(commitment, author)
            seen.add(commitment.pk)
        for pk, commitment in current.items():
            if pk not in seen:
                _delete(commitment, author)
    if data.deliverables is not None:
        current_d = {d.pk: d for d in partnership.deliverables.all()}
        seen = set()
        for d in data.deliverables:
            deliverable = (current_d.get(d.id) if d.id else None) or Deliverable(partnership=partnership)
            deliverable.title = d.title.strip()
            deliverable.due_date = d.due_date
            deliverable.status = d.status
            deliverable.evidence = d.evidence.strip()
            _save(deliverable, author)
            seen.add(deliverable.pk)
        for pk, deliverable in current_d.items():
            if pk not in seen:
                _delete(deliverable, author)


def _fill_commitment(commitment: Commitment, c: CommitmentData, partner: Partner) -> None:
    commitment.partner = partner
    commitment.kind = c.kind
    commitment.in_kind_type = c.in_kind_type if c.kind == Commitment.Kind.IN_KIND else ""
    commitment.amount = c.amount
    commitment.currency = c.currency
    commitment.description = c.description.strip()
    commitment.status = c.status


def partnership_data_of(partnership: Partnership) -> PartnershipData:
    """The partnership's current values, to change some of them and save through `partnership_update`
    (partners, commitments and deliverables are left as they are)."""
    return PartnershipData(
        **{name: getattr(partnership, name) for name in SCALAR_FIELDS},
        goals=list(partnership.goals.all()),
        targets=list(partnership.targets.all()),
        indicators=list(partnership.indicators.all()),
        areas=list(partnership.areas.all()),
    )


def _apply(partnership: Partnership, data: PartnershipData, author: User) -> None:
    for name in SCALAR_FIELDS:
        setattr(partnership, name, getattr(data, name))
    _save(partnership, author)
    partnership.goals.set(data.goals)
    partnership.targets.set(data.targets)
    partnership.indicators.set(data.indicators)
    partnership.areas.set(data.areas)
    _sync_children(partnership, data, author)


@transaction.atomic
def partnership_create(*, author: User, data: PartnershipData) -> Partnership:
    """Register a partnership as a draft; its author becomes its first focal point."""
    _normalise(data)
    _validate(data, existing=None)
    partnership = Partnership(created_by=author, status=Status.DRAFT)
    _apply(partnership, data, author)
    partnership.focal_points.add(author)
    index_partnerships([partnership.pk])
    return partnership


@transaction.atomic
def partnership_update(
    *, partnership: Partnership, author: User, data: PartnershipData, version: int | None = None
) -> Partnership:
    """Change a partnership; refused with ConflictError if someone else changed it since `version`."""
    _normalise(data)
    _validate(data, existing=partnership)
    version_bump(instance=partnership, expected=version)
    _apply(partnership, data, author)
    index_partnerships([partnership.pk])
    return partnership


@transaction.atomic
def partnership_delete(*, partnership: Partnership, author: User) -> None:
    """Delete a partnership with its partners, commitments and deliverables (all recorded in history)."""
    for child in [
        *partnership.commitments.all(),
        *partnership.deliverables.all(),
        *partnership.partners.all(),
    ]:
        _delete(child, author)
    _delete(partnership, author)


def _transition(
    partnership: Partnership,
    *,
    actor: User,
    allowed_from: tuple[str, ...],
    to: str,
    comment: str = "",
) -> Partnership:
    current = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if current.status not in allowed_from:
        raise ValidationError(
            {"status": [_("This action is not possible while the partnership is “%(status)s”.")
                        % {"status": current.get_status_display()}]}
        )  # fmt: skip
    if to == Status.PUBLISHED:
        reasons = [
            r
            for _receiver, found in publication_checks.send(Partnership, partnership=current)
            for r in found or []
        ]
        if reasons:
            raise ValidationError({"status": reasons})
    event = WorkflowEvent.objects.create(
        partnership=partnership,
        actor=actor,
        from_status=current.status,
        to_status=to,
        comment=comment.strip(),
    )
    partnership.status = to
    partnership.version = current.version + 1
    update_fields = ["status", "version", "updated_at"]
    if to == Status.PUBLISHED:
        partnership.published_at = partnership.published_at or timezone.now()
        update_fields.append("published_at")
    if to != Status.PUBLISHED and partnership.featured:
        partnership.featured = False
        update_fields.append("featured")
    partnership._history_user = actor  # type: ignore[attr-defined]
    partnership.save(update_fields=update_fields)
    status_changed.send(Partnership, partnership=partnership, from_status=current.status, to_status=to)
    index_partnerships([partnership.pk])
    transaction.on_commit(lambda: notify_workflow_event.enqueue(event_id=event.pk))
    return partnership


@transaction.atomic
def partnership_submit(*, partnership: Partnership, author: User) -> Partnership:
    """Send a draft (or a returned entry) to the secretariat's review queue."""
    return _transition(
        partnership, actor=author, allowed_from=(Status.DRAFT, Status.RETURNED), to=Status.SUBMITTED
    )


@transaction.atomic
def partnership_publish(*, partnership: Partnership, reviewer: User, comment: str = "") -> Partnership:
    """Publish a submitted partnership: it becomes visible to everyone."""
    return _transition(
        partnership, actor=reviewer, allowed_from=(Status.SUBMITTED,), to=Status.PUBLISHED, comment=comment
    )


@transaction.atomic
def partnership_return(*, partnership: Partnership, reviewer: User, comment: str) -> Partnership:
    """Return a submitted partnership to its focal points with the secretariat's comments."""
    if not comment.strip():
        raise ValidationError({"comment": [_("Say what the focal point should change.")]})
    return _transition(
        partnership, actor=reviewer, allowed_from=(Status.SUBMITTED,), to=Status.RETURNED, comment=comment
    )


@transaction.atomic
def partnership_unpublish(*, partnership: Partnership, reviewer: User, comment: str) -> Partnership:
    """Take a published partnership off the public registry and back to its focal points."""
    if not comment.strip():
        raise ValidationError({"comment": [_("Give the reason for unpublishing.")]})
    return _transition(
        partnership, actor=reviewer, allowed_from=(Status.PUBLISHED,), to=Status.RETURNED, comment=comment
    )


@transaction.atomic
def partnership_feature(*, partnership: Partnership, actor: User, featured: bool) -> Partnership:
    """Feature (or stop featuring) a published partnership on the home page."""
    if featured and partnership.status != Status.PUBLISHED:
        raise ValidationError({"featured": [_("Only published partnerships can be featured.")]})
    partnership.featured = featured
    partnership._history_user = actor  # type: ignore[attr-defined]
    partnership.save(update_fields=["featured", "updated_at"])
    return partnership


@transaction.atomic
def commitment_save(
    *,
    partnership: Partnership,
    author: User,
    data: CommitmentData,
    commitment: Commitment | None = None,
) -> Commitment:
    """Record or change one commitment (the contributor's path: their own organisation's pledge)."""
    errors = FieldErrors()
    partner = partnership.partners.filter(organisation=data.organisation).first()
    if partner is None:
        errors.add("organisation", _("This organisation is not a partner of the partnership."))
    _validate_commitment(data, errors)
    errors.raise_if_any()
    assert partner is not None
    commitment = commitment or Commitment(partnership=partnership)
    _fill_commitment(commitment, data, partner)
    _save(commitment, author)
    index_partnerships([partnership.pk])  # commitments weigh in the SMART facet
    return commitment


@transaction.atomic
def commitment_delete(*, commitment: Commitment, author: User) -> None:
    """Remove one commitment (recorded in history)."""
    _delete(commitment, author)
    index_partnerships([commitment.partnership_id])
