"""Per-language columns for shipped reference data (six UN languages)."""

from django.db import models
from django.utils.translation import get_language

UN_LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")


def language_suffix(language: str | None = None) -> str:
    """Map a Django language code (e.g. 'zh-hans', 'fr-ca') to one of our column suffixes."""
    code = (language or get_language() or "en").lower()
    base = code.split("-")[0]
    return base if base in UN_LANGUAGES else "en"


def translated_field(prefix: str, *, max_length: int | None = None) -> dict[str, models.Field]:
    """One column per UN language: `<prefix>_ar`, `<prefix>_en`, ..."""
    fields: dict[str, models.Field] = {}
    for lang in UN_LANGUAGES:
        if max_length:
            fields[f"{prefix}_{lang}"] = models.CharField(max_length=max_length, blank=True)
        else:
            fields[f"{prefix}_{lang}"] = models.TextField(blank=True)
    return fields


class TranslatedMixin:
    """`obj.tr('title')` returns the text in the active language, falling back to English."""

    def tr(self, prefix: str, language: str | None = None) -> str:
        value = getattr(self, f"{prefix}_{language_suffix(language)}", "")
        return value or getattr(self, f"{prefix}_en", "")
