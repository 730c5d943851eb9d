"""The water network's joint research, pilots, trainings and advocacy, and who paid for them.

Financed by several members in USD, EUR, CHF and TJS, with the yearly exchange rates to
the reporting currency (USD) that the facilitator entered. Idempotent: an activity whose
title exists is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from netweave.activities import services
from netweave.activities.models import ExchangeRate, JointActivity
from netweave.directory.models import Organisation, Topic
from netweave.governance.models import MemberRequest, TaskGroup
from netweave.networks.models import Network

d = dt.date

# Value of one unit in USD, yearly averages (rounded).
RATES = {
    "EUR": {2010: "1.3257", 2011: "1.3920", 2012: "1.2848", 2013: "1.3281", 2014: "1.3285",
            2015: "1.1095", 2016: "1.1069"},
    "CHF": {2010: "0.9600", 2011: "1.1284", 2012: "1.0668", 2013: "1.0790", 2014: "1.0924",
            2015: "1.0394", 2016: "1.0150"},
    "TJS": {2010: "0.2283", 2011: "0.2137", 2012: "0.2102", 2013: "0.2096", 2014: "0.2028",
            2015: "0.1607", 2016: "0.1272"},
}  # fmt: skip

HDCA = "Helvetic Development Cooperation Agency"
OASIS = "Oasis International"
DIWE = "Dushanbe Institute of Water Engineering"
MEWR = "Ministry of Energy and Water Resources"
UNCF = "United Nations Childhood Fund – Tajikistan Office (fictional)"
WHA = "World Health Alliance – Country Office (fictional)"
GRDB = "Global Reconstruction and Development Bank"
NWCF = "Nordic Water Cooperation Fund"
ANTIMONOPOLY = "Antimonopoly Service under the Government"
OBRASONON = "Association of Water Supply Operators «Obrasonon»"
STATISTICS = "Agency on Statistics under the President"
JAMOATS = "Association of Jamoat Heads of Khatlon"
SSES = "State Sanitary and Epidemiological Surveillance Service"
OBI_POK = "Public Organisation «Obi Pok»"
EKOJURNALIST = "Journalists' Association «Ekojurnalist»"
HUQUQ = "Lawyers' Association «Huquq va Ob»"
WWC = "Women's Water Committee of Khatlon"
KHUJAND_VK = "Khujand Vodokanal"
AQUATECH = "AquaTech Engineering LLC"
WASH_ANALYTICS = "WASH Analytics Consulting"

# (kind, title, start, end, status, task group, topics, description,
#  [(organisation, role)], [(organisation, kind, amount, currency, year, in-kind description)])
ACTIVITIES = [
    (
        "research", "Review of drinking-water legislation in the region",
        d(2010, 4, 1), d(2010, 12, 15), "completed", "Legislation",
        ["drinking-water-legislation"],
        "Water laws of five Central Asian countries compared, as input to the draft law.",
        [(HUQUQ, "lead"), (OASIS, "co_implementer"), (MEWR, "technical_partner")],
        [(HDCA, "money", "48000", "CHF", 2010, ""), (OASIS, "money", "12000", "EUR", 2010, ""),
         (MEWR, "in_kind", "30000", "TJS", 2010, "Legal staff time and archive access")],
    ),
    (
        "advocacy", "Parliamentary hearings on the draft law on drinking water",
        d(2011, 2, 1), d(2011, 11, 30), "completed", "Legislation",
        ["drinking-water-legislation"],
        "Briefings and two hearings with the parliamentary committee; media coverage.",
        [(OASIS, "lead"), (EKOJURNALIST, "co_implementer"), (HUQUQ, "technical_partner")],
        [(HDCA, "money", "25000", "CHF", 2011, ""), (UNCF, "money", "15000", "USD", 2011, ""),
         (EKOJURNALIST, "in_kind", "8000", "TJS", 2011, "Radio and newspaper coverage")],
    ),
    (
        "research", "Cost-recovery tariff study in six towns",
        d(2011, 7, 1), d(2012, 6, 30), "completed", "Tariffs", ["tariffs"],
        "Operating costs and willingness to pay in six vodokanals, for the national methodology.",
        [(ANTIMONOPOLY, "lead"), (WASH_ANALYTICS, "co_implementer"),
         (KHUJAND_VK, "technical_partner")],
        [(GRDB, "money", "60000", "USD", 2011, ""), (NWCF, "money", "20000", "EUR", 2012, ""),
         (KHUJAND_VK, "in_kind", "15000", "TJS", 2012, "Meter data and staff interviews")],
    ),
    (
        "pilot", "Volumetric tariff pilot in Khujand",
        d(2012, 9, 1), d(2014, 8, 31), "completed", "Tariffs", ["tariffs"],
        "Household meters and a volumetric tariff in two districts of Khujand.",
        [(KHUJAND_VK, "lead"), (ANTIMONOPOLY, "technical_partner"), (AQUATECH, "co_implementer")],
        [(GRDB, "money", "140000", "USD", 2012, ""), (HDCA, "money", "35000", "CHF", 2013, ""),
         (KHUJAND_VK, "money", "90000", "TJS", 2013, "")],
    ),
    (
        "training", "Operation and maintenance course for rural operators",
        d(2012, 3, 1), d(2012, 11, 30), "completed", "Operation and maintenance",
        ["operation-and-maintenance"],
        "Five-day course run three times for 75 operators of rural water systems.",
        [(OBRASONON, "lead"), (DIWE, "technical_partner")],
        [(UNCF, "money", "22000", "USD", 2012, ""), (NWCF, "money", "9000", "EUR", 2012, ""),
         (DIWE, "in_kind", "40000", "TJS", 2012, "Trainers and laboratory")],
    ),
    (
        "pilot", "Slow sand filters from local materials",
        d(2013, 4, 1), d(2014, 10, 31), "completed", "Operation and maintenance",
        ["research-and-piloting", "water-quality"],
        "Eight village filters built and monitored; a manual for operators.",
        [(DIWE, "lead"), (OBI_POK, "co_implementer"), (SSES, "technical_partner")],
        [(HDCA, "money", "42000", "CHF", 2013, ""), (WHA, "money", "18000", "USD", 2014, ""),
         (OBI_POK, "in_kind", "12000", "TJS", 2014, "Community labour")],
    ),
    (
        "evaluation", "Baseline for the sector's monitoring indicators",
        d(2013, 1, 15), d(2013, 12, 20), "completed", "Monitoring and evaluation indicators",
        ["me-indicators"],
        "Household survey in 1,200 households as the baseline of the agreed indicators.",
        [(STATISTICS, "lead"), (WASH_ANALYTICS, "co_implementer"), (UNCF, "technical_partner")],
        [(UNCF, "money", "55000", "USD", 2013, ""), (WHA, "money", "20000", "USD", 2013, ""),
         (STATISTICS, "in_kind", "60000", "TJS", 2013, "Enumerators and sampling frame")],
    ),
    (
        "training", "District planning for water and sanitation",
        d(2014, 2, 1), d(2015, 6, 30), "completed", "Local and national planning",
        ["local-national-planning"],
        "Jamoat and district officials write water chapters of their development plans.",
        [(JAMOATS, "lead"), (OASIS, "co_implementer"), (WWC, "co_implementer")],
        [(HDCA, "money", "38000", "CHF", 2014, ""), (OASIS, "money", "16000", "EUR", 2015, ""),
         (JAMOATS, "in_kind", "25000", "TJS", 2015, "Venues and officials' time")],
    ),
    (
        "policy_brief", "Policy brief: women in water governance",
        d(2015, 3, 1), d(2015, 9, 30), "completed", None, ["gender-and-inclusion"],
        "Evidence from the planning training and the pilots on women's role in water committees.",
        [(WWC, "lead"), (OASIS, "technical_partner")],
        [(NWCF, "money", "7500", "EUR", 2015, ""),
         (WWC, "in_kind", "6000", "TJS", 2015, "Focus groups")],
    ),
    (
        "advocacy", "Campaign for the national tariff methodology",
        d(2016, 1, 15), None, "ongoing", "Tariffs", ["tariffs"],
        "Round tables and media work for the adoption of the methodology by the government.",
        [(ANTIMONOPOLY, "lead"), (EKOJURNALIST, "co_implementer"), (OASIS, "funder")],
        [(GRDB, "money", "30000", "USD", 2016, ""), (OASIS, "money", "10000", "EUR", 2016, ""),
         (HDCA, "money", "12000", "CHF", 2016, "")],
    ),
]  # fmt: skip


def load_activities(network: Network) -> int:
    """Record the demo activities that do not exist yet; returns how many were recorded."""
    if network.slug != "water-sanitation":
        return 0
    existing = set(JointActivity.objects.filter(network=network).values_list("title", flat=True))
    members = {o.name: o for o in Organisation.objects.in_network(network)}
    groups = {g.name: g for g in TaskGroup.objects.filter(network=network)}
    # The request a task group was formed for: its group's first activity came from it.
    origins: dict[int, MemberRequest] = {}
    for request in MemberRequest.objects.filter(network=network, task_group__isnull=False).order_by(
        "-created", "-pk"
    ):
        origins[request.task_group_id] = request
    topics = {t.slug: t for t in Topic.objects.all()}
    created = 0
    with transaction.atomic():
        for currency, years in RATES.items():
            for year, rate in years.items():
                if not ExchangeRate.objects.filter(
                    network=network, year=year, currency=currency
                ).exists():
                    services.set_exchange_rate(network, year=year, currency=currency, rate=rate)
        for spec in ACTIVITIES:
            kind, title, start, end, status, group, topic_slugs, description, parts, money = spec
            if title in existing:
                continue
            task_group = groups.get(group) if group else None
            activity = services.create_activity(
                network,
                kind=kind,
                title=title,
                description=description,
                start=start,
                end=end,
                status=status,
                task_group=task_group,
                request=origins.pop(task_group.pk, None) if task_group else None,
                topics=[topics[s] for s in topic_slugs if s in topics],
            )
            # A demo changed by hand may miss a member: leave that one out.
            for name, role in parts:
                if name in members:
                    services.add_participation(activity, organisation=members[name], role=role)
            for name, kind_, amount, currency, year, what in money:
                if name in members:
                    services.add_contribution(
                        activity,
                        organisation=members[name],
                        kind=kind_,
                        amount=amount,
                        currency=currency,
                        year=year,
                        description=what,
                    )
            created += 1
    return created
