import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from netweave.directory.tests.factories import OrganisationFactory, PersonFactory
from netweave.networks import services
from netweave.networks.models import Membership, Network, Representation, Role

pytestmark = pytest.mark.django_db


def test_create_network_makes_creator_facilitator(personas):
    """The user who creates a network becomes its facilitator."""
    network = services.create_network(
        slug="wash-kg", name="WASH KG", country="kg", acting_user=personas.charlie
    )
    assert network.country == "KG"
    assert Role.objects.filter(user=personas.charlie, network=network, kind="facilitator").exists()


@pytest.mark.parametrize(
    ("slug", "country", "field"),
    [
        ("Bad Slug", "TJ", "slug"),
        ("testnet", "TJ", "slug"),
        ("fine", "Tajikistan", "country"),
    ],
)
def test_create_network_refuses_bad_input(personas, slug, country, field):
    """A malformed or taken slug and a country that is not an ISO code are refused."""
    before = Network.objects.count()
    with pytest.raises(ValidationError) as err:
        services.create_network(slug=slug, name="X", country=country)
    assert field in err.value.message_dict
    assert Network.objects.count() == before


def test_join_date_in_future_refused(personas):
    """A member cannot join on a date that has not come yet."""
    org = OrganisationFactory()
    with pytest.raises(ValidationError) as err:
        services.add_member(
            personas.network, org, joined=timezone.localdate() + dt.timedelta(days=2)
        )
    assert "joined" in err.value.message_dict
    assert not Membership.objects.filter(organisation=org).exists()


def test_second_open_membership_refused(personas):
    """An organisation is a current member of a network at most once."""
    with pytest.raises(ValidationError):
        services.add_member(personas.network, personas.org_a, joined=dt.date(2012, 1, 1))
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            network=personas.network, organisation=personas.org_a, joined=dt.date(2012, 1, 1)
        )


def test_leave_and_rejoin_keeps_history(personas):
    """Leaving closes the period and its seats; rejoining opens a new period."""
    membership = Membership.objects.get(network=personas.network, organisation=personas.org_a)
    seat = services.hand_over_seat(
        personas.network, personas.org_a, person=personas.person_a, date=dt.date(2011, 1, 1)
    )
    services.end_membership(membership, left=dt.date(2013, 5, 1))
    seat.refresh_from_db()
    assert seat.end == dt.date(2013, 5, 1)
    services.add_member(personas.network, personas.org_a, joined=dt.date(2015, 1, 1))
    periods = Membership.objects.filter(network=personas.network, organisation=personas.org_a)
    assert [(m.joined, m.left) for m in periods] == [
        (dt.date(2010, 6, 1), dt.date(2013, 5, 1)),
        (dt.date(2015, 1, 1), None),
    ]
    assert (
        Membership.objects.as_of(dt.date(2014, 1, 1)).filter(organisation=personas.org_a).count()
        == 0
    )


def test_handover_moves_the_seat_and_keeps_history(personas):
    """A handover ends the outgoing representative's term the day the new one starts."""
    successor = PersonFactory(name="New Deputy", organisation=personas.org_b)
    services.hand_over_seat(
        personas.network, personas.org_b, person=personas.person_b, date=dt.date(2012, 3, 1)
    )
    services.hand_over_seat(
        personas.network, personas.org_b, person=successor, date=dt.date(2014, 9, 1)
    )
    seats = list(
        Representation.objects.filter(organisation=personas.org_b)
        .order_by("start")
        .values_list("person__name", "start", "end")
    )
    assert seats == [
        ("Boris Beta", dt.date(2012, 3, 1), dt.date(2014, 9, 1)),
        ("New Deputy", dt.date(2014, 9, 1), None),
    ]


def test_handover_to_someone_from_another_organisation_refused(personas):
    """Only a person of the organisation can hold its seat."""
    with pytest.raises(ValidationError) as err:
        services.hand_over_seat(personas.network, personas.org_b, person=personas.person_a)
    assert "person" in err.value.message_dict
    assert not Representation.objects.exists()


def test_milestones_move_the_stage(personas):
    """The network's stage follows its latest dated milestone."""
    services.record_milestone(personas.network, stage="emerging", date=dt.date(2010, 1, 1))
    services.record_milestone(personas.network, stage="formal", date=dt.date(2012, 1, 1))
    personas.network.refresh_from_db()
    assert personas.network.stage == "formal"
    with pytest.raises(ValidationError):
        services.record_milestone(
            personas.network, stage="recognised", date=timezone.localdate() + dt.timedelta(days=30)
        )


def test_focal_point_role_needs_a_member_organisation(personas):
    """A focal point speaks for an organisation that is a member of the network."""
    outsider = OrganisationFactory()
    with pytest.raises(ValidationError):
        services.assign_role(personas.network, personas.charlie, "focal_point")
    with pytest.raises(ValidationError):
        services.assign_role(
            personas.network, personas.charlie, "focal_point", organisation=outsider
        )
    role = services.assign_role(
        personas.network, personas.charlie, "focal_point", organisation=personas.org_a
    )
    assert role.organisation == personas.org_a


# change_membership --------------------------------------------------------------------------
def _membership_of_a(personas) -> Membership:
    return Membership.objects.get(network=personas.network, organisation=personas.org_a)


def test_change_membership_redates_the_join_and_changes_the_status(personas):
    """Re-dating the join and suspending a member are saved; the uid stays the same."""
    membership = _membership_of_a(personas)
    uid = membership.uid
    services.change_membership(membership, joined=dt.date(2011, 3, 4), status="suspended")
    membership.refresh_from_db()
    assert (membership.joined, membership.status, membership.uid) == (
        dt.date(2011, 3, 4),
        "suspended",
        uid,
    )


def test_change_membership_refuses_a_join_in_the_future(personas):
    """A join date after today is refused on ``joined``; nothing is saved."""
    membership = _membership_of_a(personas)
    future = timezone.localdate() + dt.timedelta(days=2)
    with pytest.raises(ValidationError) as err:
        services.change_membership(membership, joined=future, status="suspended")
    assert "future" in err.value.message_dict["joined"][0]
    membership.refresh_from_db()
    assert (membership.joined, membership.status) == (dt.date(2010, 6, 1), "active")


def test_change_membership_refuses_a_join_before_the_launch(personas):
    """A join date before the network's launch is refused on ``joined``; nothing is saved."""
    membership = _membership_of_a(personas)
    with pytest.raises(ValidationError) as err:
        services.change_membership(membership, joined=dt.date(2009, 10, 31), status="suspended")
    assert "launched on 2009-11-01" in err.value.message_dict["joined"][0]
    membership.refresh_from_db()
    assert (membership.joined, membership.status) == (dt.date(2010, 6, 1), "active")


def test_change_membership_refuses_a_join_after_leaving(personas):
    """An ended period cannot be re-dated to start after it ended."""
    membership = services.end_membership(_membership_of_a(personas), left=dt.date(2012, 1, 1))
    with pytest.raises(ValidationError) as err:
        services.change_membership(membership, joined=dt.date(2012, 6, 1))
    assert "joined" in err.value.message_dict
    membership.refresh_from_db()
    assert membership.joined == dt.date(2010, 6, 1)


def test_change_membership_refuses_the_status_left(personas):
    """Leaving goes through end_membership (which dates it); status "left" alone is refused."""
    membership = _membership_of_a(personas)
    with pytest.raises(ValidationError) as err:
        services.change_membership(membership, status="left")
    assert "status" in err.value.message_dict
    membership.refresh_from_db()
    assert (membership.status, membership.left) == ("active", None)


def test_change_membership_keeps_an_ended_membership_ended(personas):
    """A membership that has a leave date cannot be made active again."""
    membership = services.end_membership(_membership_of_a(personas), left=dt.date(2012, 1, 1))
    with pytest.raises(ValidationError) as err:
        services.change_membership(membership, status="active")
    assert "status" in err.value.message_dict
    membership.refresh_from_db()
    assert membership.status == "left"


def test_each_membership_period_has_its_own_uid(personas):
    """Leaving and rejoining makes a second period with a different public id."""
    first = services.end_membership(_membership_of_a(personas), left=dt.date(2012, 1, 1))
    second = services.add_member(personas.network, personas.org_a, joined=dt.date(2014, 1, 1))
    assert first.uid and second.uid and first.uid != second.uid
