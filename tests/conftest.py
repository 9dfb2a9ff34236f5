"""Shared fixtures: reference data once per session, and the named personas of every permission test."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from partnerhub.accounts.models import SECRETARIAT_GROUP, Membership
from partnerhub.reference.models import Goal
from partnerhub.reference.services import reference_load
from partnerhub.registry.models import PartnerRole, Partnership

from .factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnerFactory,
    PartnershipFactory,
    UserFactory,
    index_all,
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        reference_load()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@dataclass
class World:
    """A small registry with one person per role (the personas of DESIGN.md)."""

    lead_org: object
    partner_org: object
    other_org: object
    partnership: Partnership  # a draft, run by `focal_point`
    published: Partnership
    focal_point: object
    contributor: object
    member: object
    outsider: object
    secretariat: object

    def persona(self, name: str):
        return None if name == "visitor" else getattr(self, name)


@pytest.fixture
def reference_data(db):
    """Reference data is loaded once per session; transactional tests flush it, so put it back if needed."""
    if not Goal.objects.exists():
        reference_load()


@pytest.fixture
def world(db, reference_data) -> World:
    lead_org = OrganisationFactory(name="Ocean Trust")
    partner_org = OrganisationFactory(name="Coastal University")
    other_org = OrganisationFactory(name="Unrelated Foundation")
    focal_point = UserFactory(username="focal")
    contributor = UserFactory(username="contributor")
    member = UserFactory(username="member")
    outsider = UserFactory(username="outsider")
    secretariat = UserFactory(username="curator")
    secretariat.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])
    MembershipFactory(user=focal_point, organisation=lead_org, is_admin=True)
    MembershipFactory(user=contributor, organisation=partner_org)
    MembershipFactory(user=member, organisation=other_org)
    MembershipFactory(user=outsider, organisation=other_org, status=Membership.Status.REJECTED)

    draft = PartnershipFactory(title="Mangrove draft", status=Partnership.Status.DRAFT, published_at=None)
    published = PartnershipFactory(title="Published reef partnership")
    for p in (draft, published):
        PartnerFactory(partnership=p, organisation=lead_org, role=PartnerRole.LEAD)
        PartnerFactory(partnership=p, organisation=partner_org, role=PartnerRole.TECHNICAL)
        p.focal_points.add(focal_point)
        p.goals.add(Goal.objects.get(number=14))
    index_all()
    return World(lead_org, partner_org, other_org, draft, published, focal_point, contributor, member, outsider,
                 secretariat)  # fmt: skip


@pytest.fixture
def api():
    return APIClient()


def api_as(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _flushes_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or "/e2e/" in str(item.fspath).replace("\\", "/")


def pytest_collection_modifyitems(config, items):
    """Transactional tests (the worker, the browser) flush the database, so they run after all the others."""
    items.sort(key=_flushes_database)
    for item in items:
        if "/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)
