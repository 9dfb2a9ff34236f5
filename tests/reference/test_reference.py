import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import partnerhub
from partnerhub.core.i18n import UN_LANGUAGES
from partnerhub.reference.models import (
    GOAL_COLOURS,
    GOAL_INKS,
    Area,
    AreaGroup,
    Currency,
    Goal,
    Indicator,
    Target,
    contrast,
)
from partnerhub.reference.services import IATI_DIR, reference_load
from partnerhub.registry.models import (
    IATI_ORGANISATION_ROLE,
    IATI_ORGANISATION_TYPE,
    OrganisationType,
    PartnerRole,
)


def test_counts_and_idempotent_reload(db):
    counts = reference_load()
    assert (counts.goals, counts.targets, counts.indicators) == (17, 169, 252)
    assert Goal.objects.count() == 17 and Target.objects.count() == 169 and Indicator.objects.count() == 252
    assert Area.objects.filter(kind="country").count() == 249
    assert Currency.objects.filter(code="XOF").exists()


@pytest.mark.parametrize("lang", UN_LANGUAGES)
def test_every_goal_and_target_has_text_in_every_language(db, lang):
    assert not Goal.objects.filter(**{f"short_{lang}": ""}).exists()
    assert not Target.objects.filter(**{f"title_{lang}": ""}).exists()
    assert Area.objects.filter(kind="country").exclude(**{f"name_{lang}": ""}).count() == 249


def test_target_order_and_indicator_codes(db):
    assert list(Target.objects.filter(goal=14).values_list("code", flat=True))[-4:] == [
        "14.7",
        "14.a",
        "14.b",
        "14.c",
    ]
    indicator = Indicator.objects.get(code="14.1.1")
    assert indicator.target_id == "14.1" and indicator.unsd_code == "C140101"


def test_country_groups_are_dated_data(db):
    ldc = AreaGroup.objects.get(code="LDC")
    assert ldc.as_of.isoformat() == "2024-09-25" and ldc.areas.count() == 45
    assert Area.objects.get(iso3="STP").groups.filter(code="LDC").exists()  # graduated only in Dec 2024
    samoa = Area.objects.get(iso3="WSM")
    assert set(samoa.groups.values_list("code", flat=True)) == {"SIDS"}
    assert samoa.region.code == "009" and samoa.parent.name_en == "Polynesia"
    assert set(Area.objects.get(iso3="MLI").groups.values_list("code", flat=True)) == {"LDC", "LLDC"}


def _codes(name: str) -> set[str]:
    return {item.findtext("code") for item in ET.parse(IATI_DIR / f"{name}.xml").iter("codelist-item")}


def test_organisation_types_and_roles_map_to_iati_code_lists():
    assert set(IATI_ORGANISATION_TYPE) == set(OrganisationType)
    assert set(IATI_ORGANISATION_TYPE.values()) <= _codes("OrganisationType")
    assert set(IATI_ORGANISATION_ROLE) == set(PartnerRole)
    assert set(IATI_ORGANISATION_ROLE.values()) <= _codes("OrganisationRole")


def test_text_on_every_goal_colour_is_readable_and_the_stylesheet_agrees():
    """WCAG AA asks 4.5:1 for text of any size; the official white fails it on seven SDG colours (SDG 15's
    green reaches 2.3). The stylesheet's goal classes repeat the colours and their text colour."""
    assert contrast("#ffffff", "#000000") == pytest.approx(21) and contrast("#777777", "#777777") == 1
    assert contrast(GOAL_COLOURS[15], "#ffffff") < 3 and GOAL_INKS[15] != "#ffffff"
    css = (Path(partnerhub.__file__).parent / "static/partnerhub/app.css").read_text()
    declared = {
        int(n): (colour.upper(), ink.lower())
        for n, colour, ink in re.findall(r"\.g(\d+) \{ --goal: (#\w{6}); --on-goal: (#\w{6}); \}", css)
    }
    assert declared == {n: (GOAL_COLOURS[n].upper(), GOAL_INKS[n]) for n in range(1, 18)}
    for number, colour in GOAL_COLOURS.items():
        assert contrast(colour, GOAL_INKS[number]) >= 4.5, number
        assert Goal(number=number).ink == GOAL_INKS[number]
