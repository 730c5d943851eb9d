"""Forming a task group directly and editing its terms; the steering committee approves."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from netweave.directory.tests.factories import OrganisationFactory, TopicFactory
from netweave.governance import services
from netweave.governance.models import TaskGroup
from netweave.governance.tests.factories import make_group

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    return reverse(f"governance:{name}", kwargs={"network": "testnet", **kwargs})


def group_data(**overrides):
    data = {
        "name": "Water quality",
        "lead": "awi",
        "terms_of_reference": "Agree on testing protocols.",
        "status": "proposed",
        "start": "2026-01-01",
        "end": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["sam", "fiona"])
def test_steering_and_facilitators_form_a_task_group(client, personas, persona):
    """The group is formed with its lead as a member and the topics chosen."""
    topic = TopicFactory(slug="water-quality")
    client.force_login(getattr(personas, persona))
    response = client.post(url("task_group_create"), group_data(topics=[topic.slug]))
    group = TaskGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == group.get_absolute_url()
    assert (group.lead, group.status) == (personas.org_a, "proposed")
    assert list(group.topics.all()) == [topic]
    assert group.members.get().organisation == personas.org_a


@pytest.mark.parametrize("persona", ["alice", "olga"])
def test_members_and_observers_may_not_form_one(client, personas, persona):
    """A focal point and an observer get 403 and nothing is formed."""
    client.force_login(getattr(personas, persona))
    assert client.get(url("task_group_create")).status_code == 403
    assert client.post(url("task_group_create"), group_data()).status_code == 403
    assert not TaskGroup.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lead": "outsider"}, "lead"),
        ({"name": ""}, "name"),
        ({"start": "2026-06-01", "end": "2026-01-01"}, "end"),
        ({"status": "closed"}, "status"),
    ],
)
def test_bad_task_group_input_saves_nothing(client, personas, changes, field):
    """A non-member lead, no name, an end before the start, a closed status: 400."""
    OrganisationFactory(slug="outsider")
    client.force_login(personas.fiona)
    response = client.post(url("task_group_create"), group_data(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not TaskGroup.objects.exists()


def test_lead_edits_the_terms_but_may_not_approve(client, personas):
    """Alice's organisation leads: she edits the terms; making it active is refused."""
    group = services.create_task_group(
        personas.network, name="Tariffs", lead=personas.org_a, status="proposed"
    )
    client.force_login(personas.alice)
    page = url("task_group_update", uid=group.uid)
    assert client.get(page).context["form"].initial["status"] == "proposed"
    data = group_data(name="Tariffs", terms_of_reference="New terms.")
    assert client.post(page, data).status_code == 302
    group.refresh_from_db()
    assert group.terms_of_reference == "New terms." and group.status == "proposed"
    response = client.post(page, {**data, "status": "active"})
    assert response.status_code == 400
    assert "status" in response.context["form"].errors
    group.refresh_from_db()
    assert group.status == "proposed"


def test_steering_approves_a_proposed_group(client, personas):
    """Sam makes the proposed group active."""
    group = services.create_task_group(
        personas.network, name="Tariffs", lead=personas.org_a, status="proposed"
    )
    client.force_login(personas.sam)
    response = client.post(
        url("task_group_update", uid=group.uid), group_data(name="Tariffs", status="active")
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.status == "active"


def test_other_members_may_not_edit_and_closed_groups_stay_closed(client, personas):
    """Bob does not lead: 403; a closed group cannot be edited even by a facilitator."""
    group = make_group(personas)
    client.force_login(personas.bob)
    assert client.post(url("task_group_update", uid=group.uid), group_data()).status_code == 403
    services.close_task_group(group, confirm=True)
    client.force_login(personas.fiona)
    assert client.get(url("task_group_update", uid=group.uid)).status_code == 403


def test_rename_to_an_existing_name_is_refused(personas):
    """Two task groups of a network cannot share a name."""
    make_group(personas, name="Tariffs")
    other = make_group(personas, name="Legislation")
    with pytest.raises(ValidationError) as err:
        services.update_task_group(other, name="tariffs", start=dt.date(2020, 1, 1))
    assert "name" in err.value.message_dict
