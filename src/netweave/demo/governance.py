"""The water network's task groups, formed on members' requests (the seed's list)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from netweave.directory.models import Organisation, OrganisationInterest, Topic
from netweave.governance.models import TaskGroup
from netweave.governance.services import add_task_group_member, create_task_group
from netweave.networks.models import Network

# (name, topic, lead's name, start, terms of reference)
TASK_GROUPS = [
    (
        "Legislation",
        "drinking-water-legislation",
        "Ministry of Energy and Water Resources",
        dt.date(2010, 3, 1),
        "Contribute to the draft law on drinking water and its by-laws.",
    ),
    (
        "Tariffs",
        "tariffs",
        "Antimonopoly Service under the Government",
        dt.date(2011, 6, 1),
        "Develop a national methodology to calculate water tariffs.",
    ),
    (
        "Operation and maintenance",
        "operation-and-maintenance",
        "Association of Water Supply Operators «Obrasonon»",
        dt.date(2011, 9, 1),
        "Collect operational solutions for the technical and managerial problems of water systems.",
    ),
    (
        "Monitoring and evaluation indicators",
        "me-indicators",
        "Agency on Statistics under the President",
        dt.date(2012, 2, 1),
        "Develop monitoring and evaluation indicators for the sector.",
    ),
    (
        "Local and national planning",
        "local-national-planning",
        "Association of Jamoat Heads of Khatlon",
        dt.date(2012, 9, 1),
        "Link village, jamoat and district development planning to the national level.",
    ),
]
MEMBERS_PER_GROUP = 8


def load_task_groups(network: Network) -> int:
    """Form the demo task groups that do not exist yet; returns how many were formed."""
    if network.slug != "water-sanitation":
        return 0
    existing = set(TaskGroup.objects.filter(network=network).values_list("name", flat=True))
    members = Organisation.objects.in_network(network)
    formed = 0
    with transaction.atomic():
        for name, topic_slug, lead_name, start, terms in TASK_GROUPS:
            if name in existing:
                continue
            topic = Topic.objects.filter(slug=topic_slug).first()
            interested = list(
                members.filter(
                    pk__in=OrganisationInterest.objects.filter(topic=topic).values(
                        "organisation_id"
                    )
                ).order_by("name")
            )
            lead = members.filter(name=lead_name).first() or (interested or [None])[0]
            if lead is None:
                continue
            group = create_task_group(
                network,
                name=name,
                lead=lead,
                terms_of_reference=terms,
                start=start,
                topics=[topic] if topic else [],
            )
            for organisation in [o for o in interested if o.pk != lead.pk][:MEMBERS_PER_GROUP]:
                first_person = organisation.people.order_by("name").first()
                add_task_group_member(
                    group,
                    organisation,
                    people=[first_person] if first_person else [],
                    joined=start,
                )
            formed += 1
    return formed
