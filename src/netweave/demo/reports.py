"""The demo's reports: the water network's report template, learning notes, the learning team.

- The water network words its yearly report for its steering committee and donor: an
  introduction naming the year's key figures, a heading of its own for the membership
  section, texts with placeholders, and its outcomes moved up next to the membership.
- Learning notes: the water network's for 2015 and 2016 and the food network's for 2016,
  drawn from Oxfam's case study of the Tajik water network ("How we set up a network of
  partners to achieve greater influence", 2016) and its blog "From coffee to conference"
  on the Armenian and Georgian food security networks.
- The programme learning team: a group with ``reports.compare_networks`` and the demo
  user ``programme`` in it.

``load_reports()`` is idempotent: a template or a note that exists is left as it is, the
group and its permission are added only when missing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from netweave.directory.models import Topic
from netweave.networks.models import Network
from netweave.reports import notes, services
from netweave.reports.models import LearningNote, ReportTemplate
from netweave.reports.registry import section_types

WATER = "water-sanitation"
FOOD = "food-security"
LEARNING_TEAM = "Programme learning team"
PROGRAMME_USER = "programme"
AUTHORS = {WATER: "facilitator", FOOD: "food-facilitator"}

TEMPLATE = {
    "title": "{network}: annual report {year}",
    "introduction": (
        "In {year} the network counted {members_total} member organisations from "
        "{sectors_represented} sectors and held {meetings_held} meetings. This report, "
        "prepared by the secretariat for the steering committee and the Swiss Agency for "
        "Development and Cooperation, sets out what the members did together and what "
        "changed in the sector.\n\n"
        "Every figure is computed from the network's records; a click on a figure (or the "
        "annex of the PDF) shows the records behind it."
    ),
    "closing": (
        "The secretariat thanks the member organisations, the steering committee chaired "
        "by the Ministry of Energy and Water Resources, and the Swiss Agency for "
        "Development and Cooperation for their support in {year}."
    ),
}
# Per section: heading and text; a section not named keeps its defaults.
SECTIONS: dict[str, dict[str, str]] = {
    "membership": {
        "heading": "Who the network brings together",
        "text": (
            "{members_joined} organisations joined during the year and {members_left} left; "
            "at the end of the year the network counted {members_total} members from "
            "{sectors_represented} sectors."
        ),
    },
    "outcomes": {
        "text": (
            "Changes in policy and practice that the network contributed to, recorded in the "
            "outcome-harvesting form and substantiated by people outside the network."
        ),
    },
    "meetings": {
        "text": (
            "{meetings_held} meetings brought together {people_attending} people from "
            "{organisations_attending} organisations, on average {average_attendance} a "
            "meeting."
        ),
    },
}
# The outcomes come right after the membership: what changed, before how the work was done.
MOVED = {"outcomes": 2}

NOTES: list[dict[str, Any]] = [
    {
        "network": WATER,
        "year": 2015,
        "title": "A platform that a development bank asked to use",
        "context": (
            "Six years after its launch the network counted more than 70 organisations from "
            "government, parliament, the UN, donors, academia, NGOs, the private sector and "
            "the media. In July 2015 the World Bank asked to use it as the platform to present "
            "its poverty diagnostic of the water supply and sanitation sector and to collect "
            "coordinated feedback. A new networking and partnership officer joined the "
            "secretariat in May."
        ),
        "what_worked": (
            "High-level support: the government's backing, with the Ministry of Energy and "
            "Water Resources chairing the steering committee, brought deputy ministers to the "
            "table. The secretariat approached the institutions it needed directly and was "
            "clear about what it wanted from them. Regular meetings were used by members to "
            "showcase their work and were seen as a safe space to raise problems."
        ),
        "what_did_not": (
            "Being both the facilitator and the convenor of the network stretched the "
            "secretariat; the consultation had to be organised within three weeks on top of "
            "the regular meetings."
        ),
        "lessons": (
            "Networking requires resources: plan the staff and the skills (networking, "
            "policy, media, research and law) before the network grows. A network that "
            "members see as neutral and useful becomes a platform others want to use, which "
            "is itself a sign of influence."
        ),
        "recommendations": (
            "Seek high-level support early and be explicit about what each institution gains. "
            "Budget for facilitation as a function of its own, not as a side task of a project."
        ),
        "topics": ["institutional-roles", "financing"],
    },
    {
        "network": WATER,
        "year": 2016,
        "title": "Keeping members engaged after recognition",
        "context": (
            "With the network recognised and several policy outcomes behind it, attendance "
            "at regular meetings depended on whether the agenda spoke to members' own work. "
            "The secretariat wrote up its experience as a case study for other country "
            "programmes."
        ),
        "what_worked": (
            "Agendas built from members' requests, with at least one topic of interest to "
            "everyone, and task groups formed for the rest. Showcases by members kept "
            "meetings lively and brought in newcomers."
        ),
        "what_did_not": (
            "Trying to involve every member in every task group: it slowed the groups down "
            "and tired the members who had little stake in the topic."
        ),
        "lessons": (
            "Be clear about what you aim to achieve by working in a network, and be flexible "
            "and responsive to members' needs; not everybody needs to be involved in "
            "everything."
        ),
        "recommendations": (
            "Review the agenda with the steering committee against the open member requests "
            "before each meeting."
        ),
        "topics": ["institutional-roles", "research-and-piloting"],
    },
    {
        "network": FOOD,
        "year": 2016,
        "title": "From coffee meetings to a network the government recognises",
        "context": (
            "The network started in 2011 as monthly coffee meetings of five organisations "
            "working with smallholder and women farmers. In 2016 the government recognised "
            "it as a partner in the dialogue on food security policy, while the network "
            "chose to stay informal."
        ),
        "what_worked": (
            "Starting small and informal let trust grow before any structure was needed. "
            "Sub-groups advised the relevant ministries on food security and on the "
            "empowerment of women and men farmers. Links between farmer groups, buyers, "
            "processors and banks gave small farmers access to markets and financial "
            "services."
        ),
        "what_did_not": (
            "Successes stayed small in scale: the network had no way yet to take a working "
            "link between a cooperative and a bank to other regions."
        ),
        "lessons": (
            "Coffee meetings can lead to a solid network; let the members decide how formal "
            "it becomes. Recognition by the government does not require a formal legal status."
        ),
        "recommendations": (
            "Share the network's successes with other country programmes so that they can be "
            "replicated."
        ),
        "topics": ["food-security-policy", "womens-economic-empowerment", "financial-inclusion"],
    },
]


def load_reports() -> dict[str, int]:
    """Add what is missing; returns how many templates, notes and team members were added."""
    added = {"templates": 0, "notes": 0, "team": 0}
    with transaction.atomic():
        water = Network.objects.filter(slug=WATER).first()
        if water is not None and not ReportTemplate.objects.filter(network=water).exists():
            load_template(water)
            added["templates"] += 1
        added["notes"] = load_notes()
        added["team"] = load_learning_team()
    return added


def load_template(network: Network) -> ReportTemplate:
    types = [t.key for t in section_types()]
    for key, position in MOVED.items():
        types.remove(key)
        types.insert(position - 1, key)
    sections = [
        {
            "key": key,
            "enabled": True,
            "position": position,
            "heading": SECTIONS.get(key, {}).get("heading", ""),
            "text": SECTIONS.get(key, {}).get("text", ""),
        }
        for position, key in enumerate(types, start=1)
    ]
    return services.save_template(network, **TEMPLATE, sections=sections, acting_user=None)


def load_notes() -> int:
    networks = {n.slug: n for n in Network.objects.filter(slug__in=[WATER, FOOD])}
    facilitators = _facilitators(networks.values())
    added = 0
    for spec in NOTES:
        network = networks.get(spec["network"])
        if network is None:
            continue
        if LearningNote.objects.filter(network=network, year=spec["year"]).exists():
            continue
        data = {k: v for k, v in spec.items() if k not in ("network", "topics")}
        notes.create_note(
            network,
            acting_user=facilitators.get(network.pk),
            topics=list(Topic.objects.filter(slug__in=spec["topics"])),
            **data,
        )
        added += 1
    return added


def _facilitators(networks: Any) -> dict[int, Any]:
    """Each network's own demo facilitator, the author of its notes."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=AUTHORS.values())}
    return {n.pk: users.get(AUTHORS[n.slug]) for n in networks}


def load_learning_team() -> int:
    """The group that compares networks, with the demo user ``programme`` in it."""
    group, _created = Group.objects.get_or_create(name=LEARNING_TEAM)
    content_type = ContentType.objects.get_for_model(LearningNote)
    permission, _created = Permission.objects.get_or_create(
        codename="compare_networks",
        content_type=content_type,
        defaults={"name": "Can compare networks across the programme"},
    )
    group.permissions.add(permission)
    user = get_user_model().objects.filter(username=PROGRAMME_USER).first()
    if user is None or user.groups.filter(pk=group.pk).exists():
        return 0
    user.groups.add(group)
    return 1
