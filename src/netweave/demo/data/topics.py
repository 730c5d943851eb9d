"""The interest taxonomy the demo networks use: (slug, name, description)."""

from __future__ import annotations

TOPICS: tuple[tuple[str, str, str], ...] = (
    # Water supply, sanitation and hygiene
    (
        "drinking-water-legislation",
        "Drinking-water legislation",
        "Laws, by-laws and standards on drinking water supply and sanitation.",
    ),
    (
        "tariffs",
        "Tariffs",
        "Tariff methodology, cost recovery and affordability of water services.",
    ),
    (
        "operation-and-maintenance",
        "Operation and maintenance",
        "Keeping water supply systems running: technical and managerial solutions.",
    ),
    (
        "me-indicators",
        "M&E indicators",
        "Monitoring and evaluation indicators for the sector and national targets.",
    ),
    (
        "local-national-planning",
        "Local-national planning",
        "Linking village, jamoat and district development plans to national planning.",
    ),
    ("sanitation", "Sanitation", "Household, school and public sanitation."),
    (
        "hygiene-promotion",
        "Hygiene promotion",
        "Hand-washing, safe water storage and hygiene education.",
    ),
    (
        "water-quality",
        "Water quality",
        "Testing, surveillance and safety planning for drinking water.",
    ),
    (
        "climate-resilience",
        "Climate resilience",
        "Adapting water and food systems to droughts, floods and mudflows.",
    ),
    (
        "gender-and-inclusion",
        "Gender and inclusion",
        "Women's voice and the inclusion of poor and marginalised people.",
    ),
    (
        "rural-water-supply",
        "Rural water supply",
        "Community-managed and small-town water supply systems.",
    ),
    (
        "private-sector-participation",
        "Private sector participation",
        "Private operators, contractors and suppliers in service delivery.",
    ),
    (
        "financing",
        "Financing",
        "Public budgets, donor funding, loans and household finance for services.",
    ),
    (
        "institutional-roles",
        "Institutional roles and responsibilities",
        "Who does what in the sector, and ownership of water supply systems.",
    ),
    (
        "research-and-piloting",
        "Research and piloting",
        "Research, pilot projects and evaluation of innovative solutions.",
    ),
    # Food security
    (
        "food-security-policy",
        "Food security policy",
        "National strategies, programmes and laws on food security and nutrition.",
    ),
    (
        "womens-economic-empowerment",
        "Women's economic empowerment",
        "Women farmers' income, leadership and access to resources.",
    ),
    (
        "smallholder-farming",
        "Smallholder farming",
        "Productivity and resilience of small family farms.",
    ),
    (
        "market-access",
        "Market access",
        "Linking producers with buyers, processors and input suppliers.",
    ),
    ("value-chains", "Value chains", "Berries, dairy, apricots, vegetables and other chains."),
    (
        "financial-inclusion",
        "Financial inclusion",
        "Credit, savings and insurance for rural households and cooperatives.",
    ),
    ("agricultural-extension", "Agricultural extension", "Advice and training for farmers."),
    ("nutrition", "Nutrition", "Diet diversity and nutrition of mothers and children."),
    ("seed-systems", "Seed systems", "Access to quality seed and local varieties."),
    (
        "cooperatives",
        "Cooperatives and producer groups",
        "Forming and running farmer cooperatives.",
    ),
)

WATER_TOPICS_BY_SECTOR: dict[str, tuple[str, ...]] = {
    "government": (
        "drinking-water-legislation",
        "institutional-roles",
        "tariffs",
        "local-national-planning",
        "water-quality",
    ),
    "parliament": ("drinking-water-legislation", "institutional-roles", "financing"),
    "un-agency": (
        "water-quality",
        "hygiene-promotion",
        "me-indicators",
        "sanitation",
        "climate-resilience",
    ),
    "donor": ("financing", "me-indicators", "rural-water-supply", "institutional-roles"),
    "academia": ("research-and-piloting", "water-quality", "climate-resilience", "me-indicators"),
    "international-ngo": (
        "rural-water-supply",
        "hygiene-promotion",
        "gender-and-inclusion",
        "sanitation",
        "research-and-piloting",
    ),
    "civil-society": (
        "rural-water-supply",
        "hygiene-promotion",
        "gender-and-inclusion",
        "local-national-planning",
        "operation-and-maintenance",
    ),
    "private-sector": (
        "private-sector-participation",
        "operation-and-maintenance",
        "tariffs",
        "water-quality",
    ),
    "media": ("hygiene-promotion", "drinking-water-legislation", "gender-and-inclusion"),
    "womens-organisation": ("gender-and-inclusion", "hygiene-promotion", "sanitation"),
    "community-leaders": (
        "rural-water-supply",
        "operation-and-maintenance",
        "local-national-planning",
    ),
    "farmer-group": ("rural-water-supply", "operation-and-maintenance", "climate-resilience"),
    "financial-services": ("financing", "private-sector-participation", "sanitation"),
    "other": ("operation-and-maintenance", "private-sector-participation", "tariffs"),
}

FOOD_TOPICS_BY_SECTOR: dict[str, tuple[str, ...]] = {
    "government": ("food-security-policy", "agricultural-extension", "nutrition", "seed-systems"),
    "parliament": ("food-security-policy", "financial-inclusion"),
    "un-agency": ("food-security-policy", "nutrition", "climate-resilience"),
    "donor": ("food-security-policy", "value-chains", "womens-economic-empowerment"),
    "academia": ("food-security-policy", "value-chains", "climate-resilience", "seed-systems"),
    "international-ngo": (
        "womens-economic-empowerment",
        "smallholder-farming",
        "market-access",
        "gender-and-inclusion",
    ),
    "civil-society": ("smallholder-farming", "agricultural-extension", "gender-and-inclusion"),
    "private-sector": ("market-access", "value-chains"),
    "media": ("food-security-policy", "womens-economic-empowerment"),
    "womens-organisation": (
        "womens-economic-empowerment",
        "gender-and-inclusion",
        "cooperatives",
        "nutrition",
    ),
    "community-leaders": ("smallholder-farming", "local-national-planning"),
    "farmer-group": (
        "cooperatives",
        "market-access",
        "value-chains",
        "smallholder-farming",
        "seed-systems",
    ),
    "financial-services": ("financial-inclusion", "cooperatives", "value-chains"),
    "other": ("market-access", "smallholder-farming"),
}
