import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from netweave.networks.models import Role
from netweave.networks.tests.factories import MembershipFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(network, action: str = "list") -> str:
    return reverse(f"networks:role_{action}", kwargs={"network": network.slug})


def test_facilitator_sees_who_holds_which_role(client, personas):
    """The roles page lists every role holder of the network."""
    client.force_login(personas.fiona)
    response = client.get(url(personas.network))
    assert response.status_code == 200
    kinds = {(role.user.username, role.kind) for role in response.context["roles"]}
    assert ("alice", "focal_point") in kinds and ("olga", "observer") in kinds
    assert ("frank", "facilitator") not in kinds


@pytest.mark.parametrize("role", ["focal_point", "steering", "observer"])
def test_roles_page_refuses_other_roles(client, personas, role):
    """Everybody with a role but a facilitator gets 403, for reading and for changes."""
    client.force_login(personas.by_role()[role])
    assert client.get(url(personas.network)).status_code == 403
    response = client.post(url(personas.network, "assign"), {"user": "charlie", "kind": "observer"})
    assert response.status_code == 403
    response = client.post(
        url(personas.network, "invite"), {"email": "x@example.org", "organisation": "awi"}
    )
    assert response.status_code == 403
    assert not Role.objects.filter(user=personas.charlie).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["anonymous", "outsider", "other_facilitator"])
def test_roles_page_is_missing_for_those_who_cannot_see_the_network(client, personas, role):
    """Users who cannot see a members-only network get 404."""
    user = personas.by_role()[role]
    if user:
        client.force_login(user)
    assert client.get(url(personas.network)).status_code == 404


def test_assign_role_by_username_or_email(client, personas):
    """A facilitator gives roles to existing users found by user name or e-mail."""
    client.force_login(personas.fiona)
    response = client.post(url(personas.network, "assign"), {"user": "CHARLIE", "kind": "steering"})
    assert response.status_code == 302
    response = client.post(
        url(personas.network, "assign"),
        {"user": "charlie@example.org", "kind": "focal_point", "organisation": "bm"},
    )
    assert response.status_code == 302
    assert set(
        Role.objects.filter(user=personas.charlie).values_list("kind", "organisation__slug")
    ) == {("steering", None), ("focal_point", "bm")}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"user": "nobody", "kind": "observer"}, "user"),
        ({"user": "charlie", "kind": "overlord"}, "kind"),
        ({"user": "charlie", "kind": "focal_point"}, "organisation"),
        (
            {"user": "charlie", "kind": "focal_point", "organisation": "not-a-member"},
            "organisation",
        ),
    ],
)
def test_bad_role_assignment_is_a_field_error(client, personas, data, field):
    """Unknown users, roles and organisations are refused on their field."""
    client.force_login(personas.fiona)
    response = client.post(url(personas.network, "assign"), data)
    assert response.status_code == 200
    assert response.context["assign_form"].errors[field]
    assert not Role.objects.filter(user=personas.charlie).exists()


def test_organisation_of_another_network_cannot_get_a_focal_point(client, personas):
    """Only current members of this network are offered (a forged slug is refused)."""
    other = RoleFactory(network=personas.other_network, kind="observer")
    stranger = MembershipFactory(network=personas.other_network).organisation
    client.force_login(personas.fiona)
    response = client.post(
        url(personas.network, "assign"),
        {"user": other.user.username, "kind": "focal_point", "organisation": stranger.slug},
    )
    assert response.context["assign_form"].errors["organisation"]
    assert not Role.objects.filter(network=personas.network, user=other.user).exists()


def test_remove_role(client, personas):
    """A facilitator removes a role with a POST."""
    role = Role.objects.get(user=personas.olga, network=personas.network)
    client.force_login(personas.fiona)
    assert client.post(url(personas.network, "remove"), {"role": role.pk}).status_code == 302
    assert not Role.objects.filter(pk=role.pk).exists()


def test_remove_role_of_another_network_is_refused(client, personas):
    """A role id from another network is a form error and nothing is removed."""
    role = Role.objects.get(user=personas.frank)
    client.force_login(personas.fiona)
    response = client.post(url(personas.network, "remove"), {"role": role.pk})
    assert response.status_code == 200
    assert response.context["remove_errors"]
    assert Role.objects.filter(pk=role.pk).exists()


def test_last_facilitator_cannot_be_removed(client, personas):
    """The network keeps at least one facilitator."""
    role = Role.objects.get(user=personas.fiona, network=personas.network)
    client.force_login(personas.fiona)
    response = client.post(url(personas.network, "remove"), {"role": role.pk})
    assert "at least one facilitator" in response.text
    assert Role.objects.filter(pk=role.pk).exists()


def test_facilitator_stepping_down_is_sent_to_the_network_page(client, personas):
    """A facilitator who removes their own role lands where they may still go."""
    RoleFactory(user=personas.sam, network=personas.network, kind="facilitator")
    RoleFactory(user=personas.fiona, network=personas.network, kind="observer")
    role = Role.objects.get(user=personas.fiona, network=personas.network, kind="facilitator")
    client.force_login(personas.fiona)
    response = client.post(url(personas.network, "remove"), {"role": role.pk})
    assert response.url == reverse("networks:detail", kwargs={"network": "testnet"})
    assert client.get(url(personas.network)).status_code == 403


def test_invite_focal_point_emails_a_link(client, personas):
    """Inviting a focal point gives the role and e-mails a one-time link to set a password."""
    client.force_login(personas.fiona)
    response = client.post(
        url(personas.network, "invite"),
        {"email": "Nina@Example.org", "name": "Nina", "organisation": "awi"},
    )
    assert response.status_code == 302
    role = Role.objects.get(user__email="nina@example.org", network=personas.network)
    assert (role.kind, role.organisation) == ("focal_point", personas.org_a)
    assert not role.user.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["nina@example.org"]
    assert "Alpha Water Institute" in message.body and "Test network" in message.body
    assert "&amp;" not in message.body and "&#x27;" not in message.body
    link = re.search(r"http://testserver/accounts/invitation/\S+/", message.body)
    assert link is not None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not-an-address", "organisation": "awi"}, "email"),
        ({"email": "nina@example.org", "organisation": "nowhere"}, "organisation"),
        ({"email": "nina@example.org"}, "organisation"),
    ],
)
def test_bad_invitation_is_a_field_error(client, personas, data, field):
    """A bad address or an organisation that is not a member is refused; no e-mail."""
    client.force_login(personas.fiona)
    response = client.post(url(personas.network, "invite"), data)
    assert response.context["invite_form"].errors[field]
    assert mail.outbox == []
    assert not Role.objects.filter(user__email="nina@example.org").exists()


def test_invitation_form_needs_the_csrf_token(personas):
    """With CSRF checks on (as in production), a forged invitation POST is refused."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.fiona)
    response = client.post(
        url(personas.network, "invite"), {"email": "nina@example.org", "organisation": "awi"}
    )
    assert response.status_code == 403
    assert mail.outbox == []


@pytest.mark.parametrize("n", [10, 200])
def test_roles_page_queries_do_not_grow(client, personas, django_assert_num_queries, n):
    """The roles page issues the same queries with 10 and with 200 role holders."""
    users = UserFactory._meta.model.objects.bulk_create(
        UserFactory._meta.model(username=f"u{i}", email=f"u{i}@example.org") for i in range(n)
    )
    Role.objects.bulk_create(Role(user=u, network=personas.network, kind="observer") for u in users)
    client.force_login(personas.fiona)
    # 7 queries: session, user, network, roles of the request user, roles with users and
    # organisations, member organisations for the assign form, the same for the invite form.
    with django_assert_num_queries(7):
        response = client.get(url(personas.network))
    assert len(response.context["roles"]) == n + 5
