"""The food-security demo network (Armenia): from coffee meetings to government recognition.

Fictional; the path (informal coffee meetings of a few organisations, then a national
network in regular dialogue with the government on food security and women farmers)
follows Oxfam's "From coffee to conference" blog about Armenia and Georgia.
"""

from __future__ import annotations

from datetime import date as d

from netweave.demo.data import (
    MilestoneSpec,
    NetworkSpec,
    OrgSpec,
    PersonSpec,
    RelationshipSpec,
    RoleSpec,
)

FIRST_COFFEE = d(2011, 3, 10)

AIMS = """\
A national network of government, farmers' groups, women's organisations, financial \
service providers, businesses, researchers, media and development partners that:

- keeps a regular dialogue with the government to improve food security policies;
- advises the relevant ministries on food security and on the empowerment of women and \
men farmers, through its sub-groups;
- links smallholder farmers and their cooperatives with buyers, processors, input \
suppliers and mainstream financial services;
- shares what works, so that small-scale successes can be replicated."""

MILESTONES = (
    MilestoneSpec(
        "informal",
        FIRST_COFFEE,
        "First coffee meeting in Yerevan: five organisations working with "
        "smallholder and women farmers agree to meet every month.",
    ),
    MilestoneSpec(
        "emerging",
        d(2012, 5, 16),
        "The Ministry of Agriculture joins the meetings; members agree on a name, "
        "a rotating chair and a small secretariat.",
    ),
    MilestoneSpec(
        "formal",
        d(2014, 2, 19),
        "Charter signed; coordination council elected; sub-groups on women farmers "
        "and on market access formed.",
    ),
    MilestoneSpec(
        "recognised",
        d(2016, 10, 12),
        "Memorandum with the Government: the network is consulted on the national "
        "food security strategy.",
    ),
)

YR, SH, LO, TA, GE, SY, VD, AR, AV, AG, KO = (
    "Yerevan",
    "Shirak",
    "Lori",
    "Tavush",
    "Gegharkunik",
    "Syunik",
    "Vayots Dzor",
    "Ararat",
    "Armavir",
    "Aragatsotn",
    "Kotayk",
)

Org = OrgSpec
Staff = PersonSpec

ORGANISATIONS: tuple[OrgSpec, ...] = (
    # --- The coffee meetings of 2011 --------------------------------------------------------
    # Oasis International and the Helvetic agency already belong to the water network:
    # the demo shows one organisation in two networks, with its own people in each.
    Org(
        "oasis",
        "Oasis International",
        "international-ngo",
        FIRST_COFFEE,
        "oasis.example.org",
        "International NGO; convened the first coffee meetings and hosts the secretariat.",
        acronym="OI",
        country="GB",
        topics=("womens-economic-empowerment", "food-security-policy", "market-access"),
        people=(
            Staff(
                "Anahit Petrosyan",
                "Food Security Programme Manager, Armenia",
                "a.petrosyan@oasis.example.org",
                "hy, ru, en",
            ),
            Staff(
                "Gor Avagyan",
                "Gender and Livelihoods Officer, Armenia",
                "g.avagyan@oasis.example.org",
                "hy, ru, en",
            ),
        ),
        staff=2,
    ),
    Org(
        "arevik",
        "«Արևիկ» կանանց կենտրոն",
        "womens-organisation",
        FIRST_COFFEE,
        "arevik.example.am",
        "Women's centre «Arevik»: leadership training and savings groups for rural women.",
        acronym="Arevik",
        region=SH,
        topics=("womens-economic-empowerment", "gender-and-inclusion", "financial-inclusion"),
        showcase="Our 64 women's savings groups in Shirak lent 31 million dram to members in "
        "2015; a third of the loans started a greenhouse or a dairy business.",
    ),
    Org(
        "tavush-berries",
        "Tavush Berry Growers' Cooperative",
        "farmer-group",
        FIRST_COFFEE,
        "tavushberries.example.am",
        "Cooperative of 120 smallholders growing raspberries and blackberries.",
        region=TA,
        topics=("cooperatives", "market-access", "value-chains"),
        showcase="By selling together to two processors, members got 20% more per kilogram in "
        "2014 than those who sold alone at the farm gate.",
    ),
    Org(
        "eco-farming",
        "Eco-Farming Alliance",
        "civil-society",
        FIRST_COFFEE,
        "ecofarming.example.am",
        "NGO promoting organic and climate-smart farming.",
        region=YR,
        topics=("smallholder-farming", "climate-resilience", "seed-systems"),
    ),
    Org(
        "hdca",
        "Helvetic Development Cooperation Agency",
        "donor",
        FIRST_COFFEE,
        "hdca.example.ch",
        "Swiss development agency; funds rural market development in the South Caucasus.",
        acronym="HDCA",
        country="CH",
        topics=("value-chains", "market-access"),
        people=(
            Staff(
                "Levon Simonyan",
                "National Programme Officer, Rural Development",
                "l.simonyan@hdca.example.ch",
                "hy, ru, en",
            ),
        ),
        staff=1,
    ),
    Org(
        "rural-women-shirak",
        "Rural Women's Union of Shirak",
        "womens-organisation",
        d(2011, 9, 14),
        "ruralwomen-shirak.example.am",
        "Union of women farmers and village council members.",
        region=SH,
        topics=("womens-economic-empowerment", "smallholder-farming", "gender-and-inclusion"),
    ),
    # --- 2012 -------------------------------------------------------------------------------
    Org(
        "minagri",
        "Ministry of Agriculture",
        "government",
        d(2012, 5, 16),
        "minagri.example.am",
        "Responsible for agricultural policy, extension and food security programmes.",
        acronym="MoA",
        region=YR,
        staff=3,
        handovers=(d(2015, 1, 12),),
        alternate=True,
        topics=("food-security-policy", "agricultural-extension", "seed-systems"),
    ),
    Org(
        "agrovark",
        "Credit Union «Agrovark»",
        "financial-services",
        d(2012, 6, 13),
        "agrovark.example.am",
        "Rural credit union lending to farmers and cooperatives.",
        region=GE,
        topics=("financial-inclusion", "cooperatives"),
    ),
    Org(
        "gegharkunik-farmers",
        "Association of Farmers of Gegharkunik",
        "farmer-group",
        d(2012, 6, 13),
        "gegharkunik-farmers.example.am",
        "Association of potato and grain farmers around Lake Sevan.",
        region=GE,
        topics=("smallholder-farming", "market-access", "seed-systems"),
    ),
    Org(
        "unffp",
        "UN Food and Farming Programme (fictional)",
        "un-agency",
        d(2012, 7, 11),
        "unffp.example.org",
        "Supports food security policy and nutrition surveillance.",
        acronym="UNFFP",
        region=YR,
        staff=2,
        handovers=(d(2016, 3, 1),),
        topics=("food-security-policy", "nutrition", "climate-resilience"),
    ),
    Org(
        "food-policy",
        "Centre for Food Policy Research",
        "academia",
        d(2012, 9, 19),
        "foodpolicy.example.am",
        "Independent think tank on agriculture and food policy.",
        acronym="CFPR",
        region=YR,
        topics=("food-security-policy", "value-chains"),
    ),
    Org(
        "lori-cdf",
        "Community Development Foundation «Lori»",
        "civil-society",
        d(2012, 10, 17),
        "loricdf.example.am",
        "Local foundation supporting village development plans.",
        region=LO,
        topics=("smallholder-farming", "agricultural-extension"),
    ),
    Org(
        "community-heads",
        "Association of Community Heads",
        "community-leaders",
        d(2012, 11, 21),
        "communityheads.example.am",
        "Heads of rural communities of Armenia.",
        region=YR,
        topics=("smallholder-farming", "food-security-policy"),
    ),
    Org(
        "mercy-harvest",
        "Mercy Harvest International",
        "international-ngo",
        d(2012, 12, 12),
        "mercyharvest.example.org",
        "International NGO for nutrition and livelihoods.",
        acronym="MHI",
        country="US",
        region=SY,
        topics=("nutrition", "smallholder-farming", "womens-economic-empowerment"),
    ),
    # --- 2013 -------------------------------------------------------------------------------
    Org(
        "syunik-dairy",
        "Syunik Dairy Producers' Cooperative",
        "farmer-group",
        d(2013, 2, 20),
        "syunikdairy.example.am",
        "Cooperative of small dairy farmers with a shared cheese workshop.",
        region=SY,
        topics=("cooperatives", "value-chains", "market-access"),
    ),
    Org(
        "hayk-credit",
        "Rural Finance Company «Hayk Credit»",
        "financial-services",
        d(2013, 3, 20),
        "haykcredit.example.am",
        "Universal credit organisation with loans for women farmers.",
        region=YR,
        topics=("financial-inclusion", "womens-economic-empowerment"),
    ),
    Org(
        "input-suppliers",
        "Union of Agricultural Input Suppliers",
        "private-sector",
        d(2013, 4, 17),
        "inputsuppliers.example.am",
        "Suppliers of seed, fertiliser and equipment.",
        region=AR,
        topics=("market-access", "seed-systems"),
    ),
    Org(
        "agro-journalists",
        "Agro-Journalists' Club",
        "media",
        d(2013, 6, 19),
        "agrojournalists.example.am",
        "Journalists who cover farming and rural life.",
        region=YR,
        topics=("food-security-policy", "womens-economic-empowerment"),
    ),
    Org(
        "mlsa",
        "Ministry of Labour and Social Affairs",
        "government",
        d(2013, 9, 18),
        "mlsa.example.am",
        "Runs social assistance and gender equality programmes.",
        acronym="MLSA",
        region=YR,
        topics=("gender-and-inclusion", "nutrition"),
    ),
    Org(
        "crdf",
        "Caucasus Rural Development Fund",
        "donor",
        d(2013, 10, 16),
        "crdf.example.org",
        "Regional fund for rural livelihoods and value chains.",
        acronym="CRDF",
        country="GE",
        region="Office in Yerevan",
        topics=("value-chains", "financial-inclusion"),
    ),
    # --- 2014 -------------------------------------------------------------------------------
    Org(
        "food-safety",
        "State Food Safety Inspectorate",
        "government",
        d(2014, 2, 19),
        "foodsafety.example.am",
        "Inspects food production and sets safety requirements.",
        region=YR,
        topics=("food-security-policy", "value-chains"),
    ),
    Org(
        "yiae",
        "Yerevan Institute of Agrarian Economics",
        "academia",
        d(2014, 4, 16),
        "yiae.example.am",
        "Teaches and researches agricultural economics.",
        acronym="YIAE",
        region=YR,
        topics=("value-chains", "food-security-policy"),
    ),
    Org(
        "ararat-processing",
        "Ararat Valley Processing LLC",
        "private-sector",
        d(2014, 5, 21),
        "araratprocessing.example.am",
        "Fruit and vegetable processor buying from smallholders.",
        region=AR,
        left=d(2017, 11, 30),
        topics=("market-access", "value-chains"),
    ),
    Org(
        "vayots-apricot",
        "Vayots Dzor Apricot Growers",
        "farmer-group",
        d(2014, 9, 17),
        "apricot.example.am",
        "Group of apricot growers drying and selling together.",
        region=VD,
        topics=("cooperatives", "value-chains", "climate-resilience"),
    ),
    # --- 2015 -------------------------------------------------------------------------------
    Org(
        "parl-agri",
        "Standing Committee on Agriculture and Environment, National Assembly",
        "parliament",
        d(2015, 3, 18),
        "parliament.example.am",
        "Parliamentary committee that reviews agricultural and food laws.",
        region=YR,
        topics=("food-security-policy", "financial-inclusion"),
    ),
    Org(
        "agri-insurance",
        "Agricultural Insurance Pool",
        "financial-services",
        d(2015, 6, 17),
        "agriinsurance.example.am",
        "Pilots hail and frost insurance for farmers.",
        region=YR,
        topics=("financial-inclusion", "climate-resilience"),
    ),
    Org(
        "gender-council",
        "Council of Women Community Leaders",
        "womens-organisation",
        d(2015, 10, 21),
        "womenleaders.example.am",
        "Women heads and council members of rural communities.",
        region=AV,
        topics=("gender-and-inclusion", "food-security-policy"),
    ),
    # --- 2016 -------------------------------------------------------------------------------
    Org(
        "stat-food",
        "Statistical Committee, Food Security Monitoring Unit",
        "government",
        d(2016, 2, 17),
        "armstat-food.example.am",
        "Publishes the food security and poverty indicators.",
        region=YR,
        topics=("food-security-policy", "nutrition"),
    ),
    Org(
        "gyumri-seed",
        "Gyumri Seed Bank Cooperative",
        "farmer-group",
        d(2016, 4, 20),
        "gyumriseed.example.am",
        "Keeps and multiplies local wheat and bean varieties.",
        region=SH,
        topics=("seed-systems", "cooperatives"),
    ),
    Org(
        "kanants-dzayn",
        "Women's Association «Kanants Dzayn»",
        "womens-organisation",
        d(2016, 6, 15),
        "kanantsdzayn.example.am",
        "Advocates for women farmers' access to land, credit and extension.",
        region=TA,
        topics=("womens-economic-empowerment", "financial-inclusion"),
    ),
)

Tie = RelationshipSpec

RELATIONSHIPS: tuple[RelationshipSpec, ...] = (
    Tie("hdca", "funds", "oasis", d(2011, 1, 1), 4, "Rural market development programme"),
    Tie("oasis", "partners_with", "arevik", d(2011, 3, 10), 5),
    Tie("oasis", "partners_with", "tavush-berries", d(2011, 3, 10), 4),
    Tie("oasis", "partners_with", "eco-farming", d(2011, 3, 10), 3),
    Tie("oasis", "advises", "minagri", d(2012, 9, 1), 3, "Women farmers in extension services"),
    Tie("hdca", "funds", "tavush-berries", d(2012, 1, 15), 3, "Cold store"),
    Tie("crdf", "funds", "syunik-dairy", d(2014, 1, 15), 3, "Cheese workshop"),
    Tie("crdf", "funds", "agrovark", d(2014, 6, 1), 2, "Credit line for cooperatives"),
    Tie("agrovark", "funds", "gegharkunik-farmers", d(2013, 3, 1), 3, "Seasonal loans"),
    Tie("hayk-credit", "funds", "arevik", d(2014, 2, 1), 2, "Loans for savings-group members"),
    Tie("unffp", "advises", "minagri", d(2012, 9, 1), 4, "Food security strategy"),
    Tie("unffp", "partners_with", "stat-food", d(2016, 3, 1), 4, "Food security monitoring"),
    Tie("food-policy", "advises", "parl-agri", d(2015, 5, 1), 3),
    Tie("yiae", "advises", "minagri", d(2014, 6, 1), 2),
    Tie("food-safety", "reports_to", "minagri", d(2014, 2, 19), 5),
    Tie("food-safety", "regulates", "syunik-dairy", d(2014, 2, 19), 3, "Dairy hygiene rules"),
    Tie(
        "tavush-berries",
        "partners_with",
        "ararat-processing",
        d(2014, 6, 1),
        4,
        "Supply contract",
        end=d(2017, 11, 30),
    ),
    Tie("input-suppliers", "partners_with", "gegharkunik-farmers", d(2013, 5, 1), 3),
    Tie("rural-women-shirak", "partners_with", "arevik", d(2011, 9, 14), 4),
    Tie("mercy-harvest", "partners_with", "mlsa", d(2013, 10, 1), 3, "Nutrition of mothers"),
    Tie("agro-journalists", "partners_with", "oasis", d(2013, 7, 1), 2, "Media fellowships"),
    Tie("gyumri-seed", "member_of", "gegharkunik-farmers", d(2016, 5, 1), 2),
    Tie("agri-insurance", "partners_with", "vayots-apricot", d(2015, 7, 1), 3, "Frost insurance"),
    Tie("kanants-dzayn", "partners_with", "gender-council", d(2016, 7, 1), 3),
)

ROLES = (
    RoleSpec("facilitator", "facilitator"),
    RoleSpec("food-facilitator", "facilitator"),
)

FOOD_SECURITY = NetworkSpec(
    slug="food-security",
    name="Food Security and Women Farmers Network of Armenia",
    country="AM",
    aims=AIMS,
    sector_focus="Food security and women's economic empowerment",
    launched=FIRST_COFFEE,
    visibility="members",
    milestones=MILESTONES,
    organisations=ORGANISATIONS,
    relationships=RELATIONSHIPS,
    roles=ROLES,
    user_people={"food-facilitator": ("oasis", 0)},
    names="am",
    phone_prefix="+374 10",
    languages=("hy, ru", "hy, ru, en", "hy, en", "hy, ru"),
)
