"""Demo due diligence: the shipped sample of the Consolidated List, every organisation screened, and one
organisation with a possible match waiting for the secretariat."""

import gzip
from pathlib import Path

from partnerhub.registry.models import Organisation, OrganisationType

from .models import KeyPerson, SanctionsList
from .services import sanctions_import, screen, screen_everyone

SAMPLE = Path(__file__).parent / "data" / "consolidated-2018-10-29.xml.gz"


def demo_screening(author) -> None:
    """Import the sample list (once) and screen every organisation, before anything is published."""
    if not SanctionsList.objects.exists():
        with gzip.open(SAMPLE, "rb") as source:
            sanctions_import(source, name=SAMPLE.name, author=author)  # type: ignore[arg-type]
    screen_everyone()


def demo_flagged(author) -> Organisation:
    """A trading company whose director's name is a transliteration of a listed person's."""
    org, created = Organisation.objects.get_or_create(
        name="Pacific Mineral Trading Company",
        defaults={
            "type": OrganisationType.PRIVATE_MSME,
            "description": "Registered in the demo to show screening.",
        },
    )
    if created or not org.key_people.exists():
        KeyPerson.objects.get_or_create(organisation=org, name="Won-ho Ri", defaults={"role": "Director"})
        screen(org)
    return org
