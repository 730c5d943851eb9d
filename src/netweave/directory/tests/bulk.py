"""Many members at once, for query-count tests: ``bulk_create`` skips ``save()`` and history."""

from __future__ import annotations

import datetime as dt

from netweave.core.lib.text import normalize_name
from netweave.directory.models import (
    Organisation,
    OrganisationInterest,
    Person,
    PersonInterest,
    Sector,
    Topic,
)
from netweave.networks.models import Membership, Network


def bulk_members(
    network: Network, count: int, *, people_per_org: int = 2, prefix: str = "Bulk"
) -> list[Organisation]:
    """``count`` member organisations of ``network``, each with people and two topics."""
    sectors = list(Sector.objects.all())
    topics = [
        Topic.objects.get_or_create(slug=f"bulk-topic-{i}", defaults={"name": f"Bulk topic {i}"})[0]
        for i in range(3)
    ]
    tag = f"{network.slug}-{prefix}".lower()
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"{prefix} organisation {i:04d}",
            name_key=normalize_name(f"{prefix} organisation {i:04d}"),
            acronym=f"{prefix[:2].upper()}{i}",
            slug=f"{tag}-{i}",
            sector=sectors[i % len(sectors)],
            country="TJ",
            email=f"office{i}@{tag}.example.org",
            phone="+992 00 000 0000",
        )
        for i in range(count)
    )
    Membership.objects.bulk_create(
        Membership(network=network, organisation=org, joined=dt.date(2015, 1, 1)) for org in orgs
    )
    OrganisationInterest.objects.bulk_create(
        OrganisationInterest(organisation=org, topic=topic)
        for i, org in enumerate(orgs)
        for topic in (topics[i % 3], topics[(i + 1) % 3])
    )
    people = Person.objects.bulk_create(
        Person(
            name=f"{prefix} person {i:04d}-{j}",
            name_key=normalize_name(f"{prefix} person {i:04d}-{j}"),
            organisation=org,
            email=f"p{j}@{org.slug}.example.org",
            consent_listed=True,
            consent_contact=True,
        )
        for i, org in enumerate(orgs)
        for j in range(people_per_org)
    )
    PersonInterest.objects.bulk_create(
        PersonInterest(person=person, topic=topics[i % 3]) for i, person in enumerate(people)
    )
    return orgs


def public_network_with(*organisations: Organisation, slug: str = "public-net") -> Network:
    """A public network (anyone may read it) of which ``organisations`` are members."""
    from netweave.networks.tests.factories import MembershipFactory, NetworkFactory

    network = NetworkFactory(slug=slug, name="Public network", visibility="public")
    for org in organisations:
        MembershipFactory(network=network, organisation=org)
    return network
