import pytest
from django.contrib.auth.models import AnonymousUser

from netweave.core.access import get_access, visible_networks
from netweave.networks.tests.factories import NetworkFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_roles_read_once_per_user(personas, django_assert_num_queries):
    """A user's roles in a network are read with one query and then cached."""
    with django_assert_num_queries(1):
        first = get_access(personas.alice, personas.network)
        again = get_access(personas.alice, personas.network)
    assert first is again


def test_focal_point_edits_only_own_organisation(personas):
    """A focal point may edit their own organisation and nobody else's."""
    access = get_access(personas.alice, personas.network)
    assert access.can_edit_organisation(personas.org_a)
    assert not access.can_edit_organisation(personas.org_b)
    assert not access.can_edit_network
    assert not access.can_manage_roles


def test_facilitator_edits_everything_in_own_network_only(personas):
    """A facilitator may change everything in their network and nothing in another."""
    own = get_access(personas.fiona, personas.network)
    assert own.can_edit_network and own.can_edit_organisation(personas.org_b)
    other = get_access(personas.frank, personas.network)
    assert not other.can_view
    assert not other.can_edit_organisation(personas.org_a)


def test_observer_reads_but_does_not_change(personas):
    """An observer sees the network and its contacts but changes nothing."""
    access = get_access(personas.olga, personas.network)
    assert access.can_view and access.can_view_contacts
    assert not access.can_edit_organisation(personas.org_a)
    assert not access.can_view_history


def test_anonymous_sees_only_public_networks(personas):
    """Anonymous users read public networks, never contacts, and nothing members-only."""
    public = NetworkFactory(slug="open", visibility="public")
    anonymous = AnonymousUser()
    assert not get_access(anonymous, personas.network).can_view
    assert get_access(anonymous, public).can_view
    assert not get_access(anonymous, public).can_view_contacts
    assert list(visible_networks(anonymous)) == [public]


def test_visible_networks_by_role(personas):
    """Signed-in users see the networks they hold a role in; staff see every network."""
    assert set(visible_networks(personas.alice)) == {personas.network}
    assert set(visible_networks(personas.charlie)) == set()
    staff = UserFactory(username="root", is_staff=True)
    assert set(visible_networks(staff)) == {personas.network, personas.other_network}
