import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, sector
from netweave.governance import services
from netweave.meetings.models import Attendance, Meeting
from netweave.networks.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _steering(personas):
    body = services.create_body(
        personas.network,
        name="Steering committee",
        kind="steering",
        quorum=2,
        sector_mix={"government": 1, "academia": 1, "civil-society": 1},
        acting_user=personas.fiona,
    )
    services.add_seat(body, organisation=personas.org_b, chair=True, start=dt.date(2020, 1, 1))
    services.add_seat(
        body, organisation=personas.org_a, start=dt.date(2020, 1, 1), end=dt.date(2021, 12, 31)
    )
    return body


def test_balance_counts_seats_held_on_the_day(personas):
    """In 2021 both seats count (gov and academia met, NGO not); in 2022 only the chair's."""
    body = _steering(personas)
    in_2021 = services.body_balance(body, on=dt.date(2021, 6, 1))
    assert in_2021.seat_count == 2 and in_2021.quorum_possible
    assert in_2021.chair.organisation == personas.org_b
    assert {row.slug: (row.seats, row.met) for row in in_2021.sectors} == {
        "academia": (1, True),
        "government": (1, True),
        "civil-society": (0, False),
    }
    assert not in_2021.balanced
    in_2022 = services.body_balance(body, on=dt.date(2022, 6, 1))
    assert in_2022.seat_count == 1 and not in_2022.quorum_possible


def test_meeting_quorum_counts_seats_that_attended(personas):
    """Quorum 2: met when both seated organisations attend, not when one does."""
    body = _steering(personas)
    start = dt.datetime(2021, 3, 1, 9, tzinfo=dt.UTC)
    both = Meeting.objects.create(
        network=personas.network,
        title="SC 1",
        kind="steering",
        start=start,
        end=start + dt.timedelta(hours=2),
    )
    one = Meeting.objects.create(
        network=personas.network,
        title="SC 2",
        kind="steering",
        start=start + dt.timedelta(days=30),
        end=start + dt.timedelta(days=30, hours=2),
    )
    for person, org in ((personas.person_a, personas.org_a), (personas.person_b, personas.org_b)):
        Attendance.objects.create(meeting=both, person=person, organisation=org)
    extra = PersonFactory(organisation=personas.org_b)
    Attendance.objects.create(meeting=one, person=personas.person_b, organisation=personas.org_b)
    Attendance.objects.create(meeting=one, person=extra, organisation=personas.org_b)
    assert services.meeting_quorum(body, both).present == 2
    assert services.meeting_quorum(body, both).met
    assert services.meeting_quorum(body, one).present == 1
    assert not services.meeting_quorum(body, one).met


def test_bad_body_input_refused(personas):
    """An unknown sector, a zero quorum and a non-facilitator are refused."""
    with pytest.raises(ValidationError) as err:
        services.create_body(personas.network, name="B", sector_mix={"pirates": 1})
    assert "sector_mix" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.create_body(personas.network, name="B", quorum=0)
    assert "quorum" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.create_body(personas.network, name="B", sector_mix={"civil-society": -1})
    with pytest.raises(PermissionDenied):
        services.create_body(personas.network, name="B", acting_user=personas.sam)


def test_seats_for_members_and_one_chair(personas):
    """A non-member cannot hold a seat; a second chair in the same term is refused."""
    body = _steering(personas)
    with pytest.raises(ValidationError) as err:
        services.add_seat(body, organisation=OrganisationFactory())
    assert "organisation" in err.value.message_dict
    third = OrganisationFactory(sector=sector("civil-society"))
    MembershipFactory(network=personas.network, organisation=third)
    with pytest.raises(ValidationError) as err:
        services.add_seat(body, organisation=third, chair=True, start=dt.date(2021, 1, 1))
    assert "chair" in err.value.message_dict
    services.add_seat(body, organisation=third, start=dt.date(2021, 1, 1))
    assert services.body_balance(body, on=dt.date(2021, 6, 1)).balanced
