"""The water network's governance: the member requests that led to its five task groups,
the task groups with their deliverables, a few requests still in the queue, and a steering
committee chaired by the Ministry of Energy and Water Resources (the seed's list).

Every date is fixed; everything is added only when missing, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from netweave.directory.models import Organisation, OrganisationInterest, Topic
from netweave.governance.models import Body, Deliverable, MemberRequest, TaskGroup
from netweave.governance.services import (
    add_deliverable,
    add_seat,
    add_task_group_member,
    create_body,
    create_task_group,
    fulfil_deliverable,
    raise_request,
    triage_request,
)
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
        load_requests(network)
        load_deliverables(network)
        load_steering_committee(network)
    return formed


# (task group, title of the request that led to it, description, urgency)
REQUESTS = [
    (
        "Legislation",
        "Help us comment on the draft drinking water law",
        "The draft law goes to parliament next year; members want one coordinated position.",
        "high",
    ),
    (
        "Tariffs",
        "Tariffs do not cover the cost of operation",
        "Operators cannot pay for repairs; we need a methodology the regulator accepts.",
        "high",
    ),
    (
        "Operation and maintenance",
        "Rural systems break down within a few years",
        "Share what works for keeping village systems running.",
        "normal",
    ),
    (
        "Monitoring and evaluation indicators",
        "Every donor asks for different indicators",
        "Agree on one set of sector indicators that national statistics can report.",
        "normal",
    ),
    (
        "Local and national planning",
        "Village plans never reach the district budget",
        "Link jamoat and district development plans to national planning.",
        "normal",
    ),
]
# (raising organisation, title, description, urgency, decision, answer or reason)
QUEUE = [
    (
        "Public Organisation «Obi Pok»",
        "Training on water safety plans for village committees",
        "Twenty committees asked us for training we cannot give alone.",
        "normal",
        None,
        "",
    ),
    (
        "Association of Jamoat Heads of Khatlon",
        "Where can jamoats find the sanitary rules in Tajik?",
        "",
        "low",
        "answer",
        "The facilitator shared the translated sanitary rules in the network's library.",
    ),
    (
        "Association of Water Supply Operators «Obrasonon»",
        "A task group on meters for every household",
        "Operators want a group to promote metering.",
        "normal",
        "decline",
        "The tariffs task group already covers metering; join it.",
    ),
]
# (task group, deliverable, due, document link or "" while it is open)
DELIVERABLES = [
    (
        "Legislation",
        "Members' comments on the draft law",
        dt.date(2011, 3, 1),
        "https://example.org/water-network/legislation-comments",
    ),
    ("Legislation", "Position paper on the by-laws", dt.date(2026, 12, 1), ""),
    (
        "Tariffs",
        "National tariff methodology",
        dt.date(2013, 6, 30),
        "https://example.org/water-network/tariff-methodology",
    ),
    ("Tariffs", "Tariff calculator for small operators", dt.date(2026, 9, 30), ""),
    (
        "Operation and maintenance",
        "Compendium of operational solutions",
        dt.date(2013, 12, 31),
        "https://example.org/water-network/om-compendium",
    ),
    (
        "Monitoring and evaluation indicators",
        "Sector indicator set",
        dt.date(2014, 3, 31),
        "https://example.org/water-network/indicators",
    ),
    ("Local and national planning", "Guide to linking local and national plans", None, ""),
]
STEERING_NAME = "Steering committee"
CHAIR = "Ministry of Energy and Water Resources"
STEERING_TERM = dt.date(2024, 1, 1)
# Sectors that hold a seat besides the chair's, the first member of each by name.
STEERING_SECTORS = [
    "government",
    "un-agency",
    "donor",
    "international-ngo",
    "civil-society",
    "academia",
    "private-sector",
]
STEERING_MIX = {
    "government": 2,
    "un-agency": 1,
    "donor": 1,
    "civil-society": 2,
    "private-sector": 1,
}


def _stamp(request: MemberRequest, day: dt.date) -> None:
    """Date the request as raised on ``day`` (the service stamps the time of loading)."""
    when = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    MemberRequest.objects.filter(pk=request.pk).update(created=when, modified=when)
    request.history.update(history_date=when)


def load_requests(network: Network) -> None:
    """The requests behind the task groups, accepted into them, and a few in the queue."""
    existing = set(MemberRequest.objects.filter(network=network).values_list("title", flat=True))
    members = Organisation.objects.in_network(network)
    groups = {g.name: g for g in TaskGroup.objects.filter(network=network).select_related("lead")}
    for group_name, title, description, urgency in REQUESTS:
        group = groups.get(group_name)
        if group is None or title in existing:
            continue
        request = raise_request(
            network,
            organisation=group.lead,
            title=title,
            description=description,
            topic=group.topics.first(),
            urgency=urgency,
        )
        triage_request(request, decision="accept", task_group=group)
        day = (group.start or dt.date(2010, 1, 1)) - dt.timedelta(days=45)
        _stamp(request, day)
        MemberRequest.objects.filter(pk=request.pk).update(
            decided_at=dt.datetime.combine(group.start or day, dt.time(9), tzinfo=dt.UTC)
        )
    for org_name, title, description, urgency, decision, text in QUEUE:
        organisation = members.filter(name=org_name).first()
        if organisation is None or title in existing:
            continue
        request = raise_request(
            network,
            organisation=organisation,
            title=title,
            description=description,
            urgency=urgency,
        )
        if decision == "answer":
            triage_request(request, decision="answer", answer=text)
        elif decision == "decline":
            triage_request(request, decision="decline", reason=text)
        _stamp(request, dt.date(2026, 9, 15) if decision is None else dt.date(2026, 5, 4))


def load_deliverables(network: Network) -> None:
    """Deliverables of the task groups; the finished ones with the link to their document."""
    groups = {g.name: g for g in TaskGroup.objects.filter(network=network)}
    existing = set(
        Deliverable.objects.filter(task_group__network=network).values_list(
            "task_group__name", "title"
        )
    )
    for group_name, title, due, link in DELIVERABLES:
        group = groups.get(group_name)
        if group is None or (group_name, title) in existing:
            continue
        deliverable = add_deliverable(group, title=title, due=due)
        if link:
            document = fulfil_deliverable(deliverable, title=title, url=link)
            # Delivered a week before it was due, not on the day the demo is loaded.
            when = dt.datetime.combine(due - dt.timedelta(days=7), dt.time(9), tzinfo=dt.UTC)
            type(document).objects.filter(pk=document.pk).update(created=when, modified=when)
            Deliverable.objects.filter(pk=deliverable.pk).update(modified=when)


def load_steering_committee(network: Network) -> None:
    """The steering committee, chaired by the ministry, one seat per sector named above."""
    if Body.objects.filter(network=network, name=STEERING_NAME).exists():
        return
    members = Organisation.objects.in_network(network).order_by("name")
    chair = members.filter(name=CHAIR).first()
    if chair is None:
        return
    body = create_body(
        network,
        name=STEERING_NAME,
        kind="steering",
        quorum=5,
        sector_mix=STEERING_MIX,
        description="Triages member requests, approves task groups and agendas.",
    )
    add_seat(
        body,
        organisation=chair,
        person=chair.people.order_by("name").first(),
        chair=True,
        start=STEERING_TERM,
    )
    for sector_slug in STEERING_SECTORS:
        organisation = members.filter(sector__slug=sector_slug).exclude(pk=chair.pk).first()
        if organisation is not None:
            add_seat(
                body,
                organisation=organisation,
                person=organisation.people.order_by("name").first(),
                start=STEERING_TERM,
            )
