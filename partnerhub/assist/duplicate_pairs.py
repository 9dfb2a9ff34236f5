"""Constructed duplicate pairs for measuring the duplicate warning: built from the demo partnerships.

Positives: every demo partnership against
- an edited copy (title words reordered and one changed, every seventh word of the description
  dropped), registered by the same organisations;
- the same copy registered by another organisation (the same commitment entered twice);
- for eight of them, a translation into French, Spanish, Russian or Chinese by the same lead
  organisation, for the same places.
Negatives: every pair of two different demo partnerships, which include related ones (same goals,
same organisations, same country).
"""

from dataclasses import dataclass, replace

from partnerhub.registry.demo_data import PARTNERSHIPS

from .model import Model
from .similarity import Profile, compare

# demo title → (language, title, description)
TRANSLATIONS = {
    "Pulse Polio Immunization Programme": (
        "fr",
        "Programme de vaccination Pulse Polio",
        "Une campagne nationale qui a vacciné chaque enfant de moins de cinq ans contre la poliomyélite lors de "
        "journées de vaccination fixes, en atteignant les districts mal desservis et les communautés qui refusaient "
        "la vaccination. L’OMS a déclaré l’Inde exempte de poliomyélite le 27 mars 2014.",
    ),
    "Solar mini-grids for Sahel villages": (
        "fr",
        "Mini-réseaux solaires pour les villages du Sahel",
        "Un ministère et une entreprise solaire locale construisent et exploitent des mini-réseaux solaires dans des "
        "villages non raccordés au réseau national au Mali, avec des tarifs prépayés et des équipes de maintenance "
        "dirigées par des femmes.",
    ),
    "Andes community water cooperatives": (
        "es",
        "Cooperativas comunitarias de agua en los Andes",
        "Cooperativas municipales de agua y el gobierno nacional llevan agua potable segura y saneamiento a las "
        "comunidades del altiplano, con tarifas fijadas por las propias comunidades.",
    ),
    "Caribbean school resilience network": (
        "es",
        "Red de resiliencia escolar del Caribe",
        "Una fundación haitiana y una universidad regional refuerzan las escuelas contra huracanes y terremotos y "
        "forman a los docentes en reducción del riesgo de desastres.",
    ),
    "Great Blue Wall Initiative": (
        "fr",
        "Initiative de la Grande Muraille Bleue",
        "Une initiative transfrontalière menée par l’Afrique pour conserver et restaurer les écosystèmes marins et "
        "côtiers de l’océan Indien occidental tout en ouvrant des perspectives d’économie bleue aux communautés "
        "côtières.",
    ),
    "Gender-responsive social protection in South Asia": (
        "ru",
        "Социальная защита с учетом гендерных аспектов в Южной Азии",
        "Структура «ООН-женщины» и министерства труда разрабатывают системы социальной защиты, охватывающие женщин, "
        "занятых в неформальном секторе, при участии профсоюзов домашних работников.",
    ),
    "Digital health for universal health coverage in East Africa": (
        "es",
        "Salud digital para la cobertura sanitaria universal en África Oriental",
        "Un ministerio de salud, una universidad, una empresa tecnológica y grupos comunitarios de salud prueban "
        "diagnósticos asistidos por inteligencia artificial e historias clínicas digitales en clínicas rurales.",
    ),
    "High Seas Alliance for ocean governance": (
        "zh",
        "公海联盟：海洋治理",
        "由多个组织组成的伙伴关系，致力于缔结一项关于国家管辖范围以外区域海洋生物多样性的有力条约，恢复海洋生态系统，"
        "防治污染，促进可持续渔业。",
    ),
}


@dataclass(frozen=True)
class DuplicateScores:
    pairs: int
    positives: int
    true_positives: int
    false_positives: int
    recall_by_kind: dict[str, float]

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.positives if self.positives else 0.0


def demo_profiles() -> list[Profile]:
    return [
        Profile(
            id=i + 1,
            title=p["title"],
            summary=p["summary"],
            language="en",
            goals=set(p["goals"]),
            areas=set(p["areas"]),
            organisations={o for o, _ in p["partners"]},
            lead=next(o for o, role in p["partners"] if role == "lead"),
        )
        for i, p in enumerate(PARTNERSHIPS)
    ]


def edited_copy(profile: Profile) -> Profile:
    words = profile.title.split()
    title = " ".join(words[1:] + words[:1]).replace("partnership", "initiative")
    summary = " ".join(w for n, w in enumerate(profile.summary.split(), 1) if n % 7)
    return replace(profile, id=None, title=title, summary=summary)


def constructed_pairs() -> list[tuple[str, Profile, Profile]]:
    """(kind, a, b): kind is "copy", "other_organisation", "translation" or "different"."""
    profiles = demo_profiles()
    pairs: list[tuple[str, Profile, Profile]] = []
    for p in profiles:
        copy = edited_copy(p)
        pairs.append(("copy", p, copy))
        pairs.append(
            ("other_organisation", p, replace(copy, organisations={"someone_else"}, lead="someone_else"))
        )
        if p.title in TRANSLATIONS:
            lang, title, summary = TRANSLATIONS[p.title]
            pairs.append(("translation", p, replace(p, id=None, language=lang, title=title, summary=summary)))
    for i, a in enumerate(profiles):
        for b in profiles[i + 1 :]:
            pairs.append(("different", a, b))
    return pairs


def duplicate_scores(model: Model) -> DuplicateScores:
    hits: dict[str, list[bool]] = {}
    false_positives = 0
    pairs = constructed_pairs()
    for kind, a, b in pairs:
        flagged = compare(a, [b], model)[0].duplicate
        if kind == "different":
            false_positives += flagged
        else:
            hits.setdefault(kind, []).append(flagged)
    positives = sum(len(v) for v in hits.values())
    return DuplicateScores(
        pairs=len(pairs), positives=positives, true_positives=sum(sum(v) for v in hits.values()),
        false_positives=false_positives, recall_by_kind={k: sum(v) / len(v) for k, v in hits.items()},
    )  # fmt: skip
