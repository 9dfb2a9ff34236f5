"""Demo needs, offers and a shortlisted scale-up pitch, written through the services (idempotent).

Angat Buhay needs a data partner to map poverty; organisations of the demo registry offer data, technology,
staff and funding; Pulse Polio (module E, with its scaling-up plan under way) pitches taking its
surveillance model to routine immunization, shortlisted for a Forum segment, where the demo investor can
express interest.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from partnerhub.reference.models import Area, Currency, Goal, Target
from partnerhub.registry import demo_data
from partnerhub.registry.models import Organisation, Partnership

from . import services
from .models import ForumSegment, Need, Offer, Pitch

NEEDS = [
    (
        "Angat Buhay anti-poverty partnership",
        dict(
            title="Data partner to map poverty hotspots",
            resource_type="data",
            partner_types=["academia", "un_entity", "private_large"],
            expertise="household survey data, poverty mapping, geospatial analysis",
            description="Municipal needs assessments vary in quality. We seek survey and geospatial data and the "
            "skills to map where poverty is deepest, so that partners' projects go where they matter most.",
            goals=[1],
            targets=["1.2"],
            areas=[],
        ),
    ),
    (
        "Angat Buhay anti-poverty partnership",
        dict(
            title="Funding for school feeding in 30 municipalities",
            resource_type="financial",
            partner_types=["philanthropy", "private_large", "financial_institution"],
            expertise="nutrition, school feeding",
            description="Co-funding for two years of school meals.",
            goals=[2, 4],
            targets=["2.1"],
            areas=[],
        ),
    ),
]
OFFERS = [
    ("escap", dict(
        title="Poverty mapping from national household surveys",
        resource_type="data", expertise="poverty mapping, household survey data, small-area estimation",
        description="Small-area poverty estimates and the analysts to produce them with national statistics "
        "offices in Asia and the Pacific.", goals=[1, 10], targets=["1.2"], areas=["142"],
    )),
    ("digital_co", dict(
        title="Mobile data collection platform",
        resource_type="technology", expertise="mobile surveys, dashboards",
        description="Our field survey app and dashboards, free for partnerships working on health and poverty.",
        goals=[1, 3], targets=[], areas=[],
    )),
    ("ocean_univ", dict(
        title="Mangrove carbon measurement",
        resource_type="staff", expertise="blue carbon, mangrove ecology, remote sensing",
        description="Researchers to measure carbon stored in restored mangroves.",
        goals=[13, 14], targets=["14.2"], areas=["009"],
    )),
    ("impact_fund", dict(
        title="Blended finance for health and nutrition programmes",
        resource_type="financial", expertise="blended finance, results-based financing",
        description="Loans and guarantees from USD 1 million for programmes with a proven model.",
        goals=[2, 3], targets=[], areas=[],
    )),
]  # fmt: skip
SEGMENT = ("Partnership Forum: scaling up what works", date(2027, 4, 28))
PITCH: tuple[str, dict[str, Any]] = (
    "Pulse Polio Immunization Programme",
    dict(
        title="From polio eradication to routine immunization for every child",
        ask="Funding and technical partners to move the polio surveillance network and micro-plans into routine "
        "immunization in the remaining low-coverage districts, and to share the model with two more countries.",
        dimensions=["social", "physical", "political"],
        evidence="WHO certified India polio-free in 2014; the surveillance network reported every acute flaccid "
        "paralysis case; the micro-plans reached more than 170 million children per round.",
        budget=Decimal("45000000"),
        budget_notes="Surveillance staff for three years, cold chain in 120 districts, exchange with two countries.",
    ),
)


def _data(spec: dict) -> services.ListingData:
    return services.ListingData(
        title=spec["title"], resource_type=spec["resource_type"], description=spec["description"],
        expertise=spec["expertise"], partner_types=spec.get("partner_types", []),
        goals=list(Goal.objects.filter(number__in=spec["goals"])),
        targets=list(Target.objects.filter(code__in=spec["targets"])),
        areas=list(Area.objects.filter(code__in=spec["areas"])),
    )  # fmt: skip


@transaction.atomic
def demo_matching() -> int:
    """Returns the number of listings and pitches written (0 when already there)."""
    User = get_user_model()
    curator = User.objects.get(username="secretariat")
    written = 0
    for title, spec in NEEDS:
        partnership = Partnership.objects.filter(title=title).first()
        if partnership is None or Need.objects.filter(partnership=partnership, title=spec["title"]).exists():
            continue
        author = partnership.focal_points.first() or curator
        services.need_save(partnership=partnership, author=author, data=_data(spec))
        written += 1
    for key, spec in OFFERS:
        organisation = Organisation.objects.filter(name=demo_data.ORGANISATIONS[key][0]).first()
        if (
            organisation is None
            or Offer.objects.filter(organisation=organisation, title=spec["title"]).exists()
        ):
            continue
        services.offer_save(organisation=organisation, author=curator, data=_data(spec))
        written += 1
    pitch_title, pitch_spec = PITCH
    partnership = Partnership.objects.filter(title=pitch_title).first()
    if partnership is not None and not Pitch.objects.filter(partnership=partnership).exists():
        author = partnership.focal_points.first() or curator
        pitch = services.pitch_save(
            partnership=partnership, author=author,
            data=services.PitchData(currency=Currency.objects.get(code="USD"), **pitch_spec),
        )  # fmt: skip
        services.pitch_submit(pitch=pitch, author=author)
        segment, _ = ForumSegment.objects.get_or_create(title=SEGMENT[0], defaults={"date": SEGMENT[1]})
        services.pitch_shortlist(pitch=pitch, segment=segment, actor=curator)
        written += 1
    return written
