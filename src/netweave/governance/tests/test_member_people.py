"""The people a member organisation sends to a task group, and whose names are shown."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from netweave.directory.tests.factories import PersonFactory
from netweave.governance import services
from netweave.governance.tests.factories import make_group

pytestmark = pytest.mark.django_db


def people_url(group, organisation) -> str:
    return reverse(
        "governance:member_people",
        kwargs={"network": group.network.slug, "uid": group.uid, "organisation": organisation.slug},
    )


def detail_url(group) -> str:
    return reverse(
        "governance:task_group_detail", kwargs={"network": group.network.slug, "uid": group.uid}
    )


@pytest.fixture
def group(personas):
    group = make_group(personas)
    services.add_task_group_member(group, personas.org_b)
    return group


def _member(group, organisation):
    return group.members.get(organisation=organisation)


def test_focal_point_names_the_people_of_its_organisation(personas, group):
    """Bob names Boris for Beta Ministry; naming again replaces the list."""
    member = _member(group, personas.org_b)
    other = PersonFactory(name="Bella Beta", organisation=personas.org_b)
    services.set_member_people(member, people=[personas.person_b, other], acting_user=personas.bob)
    assert set(member.people.values_list("name", flat=True)) == {"Boris Beta", "Bella Beta"}
    services.set_member_people(member, people=[other], acting_user=personas.bob)
    assert list(member.people.values_list("name", flat=True)) == ["Bella Beta"]


def test_people_of_another_organisation_or_other_focal_points_are_refused(personas, group):
    """Alice (the lead) may not name Beta's people; Bob may not send Anna; nothing changes."""
    member = _member(group, personas.org_b)
    with pytest.raises(PermissionDenied):
        services.set_member_people(member, people=[personas.person_b], acting_user=personas.alice)
    with pytest.raises(ValidationError) as caught:
        services.set_member_people(member, people=[personas.person_a], acting_user=personas.bob)
    assert caught.value.message_dict == {"people": ["Anna Alpha does not work for Beta Ministry."]}
    assert not member.people.exists()


def test_a_closed_group_keeps_its_people(personas, group):
    """Once the group is closed, its people are history."""
    services.close_task_group(group)
    with pytest.raises(ValidationError) as caught:
        services.set_member_people(
            _member(group, personas.org_b), people=[personas.person_b], acting_user=personas.bob
        )
    assert "people" in caught.value.message_dict


def test_focal_point_chooses_people_on_the_page(client, personas, group):
    """Bob follows the link on the group's page, ticks Boris, and the page lists him."""
    client.force_login(personas.bob)
    page = client.get(detail_url(group))
    assert people_url(group, personas.org_b) in page.text
    assert people_url(group, personas.org_a) not in page.text
    form = client.get(people_url(group, personas.org_b))
    assert form.status_code == 200 and "Boris Beta" in form.text
    response = client.post(people_url(group, personas.org_b), {"people": [personas.person_b.uid]})
    assert response.status_code == 302
    assert list(_member(group, personas.org_b).people.all()) == [personas.person_b]


def test_others_may_not_open_the_page(client, personas, group):
    """Alice (another organisation's focal point) and Olga get 403; nothing is saved."""
    for user in (personas.alice, personas.olga):
        client.force_login(user)
        assert client.get(people_url(group, personas.org_b)).status_code == 403
        response = client.post(
            people_url(group, personas.org_b), {"people": [personas.person_b.uid]}
        )
        assert response.status_code == 403
    assert not _member(group, personas.org_b).people.exists()


def test_a_person_of_another_organisation_is_not_a_choice(client, personas, group):
    """Posting Anna's uid for Beta is refused on the field."""
    client.force_login(personas.bob)
    response = client.post(people_url(group, personas.org_b), {"people": [personas.person_a.uid]})
    assert response.status_code == 400
    assert "is not one of the available choices" in response.text
    assert not _member(group, personas.org_b).people.exists()


def test_unlisted_people_are_named_only_to_those_who_may_see_them(client, personas, group):
    """A person who has not agreed to be listed is named to facilitators and their own focal
    point, not to an observer, on the task group's page and on a body's page."""
    hidden = PersonFactory(name="Quiet Quentin", organisation=personas.org_b, consent_listed=False)
    services.set_member_people(_member(group, personas.org_b), people=[hidden])
    body = services.create_body(personas.network, name="Steering committee", kind="steering")
    services.add_seat(
        body, organisation=personas.org_b, person=hidden, chair=True, start=dt.date(2020, 1, 1)
    )
    body_url = reverse(
        "governance:body_detail", kwargs={"network": personas.network.slug, "uid": body.uid}
    )
    for user, shown in ((personas.olga, False), (personas.alice, False), (personas.bob, True)):
        client.force_login(user)
        assert ("Quiet Quentin" in client.get(detail_url(group)).text) is shown, user
        assert ("Quiet Quentin" in client.get(body_url).text) is shown, user
    client.force_login(personas.fiona)
    assert "Quiet Quentin" in client.get(detail_url(group)).text
    assert "Quiet Quentin" in client.get(body_url).text


def test_api_names_people_and_hides_unlisted_ones(personas, group):
    """Bob names Beta's people through the API; Olga reads the group without the unlisted."""
    hidden = PersonFactory(name="Quiet Quentin", organisation=personas.org_b, consent_listed=False)
    api = APIClient()
    api.force_authenticate(personas.bob)
    url = f"/api/v1/task-groups/{group.uid}/people/"
    payload = {"organisation": "bm", "people": [str(personas.person_b.uid), str(hidden.uid)]}
    response = api.post(url, payload, format="json")
    assert response.status_code == 200, response.content
    assert set(response.json()["people"]) == {str(personas.person_b.uid), str(hidden.uid)}

    refused = api.post(url, {"organisation": "bm", "people": [str(personas.person_a.uid)]})
    assert refused.status_code == 400 and "people" in refused.json()
    api.force_authenticate(personas.alice)
    assert api.post(url, {"organisation": "bm", "people": []}, format="json").status_code == 403

    api.force_authenticate(personas.olga)
    members = api.get(f"/api/v1/task-groups/{group.uid}/").json()["members"]
    beta = next(m for m in members if m["organisation"] == "bm")
    assert beta["people"] == [str(personas.person_b.uid)]
