"""The network home's counts are cached and follow every change to the network's data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from netweave.directory.tests.factories import OrganisationFactory, PersonFactory
from netweave.meetings.tests.factories import MeetingFactory
from netweave.networks.services import add_member, end_membership
from netweave.networks.stats import bump_data_version, data_version

pytestmark = pytest.mark.django_db


def counts(client, network) -> tuple[int, int, int]:
    context = client.get(reverse("networks:detail", kwargs={"network": network.slug})).context
    return context["member_count"], context["people_count"], context["meeting_count"]


def test_counts_change_after_a_member_joins_and_leaves(client, personas):
    """A new member and its staff show at once; so does a member leaving."""
    client.force_login(personas.fiona)
    members, people, meetings = counts(client, personas.network)
    organisation = OrganisationFactory()
    add_member(personas.network, organisation, joined=dt.date(2020, 1, 1))
    PersonFactory(organisation=organisation)
    assert counts(client, personas.network) == (members + 1, people + 1, meetings)
    end_membership(
        personas.network.memberships.get(organisation=organisation), left=dt.date(2021, 1, 1)
    )
    assert counts(client, personas.network) == (members, people, meetings)


def test_counts_change_after_a_meeting_is_added(client, personas):
    """A new meeting is counted on the next read."""
    client.force_login(personas.fiona)
    members, people, meetings = counts(client, personas.network)
    MeetingFactory(network=personas.network)
    assert counts(client, personas.network) == (members, people, meetings + 1)


def test_person_change_bumps_only_their_networks(personas):
    """A person's change marks their organisation's networks as changed, not others."""
    ours, theirs = data_version(personas.network), data_version(personas.other_network)
    PersonFactory(organisation=personas.org_a)
    assert data_version(personas.network) != ours
    assert data_version(personas.other_network) == theirs


def test_bulk_writes_show_after_a_bump(client, personas):
    """Writes that bypass signals show once their writer bumps the data version."""
    client.force_login(personas.fiona)
    members, people, meetings = counts(client, personas.network)
    organisation = OrganisationFactory()
    personas.network.memberships.bulk_create(
        [
            personas.network.memberships.model(
                network=personas.network, organisation=organisation, joined=dt.date(2020, 1, 1)
            )
        ]
    )
    assert counts(client, personas.network)[0] == members  # cached
    bump_data_version(personas.network)
    assert counts(client, personas.network)[0] == members + 1
