"""Writes of matching and the Forum. Each public function is one transaction and validates before it writes."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerhub.accounts.rules import approved_organisation_ids
from partnerhub.core.services import save_by
from partnerhub.lifecycle.models import ScalingPlan
from partnerhub.reference.models import Area, Currency, Goal, Target
from partnerhub.registry.models import Organisation, OrganisationType, Partnership

from .models import FUNDER_TYPES, ForumSegment, Interest, Need, Offer, Pitch, ResourceType
from .tasks import notify_interest

Status = Pitch.Status


@dataclass
class ListingData:
    title: str
    resource_type: str
    description: str = ""
    expertise: str = ""
    areas: Sequence[Area] = ()
    goals: Sequence[Goal] = ()
    targets: Sequence[Target] = ()
    partner_types: list[str] = field(default_factory=list)  # needs only


@dataclass
class PitchData:
    title: str
    ask: str
    dimensions: list[str]
    evidence: str
    budget: Decimal | None
    currency: Currency | None
    budget_notes: str = ""


def _check_listing(data: ListingData) -> None:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("Give a title.")]
    if data.resource_type not in ResourceType.values:
        errors["resource_type"] = [_("Choose the kind of resource.")]
    unknown = [t for t in data.partner_types if t not in OrganisationType.values]
    if unknown:
        errors["partner_types"] = [_("Unknown organisation type: %(types)s.") % {"types": ", ".join(unknown)}]
    goal_ids = {g.pk for g in data.goals}
    stray = sorted(t.code for t in data.targets if goal_ids and t.goal_id not in goal_ids)
    if stray:
        errors["targets"] = [
            _("Target(s) %(targets)s do not belong to the goals chosen.") % {"targets": ", ".join(stray)}
        ]
    if errors:
        raise ValidationError(errors)


def _save_listing(listing: Need | Offer, data: ListingData, author: User) -> None:
    _check_listing(data)
    listing.title = data.title.strip()
    listing.description = data.description.strip()
    listing.expertise = data.expertise.strip()
    listing.resource_type = data.resource_type
    if listing.pk is None:
        listing.created_by = author
    save_by(listing, author)
    listing.areas.set(data.areas)
    listing.goals.set(data.goals)
    listing.targets.set(data.targets)


@transaction.atomic
def need_save(*, partnership: Partnership, author: User, data: ListingData, need: Need | None = None) -> Need:
    need = need or Need(partnership=partnership)
    need.partner_types = list(dict.fromkeys(data.partner_types))
    _save_listing(need, data, author)
    return need


@transaction.atomic
def offer_save(
    *, organisation: Organisation, author: User, data: ListingData, offer: Offer | None = None
) -> Offer:
    if data.partner_types:
        raise ValidationError({"partner_types": [_("An offer does not seek partner types.")]})
    offer = offer or Offer(organisation=organisation)
    _save_listing(offer, data, author)
    return offer


@transaction.atomic
def listing_set_status(*, listing: Need | Offer, author: User, status: str) -> Need | Offer:
    if status not in type(listing).Status.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    listing.status = status
    save_by(listing, author)
    return listing


# -- pitches -------------------------------------------------------------------------------------------------
def may_pitch(partnership: Partnership) -> tuple[bool, str]:
    """Published partnerships in module E, or with a scaling-up plan under way or planned, may pitch."""
    if partnership.status != Partnership.Status.PUBLISHED:
        return False, _("Only published partnerships can pitch.")
    if partnership.stage == Partnership.Stage.REINVENT:
        return True, ""
    plan = ScalingPlan.objects.filter(partnership=partnership).first()
    if plan and plan.decision in (ScalingPlan.Decision.PLANNED, ScalingPlan.Decision.UNDERWAY):
        return True, ""
    return False, _(
        "Pitches are for partnerships in module E (reinvent or sustain) or with a scaling-up plan "
        "that is planned or under way (workspace task 11.1)."
    )


def _check_pitch(data: PitchData) -> None:
    errors: dict[str, list[str]] = {}
    for name, label in (("title", _("Give a title.")), ("ask", _("Say what you ask for.")),
                        ("evidence", _("Give the evidence that the partnership works."))):  # fmt: skip
        if not getattr(data, name).strip():
            errors[name] = [label]
    if not data.dimensions:
        errors["dimensions"] = [_("Choose at least one dimension of scaling.")]
    elif any(d not in Pitch.Dimension.values for d in data.dimensions):
        errors["dimensions"] = [_("Unknown dimension of scaling.")]
    if data.budget is None or data.budget <= 0:
        errors["budget"] = [_("The budget must be more than zero.")]
    if data.currency is None:
        errors["currency"] = [_("Choose the currency of the budget.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pitch_save(
    *, partnership: Partnership, author: User, data: PitchData, pitch: Pitch | None = None
) -> Pitch:
    ok, why = may_pitch(partnership)
    if not ok:
        raise ValidationError({"__all__": [why]})
    if pitch is not None and pitch.status not in (Status.DRAFT, Status.SUBMITTED):
        raise ValidationError({"__all__": [_("A shortlisted or withdrawn pitch can no longer be changed.")]})
    _check_pitch(data)
    assert data.budget is not None and data.currency is not None  # checked
    pitch = pitch or Pitch(partnership=partnership, created_by=author)
    pitch.title, pitch.ask, pitch.evidence = data.title.strip(), data.ask.strip(), data.evidence.strip()
    pitch.dimensions = [d for d in Pitch.Dimension.values if d in data.dimensions]
    pitch.budget, pitch.currency, pitch.budget_notes = data.budget, data.currency, data.budget_notes.strip()
    save_by(pitch, author)
    return pitch


def _move(
    pitch: Pitch,
    author: User,
    allowed: tuple[str, ...],
    to: str,
    message: str,
    segment: ForumSegment | None = None,
) -> Pitch:
    pitch = Pitch.objects.select_for_update().get(pk=pitch.pk)
    if pitch.status not in allowed:
        raise ValidationError({"status": [message]})
    pitch.status = to
    now = timezone.now()
    if to == Status.SUBMITTED and pitch.submitted_at is None:
        pitch.submitted_at = now
    if to == Status.SHORTLISTED:
        pitch.segment, pitch.shortlisted_at = segment, now
    else:
        pitch.segment, pitch.shortlisted_at = None, None
    save_by(pitch, author)
    return pitch


@transaction.atomic
def pitch_submit(*, pitch: Pitch, author: User) -> Pitch:
    ok, why = may_pitch(pitch.partnership)
    if not ok:
        raise ValidationError({"__all__": [why]})
    return _move(pitch, author, (Status.DRAFT, Status.WITHDRAWN), Status.SUBMITTED,
                 _("Only a draft or withdrawn pitch can be submitted."))  # fmt: skip


@transaction.atomic
def pitch_withdraw(*, pitch: Pitch, author: User) -> Pitch:
    return _move(pitch, author, (Status.SUBMITTED, Status.SHORTLISTED), Status.WITHDRAWN,
                 _("Only a pitch in the pipeline can be withdrawn."))  # fmt: skip


@transaction.atomic
def pitch_shortlist(*, pitch: Pitch, segment: ForumSegment | None, actor: User) -> Pitch:
    if segment is None:
        raise ValidationError({"segment": [_("Choose the Forum segment.")]})
    return _move(pitch, actor, (Status.SUBMITTED, Status.SHORTLISTED), Status.SHORTLISTED,
                 _("Only a pitch in the pipeline can be shortlisted."), segment)  # fmt: skip


@transaction.atomic
def pitch_unshortlist(*, pitch: Pitch, actor: User) -> Pitch:
    return _move(pitch, actor, (Status.SHORTLISTED,), Status.SUBMITTED, _("The pitch is not shortlisted."))


@transaction.atomic
def segment_create(*, title: str, date: datetime.date | None, description: str, actor: User) -> ForumSegment:
    errors = {}
    if not title.strip():
        errors["title"] = [_("Give a title.")]
    if date is None:
        errors["date"] = [_("Give the date.")]
    if errors or date is None:
        raise ValidationError(errors)
    return ForumSegment.objects.create(title=title.strip(), date=date, description=description.strip())


# -- interest ------------------------------------------------------------------------------------------------
@transaction.atomic
def interest_express(
    *,
    pitch: Pitch,
    organisation: Organisation,
    author: User,
    message: str = "",
    amount: Decimal | None = None,
) -> Interest:
    if organisation.pk not in approved_organisation_ids(author):
        raise ValidationError(
            {"organisation": [_("You can express interest only for your own organisation.")]}
        )
    if organisation.type not in FUNDER_TYPES:
        raise ValidationError(
            {
                "organisation": [
                    _("Only foundations, companies and financial institutions can express interest.")
                ]
            }
        )
    pitch = Pitch.objects.select_for_update().get(pk=pitch.pk)
    if pitch.status not in (Status.SUBMITTED, Status.SHORTLISTED):
        raise ValidationError({"__all__": [_("This pitch is not in the pipeline.")]})
    if pitch.partnership.partners.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": [_("Your organisation is already a partner of this partnership.")]}
        )
    if amount is not None and amount <= 0:
        raise ValidationError({"amount": [_("The amount must be more than zero.")]})
    if Interest.objects.filter(pitch=pitch, organisation=organisation).exists():
        raise ValidationError(
            {"__all__": [_("Your organisation has already expressed interest in this pitch.")]}
        )
    interest = Interest(pitch=pitch, organisation=organisation, message=message.strip(), amount=amount,
                        created_by=author)  # fmt: skip
    save_by(interest, author)
    transaction.on_commit(lambda: notify_interest.enqueue(interest_id=interest.pk))
    return interest


@transaction.atomic
def interest_decide(*, interest: Interest, actor: User, accept: bool) -> Interest:
    interest = Interest.objects.select_for_update().get(pk=interest.pk)
    if interest.status != Interest.Status.PENDING:
        raise ValidationError({"status": [_("This request has already been answered.")]})
    interest.status = Interest.Status.ACCEPTED if accept else Interest.Status.DECLINED
    interest.decided_at, interest.decided_by = timezone.now(), actor
    save_by(interest, actor)
    transaction.on_commit(lambda: notify_interest.enqueue(interest_id=interest.pk))
    return interest
