"""An activity names the member request (and task group) it came from."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from netweave.activities import services
from netweave.activities.models import JointActivity
from netweave.directory.tests.factories import OrganisationFactory
from netweave.governance import services as governance
from netweave.networks.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(personas):
    """Alpha's request, accepted into a new task group."""
    raised = governance.raise_request(
        personas.network, organisation=personas.org_a, title="Tariff methodology"
    )
    return governance.triage_request(raised, decision="form_new", name="Tariffs")


def test_activity_keeps_the_request_it_came_from(personas, accepted):
    """The request and its task group are the activity's origin; the request lists it."""
    activity = services.create_activity(
        personas.network,
        kind="research",
        title="Tariff study",
        request=accepted,
        task_group=accepted.task_group,
    )
    assert activity.request == accepted
    assert list(accepted.joint_activities.all()) == [activity]
    services.update_activity(activity, {"request": None})
    activity.refresh_from_db()
    assert activity.request is None and activity.task_group == accepted.task_group


def test_another_networks_request_is_refused(personas):
    """A request raised in another network cannot be the origin; nothing is saved."""
    other = OrganisationFactory()
    MembershipFactory(network=personas.other_network, organisation=other)
    elsewhere = governance.raise_request(personas.other_network, organisation=other, title="X")
    with pytest.raises(ValidationError) as caught:
        services.create_activity(personas.network, kind="pilot", title="Y", request=elsewhere)
    assert caught.value.message_dict == {
        "request": ["The member request belongs to another network."]
    }
    assert not JointActivity.objects.exists()


def test_facilitator_records_an_activity_from_the_request_page(client, personas, accepted):
    """Fiona follows the request's link: request and task group come filled in and are saved;
    the request's page then lists the activity."""
    client.force_login(personas.fiona)
    request_url = accepted.get_absolute_url()
    page = client.get(request_url)
    create = reverse("activities:create", kwargs={"network": "testnet"})
    link = f"{create}?request={accepted.uid}"
    assert link in page.text
    form = client.get(link)
    assert form.context["form"].initial["request"] == accepted
    assert form.context["form"].initial["task_group"] == accepted.task_group
    response = client.post(
        create,
        {
            "kind": "research",
            "title": "Tariff study",
            "status": "planned",
            "request": accepted.uid,
            "task_group": accepted.task_group.pk,
        },
    )
    assert response.status_code == 302
    activity = JointActivity.objects.get()
    assert activity.request == accepted and activity.task_group == accepted.task_group
    assert activity.get_absolute_url() in client.get(request_url).text


def test_the_request_is_shown_only_to_who_may_read_it(client, personas, accepted):
    """Alice (who raised it) and Sam see the request on the activity's page; Bob and Olga,
    who may not read the request, see the task group only; a malformed uid is ignored."""
    activity = services.create_activity(
        personas.network,
        kind="research",
        title="Tariff study",
        request=accepted,
        task_group=accepted.task_group,
    )
    for user, shown in (
        (personas.alice, True),
        (personas.sam, True),
        (personas.bob, False),
        (personas.olga, False),
    ):
        client.force_login(user)
        text = client.get(activity.get_absolute_url()).text
        assert ("Tariff methodology" in text) is shown, user
        assert accepted.task_group.get_absolute_url() in text
    client.force_login(personas.fiona)
    form = client.get(reverse("activities:create", kwargs={"network": "testnet"}) + "?request=x")
    assert form.status_code == 200 and "request" not in form.context["form"].initial


def test_editing_keeps_a_request_the_editor_may_not_read(client, personas, accepted):
    """Bob leads an activity that came from Alpha's request: his edit leaves it in place."""
    activity = services.create_activity(
        personas.network, kind="pilot", title="Pilot", request=accepted, lead=personas.org_b
    )
    client.force_login(personas.bob)
    url = reverse("activities:edit", kwargs={"network": "testnet", "uid": activity.uid})
    assert "request" not in client.get(url).context["form"].fields
    response = client.post(url, {"kind": "pilot", "title": "Pilot, renamed", "status": "ongoing"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Pilot, renamed" and activity.request == accepted


def test_api_takes_the_request_by_uid_among_those_the_caller_may_read(personas, accepted):
    """Fiona creates an activity from the request; Bob cannot point his at it."""
    api = APIClient()
    api.force_authenticate(personas.fiona)
    response = api.post(
        "/api/v1/activities/",
        {"network": "testnet", "kind": "research", "title": "Study", "request": str(accepted.uid)},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["request"] == str(accepted.uid)
    led = services.create_activity(personas.network, kind="pilot", title="P", lead=personas.org_b)
    api.force_authenticate(personas.bob)
    refused = api.patch(
        f"/api/v1/activities/{led.uid}/", {"request": str(accepted.uid)}, format="json"
    )
    assert refused.status_code == 400 and "request" in refused.json()
    led.refresh_from_db()
    assert led.request is None
