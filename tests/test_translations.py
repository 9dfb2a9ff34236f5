"""Every catalogue (French, Spanish, Arabic, Russian, Chinese) must stay complete: a new UI string without a
translation fails here."""

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "partnerhub" / "locale"


def untranslated(po_text: str) -> list[str]:
    missing = []
    for block in po_text.split("\n\n")[1:]:  # the first block is the header
        if "#, fuzzy" in block:
            missing.append(block)
            continue
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"\n?((?:".*"\n?)*)', block, flags=re.M)
        if not msgstrs or any(not (first or rest.strip('"\n')) for first, rest in msgstrs):
            missing.append(block.splitlines()[-1] if block else block)
    return missing


@pytest.mark.parametrize("lang", ["fr", "es", "ar", "ru", "zh_Hans"])
def test_catalogue_is_complete(lang):
    text = (LOCALE / lang / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert untranslated(text) == []
    # The compiled catalogue (shipped, so no gettext tools are needed at install) must match the .po file.
    with open(LOCALE / lang / "LC_MESSAGES" / "django.mo", "rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    one_line_msgids = {ast.literal_eval(f'"{m}"') for m in re.findall(r'^msgid "(.+)"$', text, flags=re.M)}
    compiled = {k[0] if isinstance(k, tuple) else k for k in catalog}
    assert one_line_msgids - compiled == set()
    assert catalog.get("Needs and offers") not in (None, "Needs and offers")


def test_the_check_notices_a_missing_translation():
    sample = 'msgid ""\nmsgstr ""\n\nmsgid "Save"\nmsgstr "Enregistrer"\n\nmsgid "New"\nmsgstr ""\n'
    assert len(untranslated(sample)) == 1
