"""Writes about people: sign-up, organisation membership requests and decisions."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerhub.registry.models import Organisation

from .models import Membership


@transaction.atomic
def membership_request(*, user: User, organisation: Organisation, message: str = "") -> Membership:
    """Ask to join an organisation; its administrators decide."""
    existing = Membership.objects.filter(user=user, organisation=organisation).first()
    if existing is not None and existing.status != Membership.Status.REJECTED:
        raise ValidationError(
            {"organisation": [_("You are already a member of this organisation or have asked to join it.")]}
        )
    membership = existing or Membership(user=user, organisation=organisation)
    membership.status = Membership.Status.PENDING
    membership.message = message.strip()[:500]
    membership.decided_at = None
    membership.decided_by = None
    membership._history_user = user  # type: ignore[attr-defined]
    membership.save()
    return membership


@transaction.atomic
def membership_decide(
    *, membership: Membership, decided_by: User, approve: bool, make_admin: bool = False
) -> Membership:
    """Approve or reject a pending request to join an organisation."""
    if membership.status != Membership.Status.PENDING:
        raise ValidationError({"status": [_("This request has already been decided.")]})
    membership.status = Membership.Status.APPROVED if approve else Membership.Status.REJECTED
    membership.is_admin = approve and make_admin
    membership.decided_at = timezone.now()
    membership.decided_by = decided_by
    membership._history_user = decided_by  # type: ignore[attr-defined]
    membership.save()
    return membership


@transaction.atomic
def user_signup(
    *, username: str, email: str, password: str, first_name: str = "", last_name: str = ""
) -> User:
    """Create a person's account (the form has already validated the password strength)."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": [_("This username is taken.")]})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": [_("An account with this e-mail address exists. Reset its password instead.")]}
        )
    return User.objects.create_user(
        username=username, email=email, password=password, first_name=first_name, last_name=last_name
    )


def login_attempt_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The username django-axes records a login attempt under (settings.AXES_USERNAME_CALLABLE): what was
    typed, cut to its column (255 characters). Django does not hold the login form's username to its
    length, so a longer one reached axes, and on PostgreSQL the failed attempt could not be saved: the
    login page failed with a server error instead of saying the name or password was wrong."""
    typed = (
        credentials.get("username") if credentials else getattr(request, "data", request.POST).get("username")
    )
    return typed[:255] if isinstance(typed, str) else typed
