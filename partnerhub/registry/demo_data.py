"""Demo partnerships written from the case studies in the ESCAP / UNU-IAS guidelines and the
ECOSOC Partnership Forum documents (shared seeds). Facts follow the sources; the text is ours."""

# key: (name, acronym, type, country ISO3 or None, website)
ORGANISATIONS = {
    "moh_in": ("Ministry of Health and Family Welfare, India", "MoHFW", "government_national", "IND", ""),
    "who": ("World Health Organization", "WHO", "un_entity", None, "https://www.who.int"),
    "unicef": ("United Nations Children's Fund", "UNICEF", "un_entity", None, "https://www.unicef.org"),
    "rotary": ("Rotary International", "", "ngo", "USA", "https://www.rotary.org"),
    "cdc": ("United States Centers for Disease Control and Prevention", "CDC", "government_national", "USA", ""),
    "gates": ("Bill & Melinda Gates Foundation", "", "philanthropy", "USA", "https://www.gatesfoundation.org"),
    "usaid": ("United States Agency for International Development", "USAID", "government_national", "USA", ""),
    "japan": ("Government of Japan", "", "government_national", "JPN", ""),
    "ovp_ph": ("Office of the Vice President of the Philippines", "OVP", "government_national", "PHL", ""),
    "lgu_ph": ("League of Municipalities of the Philippines", "LMP", "government_local", "PHL", ""),
    "enda": ("Environment and Development Action in Viet Nam", "ENDA Vietnam", "ngo", "VNM", ""),
    "eu": ("European Union", "EU", "intergovernmental", None, ""),
    "cordaid": ("Cordaid", "", "ngo", "NLD", "https://www.cordaid.org"),
    "escap": ("Economic and Social Commission for Asia and the Pacific", "ESCAP", "un_entity", "THA",
              "https://www.unescap.org"),
    "donre_hcmc": ("Department of Natural Resources and Environment, Ho Chi Minh City", "DONRE", "government_subnational",
                   "VNM", ""),
    "undp": ("United Nations Development Programme", "UNDP", "un_entity", None, "https://www.undp.org"),
    "mercy": ("Mercy Corps", "", "ngo", "USA", "https://www.mercycorps.org"),
    "xacbank": ("XacBank", "", "private_large", "MNG", ""),
    "egbok": ("EGBOK Mission", "EGBOK", "ngo", "KHM", ""),
    "siem_hotels": ("Siem Reap Hospitality Association", "", "private_msme", "KHM", ""),
    "mot_kh": ("Ministry of Tourism, Cambodia", "", "government_national", "KHM", ""),
    "ngof": ("NGO Forum on Cambodia", "NGOF", "ngo", "KHM", "http://www.ngoforum.org.kh"),
    "fwld": ("Forum for Women, Law and Development", "FWLD", "ngo", "NPL", "http://fwld.org"),
    "csncr": ("Civil Society Network on Citizenship Rights", "", "ngo", "NPL", ""),
    "png_gov": ("Department of Provincial and Local Government Affairs, Papua New Guinea", "DPLGA",
                "government_national", "PNG", ""),
    "ausaid": ("Australian Agency for International Development", "AusAID", "government_national", "AUS", ""),
    "tnbgf": ("Tamil Nadu Banana Growers Federation", "", "ngo", "IND", ""),
    "apctt": ("Asian and Pacific Centre for Transfer of Technology", "APCTT", "un_entity", "IND", ""),
    "apeda": ("Agricultural and Processed Food Products Export Development Authority", "APEDA",
              "government_national", "IND", ""),
    "niti": ("National Institution for Transforming India", "NITI Aayog", "government_national", "IND",
             "https://www.niti.gov.in"),
    "ohrlls": ("UN Office of the High Representative for the LDCs, LLDCs and SIDS", "UN-OHRLLS", "un_entity", None,
               "https://www.un.org/ohrlls"),
    "samoa": ("Government of Samoa", "", "government_national", "WSM", ""),
    "samoa_chamber": ("Samoa Chamber of Commerce and Industry", "SCCI", "private_msme", "WSM", ""),
    "undesa": ("UN Department of Economic and Social Affairs", "UN DESA", "un_entity", None, "https://sdgs.un.org"),
    "hsa": ("High Seas Alliance", "HSA", "ngo", None, ""),
    "iucn": ("International Union for Conservation of Nature", "IUCN", "intergovernmental", "CHE", "https://iucn.org"),
    "ocean_univ": ("University of the South Pacific", "USP", "academia", "FJI", "https://www.usp.ac.fj"),
    "fiji": ("Government of Fiji", "", "government_national", "FJI", ""),
    "seychelles": ("Government of Seychelles", "", "government_national", "SYC", ""),
    "au": ("African Union Commission", "AUC", "intergovernmental", "ETH", ""),
    "ilo": ("International Labour Organization", "ILO", "un_entity", None, "https://www.ilo.org"),
    "ituc": ("International Trade Union Confederation", "ITUC", "ngo", "BEL", ""),
    "unwomen": ("UN Women", "", "un_entity", None, "https://www.unwomen.org"),
    "digital_co": ("Digital Bridge Technologies Ltd", "", "private_large", "KEN", ""),
    "nairobi_uni": ("University of Nairobi", "", "academia", "KEN", ""),
    "grassroots": ("Grassroots Health Alliance", "", "ngo", "UGA", ""),
    "kenya_moh": ("Ministry of Health, Kenya", "", "government_national", "KEN", ""),
    "youth_net": ("Asia-Pacific Youth Network for the SDGs", "", "ngo", "THA", ""),
    "dpo": ("Pacific Disability Forum", "PDF", "ngo", "FJI", ""),
    "bolivia": ("Government of the Plurinational State of Bolivia", "", "government_national", "BOL", ""),
    "water_co": ("Andes Water Cooperative", "", "private_msme", "BOL", ""),
    "mali_gov": ("Ministry of Energy and Water, Mali", "", "government_national", "MLI", ""),
    "solar_co": ("Sahel Solar SARL", "", "private_msme", "MLI", ""),
    "haiti_ngo": ("Fondation Haïti Résilience", "", "ngo", "HTI", ""),
    "carib_univ": ("University of the West Indies", "UWI", "academia", "JAM", ""),
    "lnob": ("ESCAP Leave No One Behind Platform team", "LNOB", "un_entity", "THA", ""),
}

# Each partnership: goals, targets, areas (ISO3 / M49), level, category, stage, dates, partners
# [(org, role)], commitments [(org, kind, amount, currency, in_kind_type, description, status)],
# deliverables [(title, due, status)].
PARTNERSHIPS = [
    dict(
        title="Pulse Polio Immunization Programme",
        summary="A national campaign that vaccinated every child under five against polio on fixed immunization days, "
        "reaching underserved districts and communities that had refused vaccination. Government at national, state "
        "and local levels worked with WHO, UNICEF, Rotary International and the US CDC; WHO declared India polio-free "
        "on 27 March 2014.",
        challenge="India was the largest endemic reservoir of polio, with 50,000 to 100,000 paralytic cases a year "
        "between 1978 and 1995.",
        objectives="Interrupt wild poliovirus transmission; reach every child under five in every round; build trust "
        "with religious leaders, community influencers and the media.",
        baseline="50,000–100,000 paralytic polio cases per year (1978–1995).",
        goals=[3], targets=["3.3", "3.b", "3.8"], indicators=["3.b.1"], areas=["IND"], level="national",
        category="un_participating", stage="reinvent", start="1995-12-09", end="2014-03-27",
        partners=[("moh_in", "lead"), ("who", "technical"), ("unicef", "implementing"), ("rotary", "funding"),
                  ("cdc", "technical"), ("gates", "funding"), ("usaid", "funding"), ("japan", "funding")],
        commitments=[("gates", "financial", 150000000, "USD", "", "Vaccine procurement and surveillance", "mobilised"),
                     ("rotary", "financial", 80000000, "USD", "", "Social mobilisation", "mobilised"),
                     ("who", "in_kind", None, None, "staff", "National Polio Surveillance Project staff", "mobilised"),
                     ("unicef", "in_kind", None, None, "facilities", "Cold chain and vaccine logistics", "mobilised")],
        deliverables=[("Nationwide acute flaccid paralysis surveillance network", "2000-12-31", "completed"),
                      ("Last wild poliovirus case recorded", "2011-01-13", "completed"),
                      ("WHO polio-free certification", "2014-03-27", "completed")],
        featured=True,
    ),
    dict(
        title="Angat Buhay anti-poverty partnership",
        summary="Launched in 2016 by the Office of the Vice President of the Philippines, Angat Buhay connects local "
        "government units with development partners in six advocacy areas: food security and nutrition, rural "
        "development, universal health care, women's empowerment, public education, and housing and resettlement.",
        challenge="Poor municipalities lack the means to act on the local issues they know best.",
        objectives="Match validated local needs with committed development partners; fund and follow up projects.",
        baseline="50 local government units invited to name their key local issues in 2016.",
        goals=[1, 2, 3, 4, 5, 11], targets=["1.2", "2.1", "3.8", "4.1", "5.5", "11.1"], areas=["PHL"],
        level="national", category="other", stage="implementation", start="2016-10-10", end=None,
        partners=[("ovp_ph", "lead"), ("lgu_ph", "implementing"), ("undp", "technical")],
        commitments=[("ovp_ph", "financial", 95000000, "PHP", "", "Resources mobilised in the first year "
                      "(about USD 1.9 million)", "mobilised"),
                     ("lgu_ph", "in_kind", None, None, "staff", "Local project teams", "pledged")],
        deliverables=[("300 of 746 project proposals validated in two rounds", "2017-06-30", "completed"),
                      ("Projects in 149 areas benefiting 79,076 families", "2017-12-31", "completed"),
                      ("Second-year partner convergence review", None, "in_progress")],
        featured=True,
    ),
    dict(
        title="Pro-poor solid waste management in secondary cities",
        summary="ENDA Vietnam's waste programme moved from source separation and support to independent waste "
        "collectors in Ho Chi Minh City and Quy Nhon City to social protection for informal waste workers, with the "
        "city government, social insurance and cooperatives.",
        challenge="Landfills overload while independent waste collectors work without protection or access to "
        "public services.",
        objectives="Cut city waste-management budgets and landfill use; improve working conditions and social "
        "insurance coverage of waste collectors.",
        goals=[11, 12, 8, 1], targets=["11.6", "12.5", "8.8", "1.3"], indicators=["11.6.1", "12.5.1"],
        areas=["VNM"], level="subnational", category="un_participating", stage="reinvent", start="2002-01-01",
        end=None,
        partners=[("enda", "lead"), ("escap", "technical"), ("eu", "funding"), ("cordaid", "funding"),
                  ("donre_hcmc", "implementing")],
        commitments=[("eu", "financial", 400000, "EUR", "", "Waste separation and collection pilots", "mobilised"),
                     ("cordaid", "financial", 150000, "EUR", "", "Support to waste collectors", "mobilised"),
                     ("escap", "in_kind", None, None, "staff", "Technical advice on decentralised composting",
                      "mobilised")],
        deliverables=[("Source-separation pilots in two cities", "2006-12-31", "completed"),
                      ("Social insurance enrolment of independent collectors", "2013-12-31", "completed"),
                      ("Economic demonstration projects on waste collection", None, "in_progress")],
    ),
    dict(
        title="MicroStart and the creation of XacBank",
        summary="After the 1997/98 Asian financial crisis, UNDP, USAID, Mercy Corps and others helped six Mongolian "
        "NGOs consolidate under MicroStart into the country's first non-bank financial institution, which became "
        "XacBank, Mongolia's first commercial bank with a social mandate, in 2006.",
        objectives="Give poor households and small firms access to savings, credit and payments.",
        goals=[8, 1, 10], targets=["8.10", "1.4", "10.2"], indicators=["8.10.2"], areas=["MNG"],
        level="national", category="un_led", stage="reinvent", start="1998-01-01", end="2006-12-31",
        partners=[("undp", "lead"), ("usaid", "funding"), ("mercy", "implementing"), ("xacbank", "implementing")],
        commitments=[("undp", "financial", 2500000, "USD", "", "MicroStart pilot capital and training", "mobilised"),
                     ("usaid", "financial", 1000000, "USD", "", "Institutional strengthening", "mobilised")],
        deliverables=[("Non-bank financial institution licensed", "1999-10-31", "completed"),
                      ("Commercial banking licence", "2006-12-31", "completed")],
        featured=True,
    ),
    dict(
        title="EGBOK hospitality training for underserved young adults",
        summary="EGBOK trains underserved young Cambodians for careers in hospitality, with life skills, social "
        "support, job placement and professional development, working with hotels in Siem Reap Province, government "
        "offices and communities.",
        challenge="Families remain hesitant to send their children away for education; young adults lack skills for "
        "the tourism jobs around them.",
        objectives="Place graduates in internships and jobs; build trust with families and communities.",
        goals=[4, 8, 1], targets=["4.4", "8.6", "8.9"], indicators=["8.6.1"], areas=["KHM"], level="subnational",
        category="other", stage="implementation", start="2010-01-01", end=None,
        partners=[("egbok", "lead"), ("siem_hotels", "implementing"), ("mot_kh", "other")],
        commitments=[("siem_hotels", "in_kind", None, None, "staff", "Internships and mentors", "mobilised"),
                     ("egbok", "financial", 300000, "USD", "", "Scholarships and staff", "pledged")],
        deliverables=[("Curriculum revised with employer feedback", "2024-06-30", "completed"),
                      ("Annual cohort placed in jobs", "2025-12-31", "in_progress")],
    ),
    dict(
        title="NGO Forum on Cambodia network assessment",
        summary="The NGO Forum on Cambodia brings eight networks and five national working groups into policy "
        "dialogue with the Government. A commonly agreed network assessment, adapted from the AIDS Alliance "
        "framework, reviews accountability, leadership, knowledge, communication and finance.",
        objectives="Strengthen civil society networks on land, natural resources, environment and livelihoods; "
        "evidence-based advocacy.",
        goals=[16, 15, 17], targets=["16.7", "16.6", "15.1", "17.17"], areas=["KHM"], level="national",
        category="other", stage="review", start="2012-01-01", end=None,
        partners=[("ngof", "lead"), ("csncr", "other")],
        commitments=[("ngof", "in_kind", None, None, "staff", "Secretariat functions and bimonthly meetings",
                      "mobilised")],
        deliverables=[("Network assessment against six criteria", "2024-12-31", "completed"),
                      ("Six-year strategic plan and three-year action plan", "2025-06-30", "in_progress")],
    ),
    dict(
        title="Women's, children's and minority rights alliances in Nepal",
        summary="The Forum for Women, Law and Development coordinates loose alliances, such as the Civil Society "
        "Network on Citizenship Rights, to protect the rights of women, children and marginalised groups, and plans "
        "to hand over coordination once trust and capacity are in place.",
        objectives="Advance legal reform on citizenship and equal rights; publish all documentation online.",
        goals=[5, 16, 10], targets=["5.1", "5.c", "16.9", "10.3"], indicators=["5.1.1", "16.9.1"], areas=["NPL"],
        level="national", category="other", stage="implementation", start="2014-01-01", end=None,
        partners=[("fwld", "lead"), ("csncr", "implementing"), ("unwomen", "technical")],
        commitments=[("unwomen", "financial", 120000, "USD", "", "Legal aid and advocacy", "pledged")],
        deliverables=[("Quarterly partner meetings", "2025-03-31", "completed"),
                      ("District monitoring reports published online", "2025-12-31", "delayed")],
    ),
    dict(
        title="Provincial Capacity-building and Enhancement Programme",
        summary="A cost-sharing partnership of the Government of Papua New Guinea, UNDP and AusAID to improve public "
        "financial management in provinces and districts; launched in six provinces (2008–2012) and scaled up to four "
        "more with independent reviews informing national strategy.",
        objectives="Accountable and transparent management of public funds; better services to local populations.",
        goals=[16, 17], targets=["16.6", "17.9", "17.1"], indicators=["16.6.1"], areas=["PNG"], level="subnational",
        category="un_led", stage="review", start="2008-01-01", end="2016-12-31",
        partners=[("png_gov", "lead"), ("undp", "implementing"), ("ausaid", "funding")],
        commitments=[("ausaid", "financial", 12000000, "AUD", "", "Programme cost share", "mobilised"),
                     ("undp", "financial", 3000000, "USD", "", "Programme cost share", "mobilised")],
        deliverables=[("Midterm independent review", "2011-06-30", "completed"),
                      ("Scale-up to four more provinces", "2014-12-31", "completed"),
                      ("Exit strategy report", "2016-12-31", "completed")],
    ),
    dict(
        title="Banana export linkage for Tamil Nadu smallholders",
        summary="After an ESCAP–APCTT–APEDA training on electronic traceability for agricultural trade, the Tamil "
        "Nadu Banana Growers Federation studied the Iranian market, presented its production system to the consulate "
        "and now exports bananas from Theni District to the Islamic Republic of Iran.",
        baseline="India exported 0.03 per cent of its banana production.",
        goals=[2, 8, 17], targets=["2.3", "17.11", "8.2"], areas=["IND", "IRN"], level="regional",
        category="un_participating", stage="reinvent", start="2013-09-01", end=None,
        partners=[("tnbgf", "lead"), ("apctt", "technical"), ("escap", "technical"), ("apeda", "implementing")],
        commitments=[("apctt", "in_kind", None, None, "technology", "Electronic traceability training",
                      "mobilised")],
        deliverables=[("Training of 27 professionals from South Asia", "2013-09-30", "completed"),
                      ("Market study on exports to Iran", "2014-03-31", "completed"),
                      ("First export shipment", "2014-12-31", "completed")],
    ),
    dict(
        title="SDG integrated assessment of centrally sponsored schemes",
        summary="NITI Aayog maps the country's schemes against SDG targets and priority indicators, identifies "
        "ministerial and State roles, and looks for trade-offs and synergies across sectors.",
        goals=[17, 5, 8], targets=["17.14", "17.18", "5.c"], indicators=["17.14.1"], areas=["IND"], level="national",
        category="other", stage="formation", start="2017-01-01", end=None,
        partners=[("niti", "lead"), ("undp", "technical")],
        commitments=[("undp", "in_kind", None, None, "data", "SDG data and methods support", "pledged")],
        deliverables=[("Target-by-target mapping of ministries", "2018-12-31", "completed"),
                      ("State SDG index", "2026-12-31", "planned")],
    ),
    dict(
        title="SIDS Partnership Framework",
        summary="Established by the United Nations in 2015 as a follow-up to the SAMOA Pathway to monitor pledges of "
        "partnerships for small island developing States and encourage new ones, with a steering committee, an annual "
        "Global Multi-stakeholder SIDS Partnership Dialogue and a standardised reporting template.",
        goals=[17, 14, 13], targets=["17.17", "14.7", "13.b"], areas=[], level="global", category="un_led",
        stage="implementation", start="2015-01-01", end=None,
        partners=[("undesa", "lead"), ("ohrlls", "implementing"), ("samoa", "other")],
        commitments=[("undesa", "in_kind", None, None, "staff", "Secretariat of the framework", "mobilised")],
        deliverables=[("Standardised partnership reporting template", "2016-12-31", "completed"),
                      ("Annual SIDS Partnership Dialogue", "2026-09-30", "planned")],
        featured=True,
    ),
    dict(
        title="SIDS Private Sector Partnerships Forum",
        summary="Convened by UN-OHRLLS with the Government of Samoa and the Samoa Chamber of Commerce before the Third "
        "International Conference on SIDS (Apia, September 2014) to bring business into SIDS partnerships.",
        goals=[17, 8], targets=["17.17", "8.3"], areas=["WSM", "009"], level="regional", category="un_led",
        stage="review", start="2014-06-01", end="2014-09-30",
        partners=[("ohrlls", "lead"), ("samoa", "implementing"), ("samoa_chamber", "implementing")],
        commitments=[("samoa", "in_kind", None, None, "facilities", "Venue in Apia", "mobilised")],
        deliverables=[("Private Sector Partnerships Forum held", "2014-08-31", "completed")],
    ),
    dict(
        title="High Seas Alliance for ocean governance",
        summary="A partnership of organisations working for a strong treaty on marine biodiversity beyond national "
        "jurisdiction, restoring marine ecosystems, combating pollution and promoting sustainable fisheries.",
        goals=[14], targets=["14.c", "14.2", "14.5"], indicators=["14.c.1", "14.5.1"], areas=[], level="global",
        category="other", stage="implementation", start="2011-01-01", end=None,
        partners=[("hsa", "lead"), ("iucn", "technical")],
        commitments=[("iucn", "in_kind", None, None, "staff", "Legal and scientific advice", "mobilised")],
        deliverables=[("Treaty on marine biodiversity of areas beyond national jurisdiction adopted", "2023-06-19",
                       "completed"),
                      ("Sixty ratifications campaign", "2026-12-31", "in_progress")],
    ),
    dict(
        title="Ocean Climate Alliance for Pacific islands",
        summary="Pacific governments, a regional university and conservation bodies link ocean and climate action: "
        "coastal ecosystem restoration, blue carbon and climate-resilient fisheries.",
        goals=[14, 13], targets=["14.2", "14.3", "13.1"], indicators=["14.3.1"], areas=["FJI", "WSM", "TON", "VUT"],
        level="regional", category="other", stage="formation", start="2023-01-01", end="2030-12-31",
        partners=[("fiji", "lead"), ("ocean_univ", "technical"), ("iucn", "implementing"), ("samoa", "implementing")],
        commitments=[("fiji", "financial", 2000000, "FJD", "", "Coastal restoration sites", "pledged"),
                     ("ocean_univ", "in_kind", None, None, "data", "Ocean acidity monitoring data", "pledged")],
        deliverables=[("Blue carbon baseline survey", "2025-06-30", "delayed"),
                      ("Ten restored mangrove sites", "2028-12-31", "planned")],
    ),
    dict(
        title="Great Blue Wall Initiative",
        summary="A transboundary, African-led initiative to conserve and restore marine and coastal ecosystems of the "
        "Western Indian Ocean while opening blue economy opportunities for coastal communities.",
        goals=[14, 1, 13], targets=["14.5", "14.7", "1.4"], areas=["SYC", "KEN", "MOZ", "TZA", "MDG", "COM", "MUS"],
        level="regional", category="un_participating", stage="implementation", start="2021-11-01", end="2030-12-31",
        partners=[("seychelles", "lead"), ("iucn", "implementing"), ("au", "other"), ("undp", "funding")],
        commitments=[("undp", "financial", 5000000, "USD", "", "Seascape restoration grants", "pledged"),
                     ("iucn", "in_kind", None, None, "staff", "Regional coordination", "mobilised")],
        deliverables=[("Regional conservation network mapped", "2024-12-31", "completed"),
                      ("Blue economy investment pipeline", "2027-12-31", "in_progress")],
        featured=True,
    ),
    dict(
        title="Living wages and just transition dialogue",
        summary="Trade unions, employers and labour ministries work on living wages, collective bargaining and "
        "workplace safety, and on transitions out of informality, with digital tools for job matching.",
        goals=[8, 10, 5], targets=["8.5", "8.8", "10.4", "5.5"], indicators=["8.5.1"], areas=["142", "002"],
        level="regional", category="un_participating", stage="initiation", start="2025-01-01", end="2029-12-31",
        partners=[("ituc", "lead"), ("ilo", "technical"), ("unwomen", "technical")],
        commitments=[("ilo", "in_kind", None, None, "staff", "Policy advisers", "pledged")],
        deliverables=[("Regional living wage benchmarks", "2026-12-31", "planned")],
    ),
    dict(
        title="Digital health for universal health coverage in East Africa",
        summary="A ministry of health, a university, a technology company and grassroots health groups pilot "
        "AI-assisted diagnostics and digital patient records in rural clinics, sharing risks and rewards under one "
        "partnering agreement.",
        goals=[3, 9], targets=["3.8", "3.d", "9.c"], indicators=["3.8.1"], areas=["KEN", "UGA"], level="national",
        category="other", stage="formation", start="2025-03-01", end="2028-02-28",
        partners=[("kenya_moh", "lead"), ("nairobi_uni", "technical"), ("digital_co", "implementing"),
                  ("grassroots", "implementing")],
        commitments=[("digital_co", "in_kind", None, None, "technology", "Diagnostics software licences",
                      "pledged"),
                     ("kenya_moh", "financial", 50000000, "KES", "", "Clinic connectivity", "pledged")],
        deliverables=[("Data protection impact assessment", "2025-09-30", "completed"),
                      ("Pilot in 40 rural clinics", "2026-12-31", "in_progress")],
    ),
    dict(
        title="Leave No One Behind data platform",
        summary="ESCAP's LNOB Platform analyses inequality of opportunity across 19 SDG indicators so that countries "
        "can see which groups are furthest behind and use the evidence in Voluntary National Reviews.",
        goals=[10, 17, 1], targets=["10.2", "17.18", "1.2"], indicators=["17.18.1"], areas=["142", "009"],
        level="regional", category="un_led", stage="implementation", start="2020-01-01", end=None,
        partners=[("lnob", "lead"), ("escap", "implementing"), ("undp", "technical")],
        commitments=[("escap", "in_kind", None, None, "data", "Household survey analysis", "mobilised")],
        deliverables=[("Country profiles for 19 indicators", "2023-12-31", "completed"),
                      ("Subnational review toolkit", "2026-06-30", "in_progress")],
    ),
    dict(
        title="Youth voices in SDG partnerships",
        summary="A youth network trains young people to take part in partnership governance and Voluntary National "
        "Review consultations across Asia and the Pacific.",
        goals=[4, 16, 17], targets=["4.7", "16.7", "17.17"], areas=["142"], level="regional", category="other",
        stage="initiation", start="2026-01-01", end="2027-12-31",
        partners=[("youth_net", "lead"), ("escap", "technical")],
        commitments=[("youth_net", "in_kind", None, None, "staff", "Volunteer trainers", "pledged")],
        deliverables=[("Training of 200 youth facilitators", "2026-12-31", "planned")],
    ),
    dict(
        title="Disability-inclusive disaster preparedness in the Pacific",
        summary="Organisations of persons with disabilities, governments and a university make early warning and "
        "evacuation plans accessible in Pacific island countries.",
        goals=[11, 13, 10], targets=["11.5", "13.1", "10.2"], indicators=["11.5.1", "13.1.1"],
        areas=["FJI", "VUT", "SLB", "TON"], level="regional", category="other", stage="implementation",
        start="2022-07-01", end="2026-06-30",
        partners=[("dpo", "lead"), ("fiji", "implementing"), ("ocean_univ", "technical")],
        commitments=[("fiji", "financial", 400000, "FJD", "", "Accessible shelters", "mobilised")],
        deliverables=[("Accessible early-warning messages in four languages", "2024-12-31", "completed"),
                      ("Evacuation drills with persons with disabilities", "2025-11-30", "delayed")],
    ),
    dict(
        title="Andes community water cooperatives",
        summary="Municipal water cooperatives and the national government extend safe drinking water and sanitation "
        "to highland communities, with tariffs set by the communities themselves.",
        goals=[6], targets=["6.1", "6.2", "6.b"], indicators=["6.1.1"], areas=["BOL"], level="subnational",
        category="other", stage="implementation", start="2019-01-01", end="2027-12-31",
        partners=[("water_co", "lead"), ("bolivia", "implementing"), ("undp", "technical")],
        commitments=[("bolivia", "financial", 7000000, "BOB", "", "Network extensions", "mobilised")],
        deliverables=[("Water safety plans in 30 communities", "2024-12-31", "completed")],
    ),
    dict(
        title="Solar mini-grids for Sahel villages",
        summary="A ministry and a local solar company build and run solar mini-grids in villages off the national "
        "grid in Mali, with pay-as-you-go tariffs and women-run maintenance teams.",
        goals=[7, 5, 13], targets=["7.1", "7.2", "5.5"], indicators=["7.1.1"], areas=["MLI"], level="national",
        category="other", stage="formation", start="2024-01-01", end="2030-12-31",
        partners=[("mali_gov", "lead"), ("solar_co", "implementing"), ("undp", "funding")],
        commitments=[("undp", "financial", 1200000, "USD", "", "Viability gap funding", "pledged"),
                     ("solar_co", "in_kind", None, None, "technology", "Metering platform", "pledged")],
        deliverables=[("Ten pilot mini-grids", "2025-12-31", "delayed")],
    ),
    dict(
        title="Caribbean school resilience network",
        summary="A Haitian foundation and a regional university retrofit schools against hurricanes and earthquakes "
        "and train teachers in disaster risk reduction.",
        goals=[4, 11, 13], targets=["4.a", "11.5", "13.3"], areas=["HTI", "JAM"], level="regional",
        category="other", stage="implementation", start="2021-01-01", end="2026-12-31",
        partners=[("haiti_ngo", "lead"), ("carib_univ", "technical"), ("unicef", "funding")],
        commitments=[("unicef", "financial", 900000, "USD", "", "School retrofits", "mobilised")],
        deliverables=[("25 schools retrofitted", "2025-08-31", "in_progress")],
    ),
    dict(
        title="Gender-responsive social protection in South Asia",
        summary="UN Women and labour ministries design social protection that reaches informal women workers, with "
        "trade unions representing domestic and home-based workers.",
        goals=[5, 1, 8], targets=["5.4", "1.3", "8.8"], indicators=["1.3.1"], areas=["034"], level="regional",
        category="un_led", stage="initiation", start="2026-03-01", end="2029-02-28",
        partners=[("unwomen", "lead"), ("ilo", "technical"), ("ituc", "implementing")],
        commitments=[("unwomen", "financial", 2500000, "USD", "", "Programme budget", "pledged")],
        deliverables=[("Regional scoping study", "2026-09-30", "planned")],
    ),
    dict(
        title="Electronic traceability for agri-food trade in South Asia",
        summary="APCTT, ESCAP and export authorities train public and private stakeholders to use electronic "
        "traceability so that small producers can meet importers' food safety rules.",
        goals=[2, 17, 9], targets=["2.3", "17.11", "9.3"], areas=["034"], level="regional", category="un_led",
        stage="review", start="2013-01-01", end="2018-12-31",
        partners=[("apctt", "lead"), ("escap", "implementing"), ("apeda", "implementing")],
        commitments=[("apctt", "financial", 250000, "USD", "", "Training programme", "mobilised")],
        deliverables=[("Regional training programme", "2013-09-30", "completed"),
                      ("Ex post review", "2018-12-31", "completed")],
    ),
    dict(
        title="Mongolia inclusive finance scale-up",
        summary="XacBank, UNDP and Mercy Corps extend responsible microfinance and green loans to herders and "
        "small businesses in rural Mongolia.",
        goals=[8, 1, 13], targets=["8.10", "1.4", "13.1"], areas=["MNG"], level="national", category="un_participating",
        stage="implementation", start="2018-01-01", end="2026-12-31",
        partners=[("xacbank", "lead"), ("undp", "technical"), ("mercy", "implementing")],
        commitments=[("xacbank", "financial", 20000000000, "MNT", "", "Green loan portfolio", "mobilised")],
        deliverables=[("Green loan product for herders", "2020-06-30", "completed"),
                      ("Climate risk screening of portfolio", "2025-12-31", "delayed")],
    ),
    dict(
        title="Cambodian land and livelihoods working group",
        summary="Civil society organisations in the NGO Forum's land working group document land conflicts and bring "
        "evidence to policy dialogue with ministries.",
        goals=[1, 15, 16], targets=["1.4", "15.3", "16.3"], indicators=["1.4.2"], areas=["KHM"], level="national",
        category="other", stage="implementation", start="2016-01-01", end=None,
        partners=[("ngof", "lead"), ("egbok", "other")],
        commitments=[("ngof", "in_kind", None, None, "data", "Land conflict database", "mobilised")],
        deliverables=[("Annual land conflict report", "2025-03-31", "completed")],
    ),
    dict(
        title="Nepal citizenship rights network",
        summary="The Civil Society Network on Citizenship Rights helps people, many of them women and children, "
        "obtain citizenship certificates and birth registration.",
        goals=[16, 5], targets=["16.9", "5.1"], indicators=["16.9.1"], areas=["NPL"], level="subnational",
        category="other", stage="review", start="2015-01-01", end=None,
        partners=[("csncr", "lead"), ("fwld", "technical")],
        commitments=[("fwld", "in_kind", None, None, "staff", "Legal aid lawyers", "mobilised")],
        deliverables=[("Legal aid camps in ten districts", "2024-12-31", "completed")],
    ),
    dict(
        title="Pacific public finance transparency partnership",
        summary="Finance ministries in Pacific island countries and UNDP publish budgets and audit reports in "
        "citizen-friendly form, building on Papua New Guinea's provincial programme.",
        goals=[16, 17], targets=["16.6", "16.10", "17.1"], areas=["PNG", "SLB", "VUT"], level="regional",
        category="un_led", stage="formation", start="2025-01-01", end="2028-12-31",
        partners=[("undp", "lead"), ("png_gov", "implementing"), ("ausaid", "funding")],
        commitments=[("ausaid", "financial", 4000000, "AUD", "", "Programme grant", "pledged")],
        deliverables=[("Citizen budget guides in three countries", "2026-06-30", "planned")],
    ),
    dict(
        title="Ho Chi Minh City waste collectors' social insurance",
        summary="ENDA Vietnam, the city's social insurance agency and the cooperative alliance enrol independent "
        "waste collectors in voluntary social and health insurance.",
        goals=[1, 8, 3], targets=["1.3", "8.8", "3.8"], indicators=["1.3.1"], areas=["VNM"], level="local",
        category="other", stage="implementation", start="2011-01-01", end=None,
        partners=[("enda", "lead"), ("donre_hcmc", "implementing")],
        commitments=[("enda", "financial", 2000000000, "VND", "", "Premium co-payments", "mobilised")],
        deliverables=[("1,000 collectors enrolled", "2015-12-31", "completed")],
    ),
    dict(
        title="Women's economic empowerment through agri-value chains in the Philippines",
        summary="Angat Buhay partners and local government units support women's cooperatives that process and sell "
        "local produce.",
        goals=[5, 2, 8], targets=["5.a", "2.3", "8.3"], areas=["PHL"], level="local", category="other",
        stage="implementation", start="2018-01-01", end="2025-12-31",
        partners=[("lgu_ph", "lead"), ("ovp_ph", "other"), ("unwomen", "technical")],
        commitments=[("lgu_ph", "financial", 10000000, "PHP", "", "Processing equipment", "mobilised")],
        deliverables=[("30 women's cooperatives trained", "2023-12-31", "completed")],
    ),
    dict(
        title="Global partnership portal knowledge exchange",
        summary="UN DESA and partners run webinars and a digest on impactful partnerships, sharing lessons and "
        "replicable models across regions through UN country teams.",
        goals=[17], targets=["17.16", "17.17"], indicators=["17.16.1"], areas=[], level="global", category="un_led",
        stage="implementation", start="2024-01-01", end=None,
        partners=[("undesa", "lead"), ("escap", "implementing"), ("ohrlls", "implementing")],
        commitments=[("undesa", "in_kind", None, None, "staff", "Webinar series", "mobilised")],
        deliverables=[("Partnership Forum digest", "2025-03-31", "completed"),
                      ("Regional webinars", "2026-12-31", "in_progress")],
    ),
    dict(
        title="Immunization outreach lessons for Africa",
        summary="Drawing on the Pulse Polio experience, health ministries and partners adapt micro-planning and "
        "community mobilisation for routine immunization in hard-to-reach areas.",
        goals=[3], targets=["3.b", "3.2"], indicators=["3.b.1", "3.2.1"], areas=["UGA", "KEN", "ETH"],
        level="regional", category="un_participating", stage="initiation", start="2026-01-01", end="2030-12-31",
        partners=[("who", "lead"), ("unicef", "implementing"), ("rotary", "funding"), ("grassroots", "implementing")],
        commitments=[("rotary", "financial", 3000000, "USD", "", "Community mobilisation", "pledged")],
        deliverables=[("Micro-plans for 50 districts", "2026-12-31", "planned")],
    ),
]

# A draft waiting in the secretariat's queue, so that the review workflow can be tried at once.
SUBMITTED = [
    dict(
        title="Community mangrove restoration in Fiji",
        summary="Villages, the university and the government replant mangroves to protect the coast and restore "
        "fisheries, and measure carbon stored.",
        goals=[14, 13], targets=["14.2", "13.1"], areas=["FJI"], level="local", category="other",
        stage="initiation", start="2026-06-01", end="2029-05-31",
        partners=[("ocean_univ", "lead"), ("fiji", "implementing")],
        commitments=[], deliverables=[("Nursery for 50,000 seedlings", "2026-12-31", "planned")],
    ),
]

# username: (role description, password, organisation memberships [(org key, is_admin)], secretariat?)
DEMO_PASSWORD = "demo-partnerhub"
USERS = {
    "secretariat": ("Secretariat (curator)", [], True),
    "focal": ("Focal point of the Pulse Polio, Angat Buhay and Mangrove entries", [("moh_in", True), ("ovp_ph", True),
              ("ocean_univ", True)], False),
    "contributor": ("Contributor from Rotary International (a partner of Pulse Polio)", [("rotary", False)], False),
    "member": ("Member of ENDA Vietnam, no partnership role", [("enda", False)], False),
    "outsider": ("Signed-in person with no organisation", [], False),
}
FOCAL_POINT_OF = {"focal": ["Pulse Polio Immunization Programme", "Angat Buhay anti-poverty partnership",
                            "Community mangrove restoration in Fiji"]}
