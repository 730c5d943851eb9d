import datetime as dt

import pytest
from django.core import mail

from netweave.directory.tests.factories import PersonFactory
from netweave.governance.services import add_task_group_member, create_task_group
from netweave.meetings.models import Invitation
from netweave.meetings.services import create_meeting, invite_people

pytestmark = pytest.mark.django_db

START = dt.datetime(2030, 3, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def meeting(personas):
    return create_meeting(
        personas.network,
        {
            "title": "Tariff task group",
            "kind": "task_group",
            "start": START,
            "end": START + dt.timedelta(hours=2),
            "time_zone": "UTC",
        },
    )


def test_inviting_a_task_group_reaches_its_named_people(personas, meeting):
    """A task group's invitation goes to the people its members named, or to the whole
    organisation's contactable people where it named nobody."""
    group = create_task_group(personas.network, name="Tariffs", lead=personas.org_a)
    colleague = PersonFactory(organisation=personas.org_b)
    add_task_group_member(group, personas.org_b, people=[personas.person_b])
    result = invite_people(meeting, task_groups=[group], acting_user=personas.fiona)
    invited = set(Invitation.objects.filter(meeting=meeting).values_list("person", flat=True))
    assert personas.person_b.pk in invited  # named by org B
    assert colleague.pk not in invited  # org B named someone else
    assert personas.person_a.pk in invited  # org A (the lead) named nobody: all of it
    assert len(mail.outbox) == len(invited)
    assert result is not None


def test_task_group_invitation_through_the_page(personas, meeting, client):
    """The invitation page offers the network's task groups and invites their people."""
    group = create_task_group(personas.network, name="Tariffs", lead=personas.org_b)
    client.force_login(personas.fiona)
    url = f"/networks/testnet/meetings/{meeting.uid}/invite/"
    assert "Tariffs" in client.get(url).text
    client.post(url, {"audience": "task_groups", "task_groups": [group.pk]})
    assert Invitation.objects.filter(meeting=meeting, person=personas.person_b).exists()
    assert not Invitation.objects.filter(meeting=meeting, person=personas.person_a).exists()


def test_task_group_of_another_network_refused(personas, meeting):
    """A task group of another network cannot be invited to this network's meeting."""
    from netweave.networks.tests.factories import MembershipFactory

    MembershipFactory(network=personas.other_network, organisation=personas.org_a)
    foreign = create_task_group(personas.other_network, name="Other", lead=personas.org_a)
    with pytest.raises(Exception, match="task group"):
        invite_people(meeting, task_groups=[foreign], acting_user=personas.fiona)
    assert not Invitation.objects.exists()
