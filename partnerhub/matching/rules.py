"""Who may post needs and offers, pitch, shortlist and express interest (django-rules; pages and API
check the same names).

Needs belong to a partnership and are managed by whoever may change it; offers belong to an organisation
and are managed by its members. Open needs of published partnerships and open offers are public. The
pipeline of submitted pitches is for funders (members of a philanthropy, private-sector or financial
organisation) and the secretariat; shortlisted pitches are public, as they are presented at the Forum.
"""

import rules
from django.db.models import QuerySet

from partnerhub.accounts.rules import approved_organisation_ids, is_member, is_secretariat
from partnerhub.registry.models import Organisation, Partnership

from .models import FUNDER_TYPES, Pitch


def funder_organisations(user) -> QuerySet[Organisation]:
    """The funding organisations the user acts for."""
    return Organisation.objects.filter(
        pk__in=approved_organisation_ids(user), type__in=FUNDER_TYPES
    ).order_by("name")


@rules.predicate
def is_funder(user) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_ph_is_funder"):
        user._ph_is_funder = funder_organisations(user).exists()
    return user._ph_is_funder


def _may_change(user, partnership: Partnership | None) -> bool:
    return partnership is not None and user.has_perm("registry.change_partnership", partnership)


@rules.predicate
def manages_partnership(user, obj) -> bool:
    """For a need, pitch or interest: may the user manage the partnership it belongs to?"""
    if obj is None:
        return False
    if isinstance(obj, Partnership):
        return _may_change(user, obj)
    pitch = getattr(obj, "pitch", None)
    return _may_change(user, (pitch or obj).partnership)


@rules.predicate
def is_member_of_offerer(user, offer) -> bool:
    return offer is not None and offer.organisation_id in approved_organisation_ids(user)


@rules.predicate
def is_public_need(user, need) -> bool:
    return (
        need is not None and need.status == "open" and need.partnership.status == Partnership.Status.PUBLISHED
    )


@rules.predicate
def is_open(user, obj) -> bool:
    return obj is not None and obj.status == "open"


@rules.predicate
def is_shortlisted(user, pitch) -> bool:
    return pitch is not None and pitch.status == Pitch.Status.SHORTLISTED


@rules.predicate
def is_in_pipeline(user, pitch) -> bool:
    return pitch is not None and pitch.status in (Pitch.Status.SUBMITTED, Pitch.Status.SHORTLISTED)


@rules.predicate
def is_editable_pitch(user, pitch) -> bool:
    return pitch is not None and pitch.status in (Pitch.Status.DRAFT, Pitch.Status.SUBMITTED)


rules.add_perm("matching.add_need", manages_partnership)
rules.add_perm("matching.change_need", manages_partnership)
rules.add_perm("matching.view_need", is_public_need | manages_partnership | is_secretariat)
rules.add_perm("matching.add_offer", is_member)
rules.add_perm("matching.change_offer", is_member_of_offerer | is_secretariat)
rules.add_perm("matching.view_offer", is_open | is_member_of_offerer | is_secretariat)
rules.add_perm("matching.add_pitch", manages_partnership)
rules.add_perm("matching.change_pitch", manages_partnership & is_editable_pitch)
rules.add_perm(
    "matching.view_pitch",
    is_shortlisted | (is_in_pipeline & (is_funder | is_secretariat)) | manages_partnership | is_secretariat,
)
rules.add_perm("matching.view_pipeline", is_funder | is_secretariat)
rules.add_perm("matching.shortlist_pitch", is_secretariat & is_in_pipeline)
rules.add_perm("matching.express_interest", is_funder & is_in_pipeline)
rules.add_perm("matching.decide_interest", manages_partnership)
rules.add_perm("matching.manage_segments", is_secretariat)
