"""Relevance on the demo registry: queries a person would type, in several languages, with the entries
that should come first. Mean reciprocal rank must stay at or above 0.8."""

import pytest

from partnerhub.registry.demo import demo_load
from partnerhub.registry.models import Partnership
from partnerhub.registry.search.service import SearchParams, search

# query -> titles that answer it (any of them at rank 1 scores 1.0)
QUERIES = {
    "polio": ["Pulse Polio Immunization Programme"],
    "polio vaccination India": ["Pulse Polio Immunization Programme"],
    "immunization": ["Pulse Polio Immunization Programme", "Immunization outreach lessons for Africa"],
    "Angat Buhay": ["Angat Buhay anti-poverty partnership"],
    "Philippines poverty": ["Angat Buhay anti-poverty partnership"],
    "waste collectors": [
        "Ho Chi Minh City waste collectors' social insurance",
        "Pro-poor solid waste management in secondary cities",
    ],
    '"solid waste"': ["Pro-poor solid waste management in secondary cities"],
    "ENDA Vietnam": [
        "Pro-poor solid waste management in secondary cities",
        "Ho Chi Minh City waste collectors' social insurance",
    ],
    "XacBank": ["MicroStart and the creation of XacBank", "Mongolia inclusive finance scale-up"],
    "microfinance Mongolia": [
        "MicroStart and the creation of XacBank",
        "Mongolia inclusive finance scale-up",
    ],
    "hospitality training": ["EGBOK hospitality training for underserved young adults"],
    "EGBOK": ["EGBOK hospitality training for underserved young adults"],
    "Siem Reap": ["EGBOK hospitality training for underserved young adults"],
    "network assessment Cambodia": ["NGO Forum on Cambodia network assessment"],
    "land conflicts": ["Cambodian land and livelihoods working group"],
    "citizenship": [
        "Nepal citizenship rights network",
        "Women's, children's and minority rights alliances in Nepal",
    ],
    "women's rights Nepal": ["Women's, children's and minority rights alliances in Nepal"],
    "public financial management": [
        "Provincial Capacity-building and Enhancement Programme",
        "Pacific public finance transparency partnership",
    ],
    "Papua New Guinea": ["Provincial Capacity-building and Enhancement Programme"],
    "banana": ["Banana export linkage for Tamil Nadu smallholders"],
    "traceability": [
        "Electronic traceability for agri-food trade in South Asia",
        "Banana export linkage for Tamil Nadu smallholders",
    ],
    "NITI Aayog": ["SDG integrated assessment of centrally sponsored schemes"],
    "SIDS partnership framework": ["SIDS Partnership Framework"],
    "small island developing States": [
        "SIDS Partnership Framework",
        "SIDS Private Sector Partnerships Forum",
    ],
    "Samoa private sector": ["SIDS Private Sector Partnerships Forum"],
    "high seas treaty": ["High Seas Alliance for ocean governance"],
    "Great Blue Wall": ["Great Blue Wall Initiative"],
    "mangrove restoration": ["Ocean Climate Alliance for Pacific islands", "Great Blue Wall Initiative"],
    "blue carbon": ["Ocean Climate Alliance for Pacific islands"],
    "living wage": ["Living wages and just transition dialogue"],
    "digital health": ["Digital health for universal health coverage in East Africa"],
    "leave no one behind": ["Leave No One Behind data platform"],
    "youth": ["Youth voices in SDG partnerships", "Цифровые навыки для молодёжи Центральной Азии"],
    "disability early warning": ["Disability-inclusive disaster preparedness in the Pacific"],
    "drinking water Bolivia": ["Andes community water cooperatives"],
    "solar mini-grids": ["Solar mini-grids for Sahel villages"],
    "hurricane schools": ["Caribbean school resilience network"],
    "social protection women workers": ["Gender-responsive social protection in South Asia"],
    "eau potable": ["Eau potable et assainissement pour les villages du Sahel"],
    "assainissement Mali": ["Eau potable et assainissement pour les villages du Sahel"],
    "escuelas clima": ["Red andina de escuelas resilientes al clima"],
    "sequía": ["Red andina de escuelas resilientes al clima"],
    "цифровые навыки": ["Цифровые навыки для молодёжи Центральной Азии"],
    "молодежь": ["Цифровые навыки для молодёжи Центральной Азии"],
    "农村妇女": ["亚太农村妇女数字普惠金融伙伴关系"],
    "普惠金融": ["亚太农村妇女数字普惠金融伙伴关系"],
    "المياه المعالجة": ["شراكة المياه والأمن الغذائي في وادي الأردن"],
    "الري": ["شراكة المياه والأمن الغذائي في وادي الأردن"],
}


@pytest.fixture
def demo(db, reference_data):
    demo_load()


def reciprocal_rank(query: str, relevant: list[str]) -> float:
    result = search(SearchParams(q=query, limit=10, facets=False))
    titles = dict(Partnership.objects.filter(pk__in=result.ids).values_list("pk", "title"))
    for rank, pk in enumerate(result.ids, start=1):
        if titles[pk] in relevant:
            return 1 / rank
    return 0.0


def test_mean_reciprocal_rank_on_the_demo_registry(demo):
    assert len(QUERIES) >= 40
    missing = {t for ts in QUERIES.values() for t in ts} - set(
        Partnership.objects.values_list("title", flat=True)
    )
    assert not missing, missing
    scores = {q: reciprocal_rank(q, relevant) for q, relevant in QUERIES.items()}
    mrr = sum(scores.values()) / len(scores)
    print(
        f"\nMRR over {len(scores)} queries: {mrr:.3f}; below 1: { {q: round(s, 2) for q, s in scores.items() if s < 1} }"
    )
    assert mrr >= 0.8
