"""The water network's outcomes and M&E indicators.

Outcomes, in the outcome-harvesting form: the law on drinking water (2010), the national
targets under the Protocol on Water and Health (2013) and the regulator's methodology to
calculate water tariffs (2013), each with its evidence from the library and the task
groups, activities and meetings behind it. Indicators for 2010–2016 with baselines and
targets: six computed from the network's records and two entered from surveys (demo
figures).

``load_influence()`` is idempotent: an outcome or an indicator whose title or name exists
is left as it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from netweave.activities.models import JointActivity
from netweave.directory.models import Organisation
from netweave.governance.models import TaskGroup
from netweave.influence import services
from netweave.influence.models import Indicator, Outcome
from netweave.library.models import Document
from netweave.meetings.models import Meeting
from netweave.networks.models import Network

NETWORK = "water-sanitation"
d = dt.date

OUTCOMES: list[dict[str, Any]] = [
    {
        "title": "Law on drinking water and drinking-water supply adopted",
        "kind": "law",
        "date": d(2010, 12, 29),
        "place": "Tajikistan (national)",
        "actor": "Parliamentary Committee on Energy, Water and Environment",
        "description": (
            "Parliament adopted the first law on drinking water and drinking-water supply. "
            "It names one body responsible for drinking-water quality, requires vodokanals "
            "to test water regularly and lets municipalities contract private operators "
            "under public supervision."
        ),
        "significance": (
            "The sector's first legal basis for water quality and service; the by-laws that "
            "follow from it set the rules for operators across the country."
        ),
        "contribution": (
            "The Legislation task group reviewed the water laws of five neighbouring "
            "countries and brought three recommendations to the parliamentary committee; "
            "the quality-responsibility and private-operator articles follow its wording. "
            "The draft was discussed at two network meetings in 2010."
        ),
        "evidence": [
            "Law on drinking water and drinking-water supply (2010)",
            "Review of drinking-water legislation in the region",
        ],
        "evidence_note": "Committee hearing transcript of 14 December 2010 (paper copy).",
        "substantiation": "yes",
        "substantiated_by": "Legal adviser of the parliamentary committee, interviewed by the "
        "mid-term evaluator",
        "substantiated_on": d(2011, 6, 15),
        "substantiation_note": "Confirmed that the network's review was the committee's main "
        "comparative source.",
        "task_groups": ["Legislation"],
        "activities": ["Review of drinking-water legislation in the region"],
        "meetings": ["Network meeting Q3 2010", "Network meeting Q4 2010"],
    },
    {
        "title": "National targets set under the Protocol on Water and Health",
        "kind": "policy",
        "date": d(2013, 12, 10),
        "place": "Tajikistan (national)",
        "actor": "Ministry of Health and Social Protection of Population",
        "description": (
            "The government set national targets and target dates under the Protocol on "
            "Water and Health: drinking-water quality, access in rural areas, sanitation in "
            "schools and surveillance of water-related disease."
        ),
        "significance": (
            "Binds the ministries to measurable targets and reporting to the Protocol's "
            "meeting of the parties; donors align their programmes with them."
        ),
        "contribution": (
            "The government used the network as the platform for the stakeholder "
            "consultations on the draft targets; members' comments were consolidated by "
            "the M&E indicators task group, whose baseline survey supplied the figures."
        ),
        "evidence": [],
        "evidence_note": "Summary report of the Protocol's joint secretariat, 2014.",
        "substantiation": "yes",
        "substantiated_by": "Joint secretariat of the Protocol on Water and Health",
        "substantiated_on": d(2014, 7, 1),
        "substantiation_note": "The summary report names the network's consultations.",
        "task_groups": ["Monitoring and evaluation indicators"],
        "activities": ["Baseline for the sector's monitoring indicators"],
        "meetings": ["Network meeting Q1 2013", "Network meeting Q2 2013"],
    },
    {
        "title": "Regulator issues a national methodology to calculate water tariffs",
        "kind": "regulation",
        "date": d(2013, 9, 1),
        "place": "Tajikistan (national)",
        "actor": "Antimonopoly Service under the Government",
        "description": (
            "The tariff regulator issued a national methodology to calculate drinking-water "
            "tariffs that covers operation, maintenance and depreciation, with a lifeline "
            "block for poor households."
        ),
        "significance": (
            "Tariffs until then covered barely half of operating costs; the methodology is "
            "the basis for cost-recovery tariffs. Its adoption by government decree is still "
            "sought (see the influence map)."
        ),
        "contribution": (
            "The Tariffs task group's cost-recovery study in six towns and the volumetric "
            "tariff pilot in Khujand supplied the cost data; the draft was discussed with "
            "members before the regulator issued it."
        ),
        "evidence": ["National methodology for calculating water-supply tariffs"],
        "evidence_note": "",
        "substantiation": "pending",
        "substantiated_by": "",
        "substantiated_on": None,
        "substantiation_note": "The final evaluation will ask the regulator.",
        "task_groups": ["Tariffs"],
        "activities": [
            "Cost-recovery tariff study in six towns",
            "Volumetric tariff pilot in Khujand",
        ],
        "meetings": ["Network meeting Q4 2012", "Network meeting Q2 2013"],
    },
]

YEARS = range(2010, 2017)
# (name, computation or "", unit, description, (baseline year, baseline), {year: target},
#  {year: (value, source)} for entered indicators)
INDICATORS: list[tuple[Any, ...]] = [
    (
        "Member organisations", "member_organisations", "organisations",
        "Growth of the network beyond its twenty founding members.",
        (2009, "20"), dict(zip(YEARS, ["30", "40", "50", "58", "64", "70", "75"], strict=True)),
        {},
    ),
    (
        "Sectors represented", "sectors_represented", "sectors",
        "Diversity of the membership: government, parliament, UN, donors, academia, NGOs, "
        "private sector and media.",
        (2009, "9"), dict(zip(YEARS, ["10", "11", "12", "12", "13", "13", "14"], strict=True)),
        {},
    ),
    (
        "Meetings held", "meetings_held", "meetings",
        "Regular network meetings, special events and task-group meetings.",
        (2009, "1"), {year: "6" for year in YEARS}, {},
    ),
    (
        "Members attending at least one meeting", "members_attending_share", "%",
        "Engagement of the membership.",
        (2010, "60"), dict(zip(YEARS, ["60", "60", "65", "65", "70", "70", "75"], strict=True)),
        {},
    ),
    (
        "Outcomes substantiated", "outcomes_substantiated", "outcomes",
        "Changes in policy and practice the network contributed to, confirmed by an "
        "independent source.",
        (2009, "0"), {2010: "1", 2012: "1", 2013: "1", 2015: "1"}, {},
    ),
    (
        "Joint activities started", "joint_activities_started", "activities",
        "Research, pilots, evaluations, trainings and advocacy run by members together.",
        (2009, "0"), {year: "2" for year in YEARS}, {},
    ),
    (
        "Rural households with safe drinking water", "", "%",
        "Share of surveyed rural households whose main source of drinking water is "
        "improved and tested safe (demo figures).",
        (2010, "48.0"), {2012: "52", 2014: "57", 2016: "62"},
        {
            2011: ("49.5", "Household survey 2011 (demo figure)"),
            2013: ("53.2", "Baseline survey of the M&E task group (demo figure)"),
            2015: ("56.1", "Household survey 2015 (demo figure)"),
        },
    ),
    (
        "Policy recommendations submitted to the government", "", "recommendations",
        "Recommendations and policy briefs the network submitted formally (demo figures).",
        (2009, "0"), {year: "3" for year in YEARS},
        {
            2010: ("4", "Secretariat's register"), 2011: ("2", "Secretariat's register"),
            2012: ("3", "Secretariat's register"), 2013: ("6", "Secretariat's register"),
            2014: ("3", "Secretariat's register"), 2015: ("5", "Secretariat's register"),
            2016: ("2", "Secretariat's register"),
        },
    ),
]  # fmt: skip


_LISTS = {"actor", "evidence", "task_groups", "activities", "meetings"}


def _by_name(model: Any, network: Network, field: str, names: list[str]) -> list[Any]:
    found = model.objects.filter(network=network, **{f"{field}__in": names})
    return list(found)


def _outcome(network: Network, spec: dict[str, Any]) -> Outcome:
    data = {key: value for key, value in spec.items() if key not in _LISTS}
    actor = Organisation.objects.filter(name=spec["actor"]).first()
    return services.record_outcome(
        network,
        confirm=True,
        actor_organisation=actor,
        actor_name="" if actor else spec["actor"],
        evidence_documents=_by_name(Document, network, "title", spec["evidence"]),
        task_groups=_by_name(TaskGroup, network, "name", spec["task_groups"]),
        activities=_by_name(JointActivity, network, "title", spec["activities"]),
        meetings=_by_name(Meeting, network, "title", spec["meetings"]),
        **data,
    )


def load_influence() -> tuple[int, int]:
    """Add the water network's missing outcomes and indicators; returns how many of each."""
    network = Network.objects.filter(slug=NETWORK).first()
    if network is None:
        return 0, 0
    outcomes = indicators = 0
    with transaction.atomic():
        titles = set(Outcome.objects.filter(network=network).values_list("title", flat=True))
        for spec in OUTCOMES:
            if spec["title"] not in titles:
                _outcome(network, spec)
                outcomes += 1
        names = set(Indicator.objects.filter(network=network).values_list("name", flat=True))
        for name, key, unit, description, baseline, targets, values in INDICATORS:
            if name in names:
                continue
            indicator = services.create_indicator(
                network,
                name=name,
                description=description,
                unit=unit,
                source="computed" if key else "entered",
                computation=key,
                baseline_year=baseline[0],
                baseline_value=Decimal(baseline[1]),
                targets=targets,
            )
            for year, (value, source) in values.items():
                services.record_indicator_value(indicator, year=year, value=value, source=source)
            indicators += 1
    return outcomes, indicators
