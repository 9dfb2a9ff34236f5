"""Object permissions of the registry. The same names are checked by views and API."""

import rules

from partnerhub.accounts.rules import (
    approved_organisation_ids,
    is_member,
    is_organisation_admin,
    is_secretariat,
)

from .models import Partnership


@rules.predicate
def is_focal_point(user, partnership) -> bool:
    if not user.is_authenticated or partnership is None:
        return False
    cache = getattr(partnership, "_ph_focal_ids", None)
    if cache is None:
        cache = partnership._ph_focal_ids = set(partnership.focal_points.values_list("id", flat=True))
    return user.pk in cache


@rules.predicate
def is_contributor(user, partnership) -> bool:
    """A member of one of the partnership's partner organisations."""
    if not user.is_authenticated or partnership is None:
        return False
    orgs = approved_organisation_ids(user)
    if not orgs:
        return False
    cache = getattr(partnership, "_ph_partner_org_ids", None)
    if cache is None:  # read once per partnership object: pages check several permissions on it
        cache = partnership._ph_partner_org_ids = set(
            partnership.partners.values_list("organisation_id", flat=True)
        )
    return not orgs.isdisjoint(cache)


@rules.predicate
def is_published(user, partnership) -> bool:
    return partnership is not None and partnership.status == Partnership.Status.PUBLISHED


@rules.predicate
def is_under_review(user, partnership) -> bool:
    return partnership is not None and partnership.status == Partnership.Status.SUBMITTED


@rules.predicate
def is_draft_or_returned(user, partnership) -> bool:
    return partnership is not None and partnership.status in (
        Partnership.Status.DRAFT,
        Partnership.Status.RETURNED,
    )


@rules.predicate
def is_commitment_of_own_organisation(user, commitment) -> bool:
    return commitment is not None and commitment.partner.organisation_id in approved_organisation_ids(user)


@rules.predicate
def can_change_commitment_partnership(user, commitment) -> bool:
    return commitment is not None and rules.has_perm(
        "registry.change_partnership", user, commitment.partnership
    )


can_view_partnership = is_published | is_focal_point | is_contributor | is_secretariat
can_change_partnership = (is_focal_point & ~is_under_review) | is_secretariat

rules.add_perm("registry.view_partnership", can_view_partnership)
rules.add_perm("registry.add_partnership", is_member | is_secretariat)
rules.add_perm("registry.change_partnership", can_change_partnership)
rules.add_perm("registry.delete_partnership", (is_focal_point & is_draft_or_returned) | is_secretariat)
rules.add_perm("registry.submit_partnership", is_focal_point & is_draft_or_returned)
rules.add_perm("registry.review_partnership", is_secretariat & is_under_review)
rules.add_perm("registry.unpublish_partnership", is_secretariat & is_published)
rules.add_perm("registry.feature_partnership", is_secretariat & is_published)
rules.add_perm("registry.view_history", can_view_partnership)


# Contributors record their own organisation's commitments; focal points and the secretariat all of them.
@rules.predicate
def is_commitment_partnership_under_review(user, commitment) -> bool:
    return commitment is not None and commitment.partnership.status == Partnership.Status.SUBMITTED


can_change_commitment = can_change_commitment_partnership | (
    is_commitment_of_own_organisation & ~is_commitment_partnership_under_review
)
rules.add_perm("registry.add_commitment", can_change_partnership | (is_contributor & ~is_under_review))
rules.add_perm("registry.change_commitment", can_change_commitment)
rules.add_perm("registry.delete_commitment", can_change_commitment)

rules.add_perm("registry.add_organisation", rules.is_authenticated)
rules.add_perm("registry.change_organisation", is_organisation_admin | is_secretariat)
rules.add_perm("registry.delete_organisation", is_secretariat)
rules.add_perm("registry.view_review_queue", is_secretariat)
