import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from netweave.directory.tests.factories import OrganisationFactory, PersonFactory
from netweave.governance import services
from netweave.governance.models import TaskGroup, TaskGroupMember

pytestmark = pytest.mark.django_db


def test_lead_joins_the_task_group_it_forms(personas):
    """A task group is formed with a member as lead, who is its first member."""
    group = services.create_task_group(
        personas.network, name="Tariffs", lead=personas.org_b, start=dt.date(2011, 1, 1)
    )
    assert list(group.members.values_list("organisation", flat=True)) == [personas.org_b.pk]


def test_lead_must_be_a_member(personas):
    """A lead from outside the network is refused on the lead field; nothing is saved."""
    with pytest.raises(ValidationError) as err:
        services.create_task_group(personas.network, name="Tariffs", lead=OrganisationFactory())
    assert "lead" in err.value.message_dict
    assert not TaskGroup.objects.exists()


def test_names_are_unique_in_a_network(personas):
    """Two task groups of one network cannot share a name, whatever its case."""
    services.create_task_group(personas.network, name="Tariffs", lead=personas.org_a)
    with pytest.raises(ValidationError):
        services.create_task_group(personas.network, name="TARIFFS ", lead=personas.org_b)


def test_end_before_start_refused(personas):
    """A task group cannot end before it starts."""
    with pytest.raises(ValidationError) as err:
        services.create_task_group(
            personas.network,
            name="M&E",
            lead=personas.org_a,
            start=dt.date(2012, 1, 1),
            end=dt.date(2011, 1, 1),
        )
    assert "end" in err.value.message_dict


def test_members_send_their_own_people(personas):
    """A member organisation names people of its own; someone else's staff is refused."""
    group = services.create_task_group(personas.network, name="Legislation", lead=personas.org_a)
    member = services.add_task_group_member(group, personas.org_b, people=[personas.person_b])
    assert list(member.people.all()) == [personas.person_b]
    with pytest.raises(ValidationError):
        services.add_task_group_member(group, personas.org_b, people=[personas.person_a])
    with pytest.raises(ValidationError):
        services.add_task_group_member(group, OrganisationFactory())
    assert TaskGroupMember.objects.filter(task_group=group).count() == 2
    extra = PersonFactory(organisation=personas.org_b)
    services.add_task_group_member(group, personas.org_b, people=[extra])
    assert member.people.count() == 2
