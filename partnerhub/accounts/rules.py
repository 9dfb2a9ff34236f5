"""Who may do what. Predicates shared by the HTML views and the API (django-rules)."""

import rules

from .models import SECRETARIAT_GROUP, Membership


@rules.predicate
def is_secretariat(user) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_ph_is_secretariat"):
        user._ph_is_secretariat = user.is_superuser or user.groups.filter(name=SECRETARIAT_GROUP).exists()
    return user._ph_is_secretariat


def approved_organisation_ids(user) -> set[int]:
    """Organisations the user is an approved member of; cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_ph_org_ids"):
        user._ph_org_ids = set(
            Membership.objects.filter(user=user, status=Membership.Status.APPROVED).values_list(
                "organisation_id", flat=True
            )
        )
    return user._ph_org_ids


@rules.predicate
def is_member(user) -> bool:
    return bool(approved_organisation_ids(user))


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    if not user.is_authenticated or organisation is None:
        return False
    return Membership.objects.filter(
        user=user, organisation=organisation, status=Membership.Status.APPROVED, is_admin=True
    ).exists()


rules.add_perm("accounts.decide_membership", is_organisation_admin | is_secretariat)
rules.add_perm("accounts.request_membership", rules.is_authenticated)
