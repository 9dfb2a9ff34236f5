"""Load the demo data set (organisations, partnerships, one login per role) through the services."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from partnerhub.accounts.models import SECRETARIAT_GROUP, Membership
from partnerhub.reference.models import Area, Currency, Goal, Indicator, Target

from . import demo_data, services
from .models import Organisation, Partnership


@dataclass(frozen=True)
class DemoCounts:
    organisations: int
    partnerships: int
    users: int


def _area(code: str) -> Area:
    return Area.objects.get(iso3=code) if len(code) == 3 and code.isalpha() else Area.objects.get(code=code)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _data(entry: dict, orgs: dict[str, Organisation]) -> services.PartnershipData:
    return services.PartnershipData(
        title=entry["title"], summary=entry["summary"], challenge=entry.get("challenge", ""),
        objectives=entry.get("objectives", ""), baseline=entry.get("baseline", ""),
        goals=list(Goal.objects.filter(number__in=entry["goals"])),
        primary_goal=Goal.objects.get(number=entry["goals"][0]),
        targets=list(Target.objects.filter(code__in=entry["targets"])),
        indicators=list(Indicator.objects.filter(code__in=entry.get("indicators", []))),
        geographic_level=entry["level"], areas=[_area(c) for c in entry["areas"]], category=entry["category"],
        start_date=_date(entry["start"]), end_date=_date(entry["end"]),
        language=entry.get("language", "en"),
        partners=[services.PartnerData(organisation=orgs[k], role=r) for k, r in entry["partners"]],
        commitments=[
            services.CommitmentData(
                organisation=orgs[k], kind=kind, amount=Decimal(amount) if amount is not None else None,
                currency=Currency.objects.get(code=cur) if cur else None, in_kind_type=ikt, description=desc,
                status=status,
            )
            for k, kind, amount, cur, ikt, desc, status in entry["commitments"]
        ],
        deliverables=[services.DeliverableData(title=t, due_date=_date(d), status=s) for t, d, s in entry["deliverables"]],
    )  # fmt: skip


@transaction.atomic
def demo_load() -> DemoCounts:
    """Create the demo organisations, partnerships and users. Running it again changes nothing."""
    User = get_user_model()
    secretariat_group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    users = {}
    for username, (_description, memberships, is_secretariat) in demo_data.USERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username, email=f"{username}@example.org", password=demo_data.DEMO_PASSWORD,
                first_name=username.capitalize(), last_name="(demo)",
            )  # fmt: skip
        if is_secretariat:
            user.groups.add(secretariat_group)
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        users[username] = (user, memberships)

    orgs = {}
    for key, (name, acronym, type_, country, website) in demo_data.ORGANISATIONS.items():
        country_area = Area.objects.get(iso3=country) if country else None
        org = Organisation.objects.filter(name=name).first()
        if org is None:
            org = Organisation(name=name, acronym=acronym, type=type_, country=country_area, website=website,
                               global_compact_participant=type_ == "private_large")  # fmt: skip
            org._history_user = users["secretariat"][0]  # type: ignore[attr-defined]
            org.save()
        orgs[key] = org
    for user, memberships in users.values():
        for key, is_admin in memberships:
            Membership.objects.get_or_create(
                user=user, organisation=orgs[key],
                defaults={"status": Membership.Status.APPROVED, "is_admin": is_admin, "decided_at": timezone.now()},
            )  # fmt: skip

    curator = users["secretariat"][0]
    from partnerhub.diligence.demo import demo_flagged, demo_screening
    from partnerhub.lifecycle.services import panel_member_add

    demo_screening(curator)
    demo_flagged(curator)
    created = 0
    entries: list[tuple[dict, bool]] = [(e, True) for e in demo_data.PARTNERSHIPS]
    entries += [(e, False) for e in demo_data.SUBMITTED]
    for entry, publish in entries:
        if Partnership.objects.filter(title=entry["title"]).exists():
            continue
        partnership = services.partnership_create(author=curator, data=_data(entry, orgs))
        focal = [users[u][0] for u, titles in demo_data.FOCAL_POINT_OF.items() if entry["title"] in titles]
        partnership.focal_points.set(focal or [curator])
        services.partnership_submit(partnership=partnership, author=focal[0] if focal else curator)
        if publish and partnership.category == Partnership.Category.UN_LED:
            # The full path: a review panel of the partners before publication (task 9.1).
            lead = partnership.partners.get(role="lead")
            panel_member_add(
                partnership=partnership, user=focal[0] if focal else curator, partner=lead, author=curator
            )
        if publish:
            services.partnership_publish(partnership=partnership, reviewer=curator)
            if entry.get("featured"):
                services.partnership_feature(partnership=partnership, actor=curator, featured=True)
        created += 1
    return DemoCounts(organisations=len(orgs), partnerships=created, users=len(users))
