import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from partnerhub.accounts.models import Membership

from ..factories import OrganisationFactory, UserFactory


def test_signup_logs_in_and_hashes_with_argon2_in_production(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    client = Client()
    response = client.post(reverse("accounts:signup"), {
        "username": "amina", "email": "amina@example.org", "password1": "blue-lagoon-2030", "password2": "blue-lagoon-2030"})  # fmt: skip
    assert response.status_code == 302
    assert User.objects.get(username="amina").password.startswith("argon2")
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.parametrize(
    "data, field",
    [
        ({"password1": "short", "password2": "short"}, "password1"),
        ({"password1": "blue-lagoon-2030", "password2": "other-lagoon-2030"}, "password2"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_signup_errors_are_shown_and_no_account_created(db, data, field):
    base = {"username": "amina", "email": "amina@example.org", "password1": "blue-lagoon-2030",
            "password2": "blue-lagoon-2030"}  # fmt: skip
    response = Client().post(reverse("accounts:signup"), {**base, **data})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not User.objects.filter(username="amina").exists()


def test_duplicate_email_is_refused(db):
    UserFactory(username="first", email="same@example.org")
    response = Client().post(reverse("accounts:signup"), {
        "username": "second", "email": "SAME@example.org", "password1": "blue-lagoon-2030", "password2": "blue-lagoon-2030"})  # fmt: skip
    assert "email" in response.context["form"].errors


@override_settings(AXES_FAILURE_LIMIT=3)
def test_login_is_throttled_after_repeated_failures(db):
    UserFactory(username="amina")
    client = Client()
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "amina", "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": "amina", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=2)
def test_a_name_longer_than_any_is_a_wrong_login_and_still_counts_towards_the_lockout(db):
    """Django does not hold the login name to its length; axes records it cut to its column (on
    PostgreSQL the whole name failed the page with a server error)."""
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "x" * 5000, "password": "wrong"})
    assert response.status_code == 200 and response.context["form"].errors
    assert AccessAttempt.objects.get().username == "x" * 255
    response = client.post(reverse("accounts:login"), {"username": "x" * 5000, "password": "wrong"})
    assert response.status_code == 429


def test_login_works_with_the_right_password(db):
    UserFactory(username="amina")
    response = Client().post(
        reverse("accounts:login"), {"username": "amina", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302


def test_password_reset_sends_a_working_link(db):
    UserFactory(username="amina", email="amina@example.org")
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": "amina@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200 and "validlink" in response.context
    response = client.post(response.redirect_chain[-1][0], {"new_password1": "new-lagoon-2031",
                                                           "new_password2": "new-lagoon-2031"})  # fmt: skip
    assert response.status_code == 302
    assert User.objects.get(username="amina").check_password("new-lagoon-2031")


def test_join_request_and_admin_approval(db):
    org = OrganisationFactory()
    admin = UserFactory(username="admin")
    Membership.objects.create(user=admin, organisation=org, status="approved", is_admin=True)
    person = UserFactory(username="newcomer")
    stranger = UserFactory(username="stranger")
    client = Client()
    client.force_login(person)
    client.post(reverse("registry:organisation_join", args=[org.pk]), {"message": "I run the Suva office."})
    membership = Membership.objects.get(user=person, organisation=org)
    assert membership.status == "pending"
    # Asking twice is refused with a message, not a second row.
    client.post(reverse("registry:organisation_join", args=[org.pk]), {})
    assert Membership.objects.filter(user=person).count() == 1
    url = reverse("registry:membership_decide", args=[org.pk, membership.pk])
    outsider = Client()
    outsider.force_login(stranger)
    assert outsider.post(url, {"decision": "approve"}).status_code == 403
    admin_client = Client()
    admin_client.force_login(admin)
    assert admin_client.post(url, {"decision": "approve"}).status_code == 302
    membership.refresh_from_db()
    assert membership.status == "approved" and membership.decided_by == admin
    assert person.has_perm("registry.add_partnership")


def test_token_regeneration(db):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    client.post(reverse("accounts:token_regenerate"))
    first = user.auth_token.key
    client.post(reverse("accounts:token_regenerate"))
    user.refresh_from_db()
    assert user.auth_token.key != first
