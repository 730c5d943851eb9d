import datetime as dt

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, sector
from netweave.meetings import services
from netweave.meetings.models import Invitation, Registration, SentMessage
from netweave.meetings.tests.factories import MeetingFactory
from netweave.meetings.tests.factories_calendar import InvitationFactory, RegistrationFactory
from netweave.networks.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2030, 7, 21, 9, tzinfo=dt.UTC)
NOW = dt.datetime(2030, 7, 1, 9, tzinfo=dt.UTC)


def data(**overrides):
    values = {
        "title": "Quarterly meeting",
        "kind": "regular",
        "start": START,
        "end": START + dt.timedelta(hours=3),
        "time_zone": "Asia/Dushanbe",
        "venue": "Hyatt, hall A",
    }
    values.update(overrides)
    return values


def parse(payload: bytes) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(payload)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


# Meetings ------------------------------------------------------------------------------------
def test_registration_must_close_before_the_start(personas):
    """Registration closing after the meeting starts is refused on that field."""
    with pytest.raises(ValidationError) as err:
        services.create_meeting(
            personas.network, data(registration_closes=START + dt.timedelta(minutes=1))
        )
    assert "registration_closes" in err.value.message_dict


def test_clash_found_in_same_venue_and_time(personas):
    """An overlapping meeting in the same venue (any case) of the same network is a clash."""
    first = services.create_meeting(personas.network, data())
    second = services.create_meeting(
        personas.network,
        data(
            venue=" hyatt, HALL a ",
            start=START + dt.timedelta(hours=2),
            end=START + dt.timedelta(hours=5),
        ),
    )
    assert list(services.find_clashes(second)) == [first]
    assert list(services.find_clashes(first)) == [second]


def test_no_clash_when_times_touch_or_venues_differ_or_online(personas):
    """Back-to-back meetings, other venues, online meetings and other networks do not clash."""
    first = services.create_meeting(personas.network, data())
    services.create_meeting(
        personas.network,
        data(start=START + dt.timedelta(hours=3), end=START + dt.timedelta(hours=4)),
    )
    services.create_meeting(personas.network, data(venue="Other hall"))
    services.create_meeting(personas.other_network, data())
    assert list(services.find_clashes(first)) == []
    online = services.create_meeting(personas.network, data(venue="", online_url="https://x.org"))
    services.create_meeting(personas.network, data(venue="", online_url="https://y.org"))
    assert list(services.find_clashes(online)) == []


# Invitations ---------------------------------------------------------------------------------
def test_whole_network_invited_once_with_ics(personas):
    """The whole network means contactable people of current members; each is e-mailed once."""
    meeting = services.create_meeting(personas.network, data())
    no_consent = PersonFactory(organisation=personas.org_a, consent_contact=False)
    no_email = PersonFactory(organisation=personas.org_a, email="")
    outsider = PersonFactory(organisation=OrganisationFactory())
    result = services.invite_people(meeting, whole_network=True, acting_user=personas.fiona)
    assert result.invited == 2 and result.emailed == 2
    invited = set(Invitation.objects.values_list("person_id", flat=True))
    assert invited == {personas.person_a.pk, personas.person_b.pk}
    assert not {no_consent.pk, no_email.pk, outsider.pk} & invited
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [personas.person_a.email, personas.person_b.email]
    )
    again = services.invite_people(meeting, whole_network=True, acting_user=personas.fiona)
    assert (again.invited, again.already, again.emailed) == (0, 2, 0)
    assert len(mail.outbox) == 2
    assert SentMessage.objects.filter(kind="invitation").count() == 2


def test_invitation_attachment_is_a_valid_request(personas):
    """The .ics is METHOD:REQUEST with a stable UID, zoned times, summary, place and organiser."""
    meeting = services.create_meeting(personas.network, data())
    services.invite_people(meeting, people=[personas.person_a], acting_user=personas.fiona)
    (message,) = mail.outbox
    (name, payload, mimetype) = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    calendar, event = parse(payload.encode() if isinstance(payload, str) else payload)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"{meeting.uid}@netweave"
    start = event.decoded("DTSTART")
    assert start == START and str(start.tzinfo) == "Asia/Dushanbe"
    assert event["DTSTART"].params["TZID"] == "Asia/Dushanbe"
    assert calendar.walk("VTIMEZONE"), "the zone the TZID names is described"
    assert event.decoded("DTEND") == START + dt.timedelta(hours=3)
    assert str(event["SUMMARY"]) == "Quarterly meeting"
    assert str(event["LOCATION"]) == "Hyatt, hall A"
    assert str(event["URL"]).endswith(meeting.get_absolute_url())
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert str(event["ATTENDEE"]) == f"mailto:{personas.person_a.email}"


def test_invite_by_sector(personas):
    """Inviting a sector invites the contactable people of members in that sector only."""
    meeting = services.create_meeting(personas.network, data())
    services.invite_people(meeting, sectors=[sector("government")], acting_user=personas.fiona)
    assert list(Invitation.objects.values_list("person_id", flat=True)) == [personas.person_b.pk]


def test_invite_person_of_other_network_refused(personas):
    """Only people of the network's member organisations can be chosen; nothing is saved."""
    meeting = services.create_meeting(personas.network, data())
    stranger = PersonFactory(organisation=OrganisationFactory())
    with pytest.raises(ValidationError) as err:
        services.invite_people(
            meeting, people=[personas.person_a, stranger], acting_user=personas.fiona
        )
    assert "people" in err.value.message_dict
    assert not Invitation.objects.exists() and not mail.outbox


def test_chosen_person_without_address_invited_but_not_emailed(personas):
    """A chosen person without an e-mail address is invited and reported as not e-mailed."""
    meeting = services.create_meeting(personas.network, data())
    quiet = PersonFactory(organisation=personas.org_a, email="")
    result = services.invite_people(meeting, people=[quiet], acting_user=personas.fiona)
    assert result.not_emailed == [quiet] and result.invited == 1 and not mail.outbox


# Registration --------------------------------------------------------------------------------
@time_machine.travel(NOW, tick=False)
def test_person_registers_themselves(personas):
    """A user linked to a person registers themselves for a public meeting; again replaces."""
    personas.person_a.user = personas.charlie
    personas.person_a.save()
    personas.network.visibility = "public"
    personas.network.save()
    meeting = MeetingFactory(network=personas.network, start=START, visibility="public")
    services.register(meeting, personas.person_a, response="maybe", acting_user=personas.charlie)
    services.register(
        meeting,
        personas.person_a,
        response="yes",
        access_needs=" ramp ",
        acting_user=personas.charlie,
    )
    registration = Registration.objects.get()
    assert (registration.response, registration.access_needs) == ("yes", "ramp")


@time_machine.travel(NOW, tick=False)
def test_focal_point_registers_only_own_people(personas):
    """A focal point registers their organisation's people, not another organisation's."""
    meeting = MeetingFactory(network=personas.network, start=START)
    services.register(meeting, personas.person_a, response="yes", acting_user=personas.alice)
    with pytest.raises(ValidationError) as err:
        services.register(meeting, personas.person_b, response="yes", acting_user=personas.alice)
    assert "person" in err.value.message_dict
    services.register(meeting, personas.person_b, response="no", acting_user=personas.fiona)
    assert Registration.objects.count() == 2


def test_registration_after_it_closed_refused(personas):
    """After registration closes, or once the meeting started, registering is refused."""
    meeting = MeetingFactory(
        network=personas.network, start=START, registration_closes=START - dt.timedelta(days=2)
    )
    with time_machine.travel(START - dt.timedelta(days=1), tick=False):
        with pytest.raises(ValidationError) as err:
            services.register(
                meeting, personas.person_a, response="yes", acting_user=personas.fiona
            )
        assert "Registration closed on" in str(err.value)
    meeting.registration_closes = None
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        with pytest.raises(ValidationError) as err:
            services.register(
                meeting, personas.person_a, response="yes", acting_user=personas.fiona
            )
        assert "already started" in str(err.value)
    assert not Registration.objects.exists()


# Reminders -----------------------------------------------------------------------------------
@time_machine.travel(START - dt.timedelta(hours=24), tick=False)
def test_reminders_go_to_coming_and_unanswered_once(personas):
    """Registered yes/maybe and unanswered invitees are reminded, once; "no" is left alone."""
    meeting = MeetingFactory(network=personas.network, start=START)
    later = MeetingFactory(network=personas.network, start=START + dt.timedelta(days=10))
    yes = PersonFactory(organisation=personas.org_a)
    declined = PersonFactory(organisation=personas.org_a)
    unanswered = PersonFactory(organisation=personas.org_b)
    RegistrationFactory(meeting=meeting, person=yes, response="yes")
    RegistrationFactory(meeting=meeting, person=declined, response="no")
    InvitationFactory(meeting=meeting, person=declined)
    InvitationFactory(meeting=meeting, person=unanswered)
    InvitationFactory(meeting=later, person=unanswered)
    sent = services.send_reminders(hours=48)
    assert {person for _, person in sent} == {yes, unanswered}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([yes.email, unanswered.email])
    assert services.send_reminders(hours=48) == []
    assert len(mail.outbox) == 2
    assert Invitation.objects.get(meeting=meeting, person=unanswered).reminded_at is not None


def test_feed_token_reset_replaces_the_secret(personas):
    """Resetting a feed token gives a new secret; only the person may do it."""
    personas.person_a.user = personas.alice
    personas.person_a.save()
    first = services.reset_feed_token(personas.person_a, acting_user=personas.alice).token
    second = services.reset_feed_token(personas.person_a, acting_user=personas.alice).token
    assert first != second and len(second) >= 40
    with pytest.raises(ValidationError):
        services.reset_feed_token(personas.person_a, acting_user=personas.bob)


def test_person_of_member_organisation_counts_for_the_feed(personas):
    """A person of a member organisation is a member for the network feed; others are not."""
    assert personas.network in services.feed_member_networks(personas.person_a)
    stranger = PersonFactory(organisation=OrganisationFactory())
    assert personas.network not in services.feed_member_networks(stranger)
    MembershipFactory(network=personas.other_network, organisation=stranger.organisation)
    assert list(services.feed_member_networks(stranger)) == [personas.other_network]
