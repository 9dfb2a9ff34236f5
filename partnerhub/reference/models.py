"""Reference data shipped with the product: SDGs, UN M49 areas, currencies.

Read-only for users; loaded by `partnerhub load-reference` from the files in
`reference/data/` (sources and licences in `reference/data/README.md`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerhub.core.i18n import TranslatedMixin, translated_field

# Official SDG colours (UN Department of Global Communications guidelines).
GOAL_COLOURS = {
    1: "#E5243B", 2: "#DDA63A", 3: "#4C9F38", 4: "#C5192D", 5: "#FF3A21", 6: "#26BDE2",
    7: "#FCC30B", 8: "#A21942", 9: "#FD6925", 10: "#DD1367", 11: "#FD9D24", 12: "#BF8B2E",
    13: "#3F7E44", 14: "#0A97D9", 15: "#56C02B", 16: "#00689D", 17: "#19486A",
}  # fmt: skip


INK = "#1b2430"  # the site's text colour (app.css --ink)


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""

    def luminance(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ink_on(colour: str) -> str:
    """Text readable on `colour` at WCAG AA (4.5:1 for text of any size): white where it reaches that,
    else the site's ink, else black (SDG 5's red reaches it with neither white nor the ink)."""
    return next((ink for ink in ("#ffffff", INK) if contrast(colour, ink) >= 4.5), "#000000")


# The text colour on each goal's colour; app.css repeats them as --on-goal (a test keeps them equal).
GOAL_INKS = {number: ink_on(colour) for number, colour in GOAL_COLOURS.items()}


class Goal(TranslatedMixin, models.Model):
    number = models.PositiveSmallIntegerField(primary_key=True)
    locals().update(translated_field("short", max_length=120))
    locals().update(translated_field("title"))

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.short}"

    @property
    def short(self) -> str:
        return self.tr("short")

    @property
    def title(self) -> str:
        return self.tr("title")

    @property
    def colour(self) -> str:
        return GOAL_COLOURS[self.number]

    @property
    def ink(self) -> str:
        return GOAL_INKS[self.number]


class Target(TranslatedMixin, models.Model):
    code = models.CharField(max_length=8, primary_key=True)  # "14.1", "14.a"
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="targets")
    position = models.PositiveSmallIntegerField(help_text="Order within the goal")
    locals().update(translated_field("title"))

    class Meta:
        ordering = ["goal_id", "position"]

    def __str__(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        return self.tr("title")


class Indicator(TranslatedMixin, models.Model):
    code = models.CharField(max_length=12, primary_key=True)  # "14.1.1"
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="indicators")
    unsd_code = models.CharField(max_length=12, blank=True, help_text="UNSD indicator code, e.g. C140101")
    position = models.PositiveSmallIntegerField()
    locals().update(translated_field("title"))

    class Meta:
        ordering = ["target__goal_id", "target__position", "position"]

    def __str__(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        return self.tr("title")


class AreaGroup(TranslatedMixin, models.Model):
    """A dated country grouping: LDC, LLDC, SIDS. Membership changes over time, so it is data."""

    code = models.CharField(max_length=8, primary_key=True)
    as_of = models.DateField(help_text="Date the membership list is valid for")
    locals().update(translated_field("name", max_length=120))

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return self.tr("name")


class Area(TranslatedMixin, models.Model):
    """A UN M49 area: the world, a region, a sub-region, an intermediate region or a country."""

    class Kind(models.TextChoices):
        WORLD = "world", _("World")
        REGION = "region", _("Region")
        SUBREGION = "subregion", _("Sub-region")
        INTERMEDIATE = "intermediate", _("Intermediate region")
        COUNTRY = "country", _("Country or area")

    code = models.CharField(max_length=3, primary_key=True)  # M49 numeric code, zero-padded
    kind = models.CharField(max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Top-level region",
    )
    iso2 = models.CharField(max_length=2, blank=True)
    iso3 = models.CharField(max_length=3, blank=True, db_index=True)
    groups = models.ManyToManyField(AreaGroup, blank=True, related_name="areas")
    locals().update(translated_field("name", max_length=200))

    class Meta:
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.tr("name")


class Currency(models.Model):
    code = models.CharField(max_length=3, primary_key=True)  # ISO 4217
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "currencies"

    def __str__(self) -> str:
        return self.code


def coded_label(obj: Target | Indicator, length: int = 110) -> str:
    """“14.1 By 2025, prevent and significantly reduce…” in the reader's language, for option lists."""
    text = obj.title
    return f"{obj.code} {text[:length]}{'…' if len(text) > length else ''}"
