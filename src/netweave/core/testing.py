"""Test personas, built once per test like healthchecks' Alice, Bob and Charlie.

``Personas`` holds one network with two member organisations and a user for every role
that a view must either serve or refuse:

- fiona: facilitator of the network
- sam: steering committee member
- alice: focal point of organisation A (``org_a``)
- bob: focal point of organisation B (``org_b``)
- olga: observer
- frank: facilitator of *another* network
- charlie: signed in, no role anywhere
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from netweave.directory.sectors import ensure_sectors
from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, sector
from netweave.networks.tests.factories import (
    MembershipFactory,
    NetworkFactory,
    RoleFactory,
    UserFactory,
)

PASSWORD = "correct horse battery staple"  # noqa: S105  (test-only)


@dataclass
class Personas:
    network: Any
    other_network: Any
    org_a: Any
    org_b: Any
    person_a: Any
    person_b: Any
    fiona: Any
    sam: Any
    alice: Any
    bob: Any
    olga: Any
    frank: Any
    charlie: Any

    def by_role(self) -> dict[str, Any]:
        """Every persona by the role it plays, anonymous as ``None``."""
        return {
            "anonymous": None,
            "outsider": self.charlie,
            "observer": self.olga,
            "other_focal_point": self.bob,
            "focal_point": self.alice,
            "steering": self.sam,
            "other_facilitator": self.frank,
            "facilitator": self.fiona,
        }


def make_personas() -> Personas:
    ensure_sectors()
    network = NetworkFactory(slug="testnet", name="Test network")
    other = NetworkFactory(slug="othernet", name="Other network")
    org_a = OrganisationFactory(
        name="Alpha Water Institute", acronym="AWI", slug="awi", sector=sector("academia")
    )
    org_b = OrganisationFactory(
        name="Beta Ministry", acronym="BM", slug="bm", sector=sector("government")
    )
    for org in (org_a, org_b):
        MembershipFactory(network=network, organisation=org)
    users = {
        name: UserFactory(username=name)
        for name in ("fiona", "sam", "alice", "bob", "olga", "frank", "charlie")
    }
    RoleFactory(user=users["fiona"], network=network, kind="facilitator")
    RoleFactory(user=users["sam"], network=network, kind="steering")
    RoleFactory(user=users["alice"], network=network, kind="focal_point", organisation=org_a)
    RoleFactory(user=users["bob"], network=network, kind="focal_point", organisation=org_b)
    RoleFactory(user=users["olga"], network=network, kind="observer")
    RoleFactory(user=users["frank"], network=other, kind="facilitator")
    return Personas(
        network=network,
        other_network=other,
        org_a=org_a,
        org_b=org_b,
        person_a=PersonFactory(name="Anna Alpha", organisation=org_a),
        person_b=PersonFactory(name="Boris Beta", organisation=org_b),
        **users,
    )
