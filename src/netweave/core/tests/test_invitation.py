import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from netweave.networks.services import invite_focal_point
from netweave.networks.tests.factories import NetworkFactory, RoleFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a river runs through it 42"


def invite(personas, email: str = "nina@example.org") -> str:
    """Invite a focal point of org A and return the link path from the e-mail."""
    invite_focal_point(
        personas.network,
        personas.org_a,
        email=email,
        name="Nina",
        acting_user=personas.fiona,
        base_url="http://testserver/",
    )
    match = re.search(r"http://testserver(/accounts/invitation/\S+/)", mail.outbox[-1].body)
    assert match is not None
    return match.group(1)


def choose(client, link: str, password: str = NEW_PASSWORD, again: str | None = None):
    return client.post(link, {"new_password1": password, "new_password2": again or password})


def test_invited_person_sets_password_and_lands_in_the_network(client, personas):
    """The e-mailed link shows a password form; choosing one signs in and opens the network."""
    link = invite(personas)
    response = client.get(link)
    assert response.status_code == 200
    assert "Test network" in response.text
    assert "new_password1" in response.text
    response = choose(client, link)
    assert response.status_code == 302
    assert response.url == reverse("networks:detail", kwargs={"network": "testnet"})
    user = get_user_model().objects.get(email="nina@example.org")
    assert user.check_password(NEW_PASSWORD)
    assert client.get(response.url).context["user"] == user


def test_link_works_only_once(client, personas):
    """After the password is set the same link is refused."""
    link = invite(personas)
    assert choose(client, link).status_code == 302
    client.logout()
    response = client.get(link)
    assert "no longer valid" in response.text
    assert "new_password1" not in response.text
    response = choose(client, link, password="another good passphrase 7")
    assert "no longer valid" in response.text
    user = get_user_model().objects.get(email="nina@example.org")
    assert user.check_password(NEW_PASSWORD)


def test_expired_link_is_refused(client, personas):
    """A link older than PASSWORD_RESET_TIMEOUT (a week) no longer works."""
    link = invite(personas)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=8)):
        response = client.get(link)
    assert "no longer valid" in response.text


@pytest.mark.parametrize(
    "link",
    [
        "/accounts/invitation/MQ/not-a-token/",
        "/accounts/invitation/%%%/abc-def/",
        "/accounts/invitation/OTk5OTk5/abc-def/",
    ],
)
def test_forged_links_are_refused(client, personas, link):
    """Malformed uids, unknown users and bad tokens show the invalid-link page."""
    response = client.get(link)
    assert response.status_code == 200
    assert "no longer valid" in response.text


def test_weak_password_is_refused(client, personas):
    """Django's password validators apply; nothing changes and the link still works."""
    link = invite(personas)
    response = choose(client, link, password="password")
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    response = choose(client, link, password=NEW_PASSWORD, again=NEW_PASSWORD + "x")
    assert response.context["form"].errors["new_password2"]
    user = get_user_model().objects.get(email="nina@example.org")
    assert not user.has_usable_password()
    assert choose(client, link).status_code == 302


def test_person_with_roles_in_several_networks_lands_on_home(client, personas):
    """With roles in several networks the invited person lands on the list of networks."""
    link = invite(personas)
    user = get_user_model().objects.get(email="nina@example.org")
    RoleFactory(user=user, network=NetworkFactory(slug="third"), kind="observer")
    response = choose(client, link)
    assert response.url == reverse("core:home")


def test_existing_user_invited_again_keeps_account(client, personas):
    """Inviting someone who has an account gives the role and a working link too."""
    personas.charlie.email = "charlie@example.org"
    personas.charlie.save()
    link = invite(personas, email="charlie@example.org")
    assert "already have an account" in mail.outbox[-1].body
    assert choose(client, link).status_code == 302
    personas.charlie.refresh_from_db()
    assert personas.charlie.check_password(NEW_PASSWORD)
