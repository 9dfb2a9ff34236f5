"""factory_boy factories for test data. Reference data (goals, areas) is loaded once per session."""

import factory
from django.contrib.auth import get_user_model

from partnerhub.accounts.models import Membership
from partnerhub.registry.models import Organisation, OrganisationType, Partner, PartnerRole, Partnership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = OrganisationType.NGO


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = Membership.Status.APPROVED


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    title = factory.Sequence(lambda n: f"Partnership {n}")
    summary = "Restores mangroves with coastal communities."
    geographic_level = Partnership.GeographicLevel.GLOBAL
    status = Partnership.Status.PUBLISHED
    published_at = factory.Faker("date_time_this_decade", tzinfo=__import__("datetime").timezone.utc)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = PartnerRole.LEAD


def index_all() -> None:
    """Factories write rows directly (not through the services): bring the search index up to date."""
    from partnerhub.registry.search.index import index_partnerships

    index_partnerships(Partnership.objects.values_list("pk", flat=True))
