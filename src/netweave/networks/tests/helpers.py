"""Shared builders for the network page tests."""

from __future__ import annotations

import datetime as dt

from netweave.directory.models import Organisation, Person, Sector
from netweave.networks.models import Membership, Network


def bulk_members(network: Network, n: int, *, prefix: str = "bulk") -> list[Organisation]:
    """``n`` member organisations spread over every sector, a person each, a few who left."""
    sectors = list(Sector.objects.all())
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"{prefix} organisation {i}",
            name_key=f"{prefix} organisation {i}",
            slug=f"{prefix}-{i}",
            sector=sectors[i % len(sectors)],
        )
        for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(
            network=network,
            organisation=org,
            joined=dt.date(2011 + i % 10, 3, 1),
            left=dt.date(2022, 5, 1) if i % 7 == 0 else None,
            status="left" if i % 7 == 0 else "active",
        )
        for i, org in enumerate(organisations)
    )
    Person.objects.bulk_create(
        Person(name=f"{prefix} person {i}", name_key=f"{prefix} person {i}", organisation=org)
        for i, org in enumerate(organisations)
    )
    return organisations
