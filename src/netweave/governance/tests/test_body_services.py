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


def test_update_body_checks_like_create(personas):
    """A rename to another body's name is refused; quorum and mix change; zero drops a target."""
    body = _steering(personas)
    services.create_body(personas.network, name="Advisory board")
    with pytest.raises(ValidationError) as err:
        services.update_body(body, name="advisory BOARD", kind="steering", quorum=2)
    assert "name" in err.value.message_dict
    services.update_body(
        body,
        name="Steering committee",
        kind="steering",
        quorum=3,
        sector_mix={"government": 2, "academia": 0},
        acting_user=personas.fiona,
    )
    body.refresh_from_db()
    assert (body.quorum, body.sector_mix) == (3, {"government": 2})
    with pytest.raises(PermissionDenied):
        services.update_body(body, name="X", kind="other", quorum=1, acting_user=personas.alice)


def test_chairs_may_not_overlap_in_time(personas):
    """A chair whose term overlaps the current chair's is refused, before or after its start."""
    body = _steering(personas)  # org_b chairs from 2020 with no end
    third = OrganisationFactory(sector=sector("civil-society"))
    MembershipFactory(network=personas.network, organisation=third)
    with pytest.raises(ValidationError) as err:
        services.add_seat(
            body, organisation=third, chair=True, start=dt.date(2019, 1, 1), end=dt.date(2020, 6, 1)
        )
    assert "chair" in err.value.message_dict
    services.add_seat(
        body, organisation=third, chair=True, start=dt.date(2018, 1, 1), end=dt.date(2019, 12, 31)
    )


def test_one_seat_per_organisation_at_a_time(personas):
    """A member holds one seat at a time; a new term after the old one ends is fine."""
    body = _steering(personas)  # org_a's seat ends 2021-12-31
    with pytest.raises(ValidationError) as err:
        services.add_seat(body, organisation=personas.org_a, start=dt.date(2021, 6, 1))
    assert "already holds a seat" in err.value.message_dict["organisation"][0]
    services.add_seat(body, organisation=personas.org_a, start=dt.date(2022, 1, 1))


def test_update_seat_keeps_the_rules(personas):
    """Editing a seat cannot make a second chair or end it before it starts."""
    body = _steering(personas)
    seat = body.seats.get(organisation=personas.org_a)
    with pytest.raises(ValidationError) as err:
        services.update_seat(seat, chair=True, start=seat.start, end=seat.end)
    assert "chair" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.update_seat(seat, start=dt.date(2020, 1, 1), end=dt.date(2019, 1, 1))
    assert "end" in err.value.message_dict
    seat.refresh_from_db()
    assert seat.end == dt.date(2021, 12, 31)
    services.update_seat(seat, person=personas.person_a, start=seat.start, end=None)
    seat.refresh_from_db()
    assert seat.person == personas.person_a and seat.end is None


def test_end_seat(personas):
    """A term ends on the day given, not before it starts and not a second time."""
    body = _steering(personas)
    chair = body.seats.get(chair=True)
    with pytest.raises(ValidationError):
        services.end_seat(chair, on=dt.date(2019, 1, 1))
    services.end_seat(chair, on=dt.date(2023, 3, 31), acting_user=personas.fiona)
    assert chair.end == dt.date(2023, 3, 31)
    with pytest.raises(ValidationError) as err:
        services.end_seat(chair, on=dt.date(2024, 1, 1))
    assert "already ends" in err.value.message_dict["end"][0]
    with pytest.raises(PermissionDenied):
        services.end_seat(chair, on=dt.date(2022, 1, 1), acting_user=personas.sam)


def test_replace_seat_hands_over_the_rest_of_the_term(personas):
    """The new holder serves from the day given, as chair; the old term ends the day before."""
    body = _steering(personas)
    chair = body.seats.get(chair=True)
    third = OrganisationFactory(sector=sector("civil-society"))
    MembershipFactory(network=personas.network, organisation=third)
    new = services.replace_seat(chair, organisation=third, on=dt.date(2023, 1, 1))
    chair.refresh_from_db()
    assert chair.end == dt.date(2022, 12, 31)
    assert (new.organisation, new.chair, new.start, new.end) == (
        third,
        True,
        dt.date(2023, 1, 1),
        None,
    )
    assert services.body_balance(body, on=dt.date(2023, 6, 1)).chair.organisation == third


def test_replace_seat_refuses_bad_holders(personas):
    """Not the same organisation, not a non-member, not one already seated; nothing changes."""
    body = _steering(personas)
    chair = body.seats.get(chair=True)
    with pytest.raises(ValidationError) as err:
        services.replace_seat(chair, organisation=personas.org_b, on=dt.date(2021, 1, 1))
    assert "organisation" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.replace_seat(chair, organisation=OrganisationFactory(), on=dt.date(2021, 1, 1))
    assert "organisation" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.replace_seat(chair, organisation=personas.org_a, on=dt.date(2021, 1, 1))
    assert "already holds a seat" in err.value.message_dict["organisation"][0]
    chair.refresh_from_db()
    assert chair.end is None and body.seats.count() == 2


def test_meeting_quorum_shows_the_sector_balance_of_those_present(personas):
    """Government's seat came, academia's did not: government met, academia not."""
    body = _steering(personas)
    start = dt.datetime(2021, 3, 1, 9, tzinfo=dt.UTC)
    meeting = Meeting.objects.create(
        network=personas.network,
        title="SC",
        kind="steering",
        body=body,
        start=start,
        end=start + dt.timedelta(hours=2),
    )
    Attendance.objects.create(
        meeting=meeting, person=personas.person_b, organisation=personas.org_b
    )
    quorum = services.meeting_quorum(body, meeting)
    assert (quorum.present, quorum.seat_count, quorum.met) == (1, 2, False)
    assert {row.slug: (row.seats, row.met) for row in quorum.sectors} == {
        "government": (1, True),
        "academia": (0, False),
        "civil-society": (0, False),
    }
    assert not quorum.balanced
    assert [(row.seat.organisation, row.present) for row in quorum.seats] == [
        (personas.org_b, True),
        (personas.org_a, False),
    ]
