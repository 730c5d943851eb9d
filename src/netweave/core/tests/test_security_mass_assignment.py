"""A focal point cannot widen their own powers by adding fields to a form or an API body.

Extra keys such as ``role``, ``is_staff``, ``network`` or another organisation's id are
ignored or refused: the records and the user's roles come out unchanged.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from netweave.networks.models import Membership, Role

pytestmark = pytest.mark.django_db

EXTRA = {
    "is_staff": "on",
    "is_superuser": "on",
    "role": "facilitator",
    "kind": "facilitator",
    "network": "othernet",
    "slug": "taken-over",
    "uid": "00000000-0000-0000-0000-000000000001",
}


def _form_data(response) -> dict:
    """The data of the page's form as the browser would send it back unchanged."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    return data


def _powers(user) -> tuple:
    user.refresh_from_db()
    roles = sorted(Role.objects.filter(user=user).values_list("network__slug", "kind"))
    return user.is_staff, user.is_superuser, roles


def test_organisation_page_ignores_extra_fields(client, personas):
    org, alice = personas.org_a, personas.alice
    before = _powers(alice)
    client.force_login(alice)
    url = reverse("directory:organisation_update", kwargs={"network": "testnet", "slug": "awi"})
    data = {**_form_data(client.get(url)), **EXTRA, "description": "Still us."}
    response = client.post(url, data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.slug == "awi"
    assert org.description == "Still us."
    assert _powers(alice) == before
    assert not Membership.objects.filter(organisation=org, network=personas.other_network).exists()


def test_organisation_page_of_another_organisation_is_refused(client, personas):
    client.force_login(personas.alice)
    url = reverse("directory:organisation_update", kwargs={"network": "testnet", "slug": "bm"})
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Taken over"}).status_code == 403
    personas.org_b.refresh_from_db()
    assert personas.org_b.name == "Beta Ministry"


def test_organisation_api_ignores_extra_fields_and_refuses_others(personas):
    api = APIClient()
    api.force_authenticate(personas.alice)
    before = _powers(personas.alice)
    body = {
        "is_staff": True,
        "role": "facilitator",
        "network": "othernet",
        "slug": "taken-over",
        "description": "Still us.",
    }
    response = api.patch("/api/v1/organisations/awi/", body, format="json")
    assert response.status_code == 200, response.content
    personas.org_a.refresh_from_db()
    assert (personas.org_a.slug, personas.org_a.description) == ("awi", "Still us.")
    assert _powers(personas.alice) == before
    response = api.patch("/api/v1/organisations/bm/", {"name": "Taken over"}, format="json")
    assert response.status_code == 403
    personas.org_b.refresh_from_db()
    assert personas.org_b.name == "Beta Ministry"


def test_person_cannot_be_moved_to_an_organisation_one_does_not_speak_for(client, personas):
    person = personas.person_a
    client.force_login(personas.alice)
    url = reverse("directory:person_update", kwargs={"network": "testnet", "uid": person.uid})
    data = {**_form_data(client.get(url)), **EXTRA, "organisation": str(personas.org_b.pk)}
    response = client.post(url, data)
    assert response.status_code == 200  # the form is shown again with the refusal
    person.refresh_from_db()
    assert person.organisation_id == personas.org_a.pk
    api = APIClient()
    api.force_authenticate(personas.alice)
    response = api.patch(
        f"/api/v1/people/{person.uid}/", {"organisation": "bm", **EXTRA}, format="json"
    )
    assert response.status_code in (400, 403)
    person.refresh_from_db()
    assert person.organisation_id == personas.org_a.pk
    assert str(person.uid) != EXTRA["uid"]


def test_people_of_another_organisation_cannot_be_edited(client, personas):
    person = personas.person_b
    client.force_login(personas.alice)
    url = reverse("directory:person_update", kwargs={"network": "testnet", "uid": person.uid})
    assert client.post(url, {"name": "Taken over"}).status_code == 403
    api = APIClient()
    api.force_authenticate(personas.alice)
    response = api.patch(f"/api/v1/people/{person.uid}/", {"name": "Taken over"}, format="json")
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.name != "Taken over"


def test_focal_point_cannot_change_memberships_through_the_api(personas):
    api = APIClient()
    api.force_authenticate(personas.alice)
    membership = Membership.objects.get(network=personas.network, organisation=personas.org_a)
    before = Membership.objects.count()
    response = api.patch(
        f"/api/v1/memberships/{membership.uid}/",
        {"status": "suspended", "network": "othernet", "organisation": "bm"},
        format="json",
    )
    assert response.status_code == 403
    response = api.post(
        "/api/v1/memberships/",
        {"network": "othernet", "organisation": "awi"},
        format="json",
    )
    assert response.status_code in (400, 403)
    assert Membership.objects.count() == before
    membership.refresh_from_db()
    assert membership.status == "active"


def test_focal_point_cannot_give_themselves_a_role(client, personas):
    alice = personas.alice
    before = _powers(alice)
    client.force_login(alice)
    for name in ("role_assign", "role_invite", "role_remove"):
        url = reverse(f"networks:{name}", kwargs={"network": "testnet"})
        response = client.post(url, {"user": alice.pk, "kind": "facilitator", **EXTRA})
        assert response.status_code == 403, name
    assert _powers(alice) == before


def test_facilitator_cannot_reach_into_another_network_by_body(personas):
    """A facilitator of this network naming another network in a body gets nothing there."""
    api = APIClient()
    api.force_authenticate(personas.fiona)
    response = api.post(
        "/api/v1/memberships/", {"network": "othernet", "organisation": "awi"}, format="json"
    )
    assert response.status_code in (400, 403, 404)
    assert not Membership.objects.filter(network=personas.other_network).exists()
