from dataclasses import dataclass, fields

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerhub.accounts.models import Membership
from partnerhub.core.services import version_bump
from partnerhub.reference.models import Area

from ..models import Organisation, OrganisationType
from ..search.index import index_partnerships
from ..signals import organisation_saved


@dataclass
class OrganisationData:
    name: str
    type: str
    acronym: str = ""
    country: Area | None = None
    website: str = ""
    description: str = ""
    global_compact_participant: bool = False


def _validate(data: OrganisationData, *, instance: Organisation | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors.setdefault("name", []).append(_("Enter the organisation's name."))
    if data.type not in OrganisationType.values:
        errors.setdefault("type", []).append(_("Choose one of the organisation types."))
    if data.country is not None and data.country.kind != Area.Kind.COUNTRY:
        errors.setdefault("country", []).append(_("Choose a country, not a region."))
    clash = Organisation.objects.filter(name__iexact=data.name.strip(), country=data.country)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if data.name.strip() and clash.exists():
        errors.setdefault("name", []).append(
            _("An organisation with this name is already registered in this country.")
        )
    if errors:
        raise ValidationError(errors)


def _apply(organisation: Organisation, data: OrganisationData) -> None:
    for f in fields(data):
        value = getattr(data, f.name)
        setattr(organisation, f.name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def organisation_create(*, author: User, data: OrganisationData) -> Organisation:
    """Register an organisation; its author becomes its first (approved) administrator."""
    _validate(data)
    organisation = Organisation(created_by=author)
    _apply(organisation, data)
    organisation._history_user = author  # type: ignore[attr-defined]
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(
        user=author,
        organisation=organisation,
        status=Membership.Status.APPROVED,
        is_admin=True,
        decided_at=timezone.now(),
        decided_by=author,
    )
    organisation_saved.send(sender=Organisation, organisation=organisation, created=True)
    return organisation


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    author: User,
    data: OrganisationData,
    version: int | None = None,
) -> Organisation:
    """Change an organisation's profile; refused if someone else changed it since `version`."""
    _validate(data, instance=organisation)
    version_bump(instance=organisation, expected=version)
    _apply(organisation, data)
    organisation._history_user = author  # type: ignore[attr-defined]
    organisation.full_clean()
    organisation.save()
    # Its name and type are searched and faceted in every partnership it belongs to.
    index_partnerships(organisation.partner_roles.values_list("partnership_id", flat=True))
    organisation_saved.send(sender=Organisation, organisation=organisation, created=False)
    return organisation
