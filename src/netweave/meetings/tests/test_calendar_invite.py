import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, sector
from netweave.meetings.models import Invitation, SentMessage
from netweave.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def url(meeting):
    return reverse("meetings:invite", kwargs={"network": meeting.network.slug, "uid": meeting.uid})


@pytest.mark.parametrize("persona", ["alice", "sam", "olga"])
def test_only_facilitators_invite(personas, client, persona):
    """Everyone but a facilitator is refused (403) and nothing is sent."""
    meeting = MeetingFactory(network=personas.network)
    client.force_login(getattr(personas, persona))
    assert client.get(url(meeting)).status_code == 403
    assert client.post(url(meeting), {"audience": "network"}).status_code == 403
    assert not Invitation.objects.exists() and not mail.outbox


def test_form_offers_only_open_task_groups_of_the_network(personas, client):
    """The invitation form lists this network's task groups that are not closed."""
    from netweave.governance.services import create_task_group

    create_task_group(personas.network, name="Legislation", lead=personas.org_a)
    create_task_group(personas.network, name="Old group", lead=personas.org_a, status="closed")
    client.force_login(personas.fiona)
    page = client.get(url(MeetingFactory(network=personas.network))).text
    assert "Legislation" in page
    assert "Old group" not in page


def test_invite_whole_network_twice_sends_once(personas, client):
    """Inviting the whole network e-mails each person once with an .ics; again sends nothing."""
    meeting = MeetingFactory(network=personas.network)
    client.force_login(personas.fiona)
    response = client.post(url(meeting), {"audience": "network"}, follow=True)
    assert "2 newly invited, 0 invited before; 2 e-mail(s) sent." in response.text
    client.post(url(meeting), {"audience": "network"})
    assert len(mail.outbox) == 2
    assert SentMessage.objects.filter(meeting=meeting, kind="invitation").count() == 2
    for message in mail.outbox:
        payload = message.attachments[0][1]
        (event,) = icalendar.Calendar.from_ical(payload).walk("VEVENT")
        assert str(event["UID"]) == f"{meeting.uid}@netweave"


def test_invite_by_sector_and_chosen_people(personas, client):
    """Sectors pick member organisations' people; chosen people are invited individually."""
    meeting = MeetingFactory(network=personas.network)
    client.force_login(personas.fiona)
    client.post(url(meeting), {"audience": "sectors", "sectors": [sector("academia").pk]})
    assert list(Invitation.objects.values_list("person", flat=True)) == [personas.person_a.pk]
    client.post(url(meeting), {"audience": "people", "people": [personas.person_b.pk]})
    assert Invitation.objects.count() == 2


def test_forged_person_refused(personas, client):
    """A person outside the network's members is an invalid choice; nothing is saved."""
    meeting = MeetingFactory(network=personas.network)
    stranger = PersonFactory(organisation=OrganisationFactory())
    client.force_login(personas.fiona)
    response = client.post(url(meeting), {"audience": "people", "people": [stranger.pk]})
    assert response.status_code == 200 and response.context["form"].errors["people"]
    assert not Invitation.objects.exists()


def test_sectors_required_when_inviting_by_sector(personas, client):
    """Choosing "sectors" without a sector is a clear error on the field."""
    meeting = MeetingFactory(network=personas.network)
    client.force_login(personas.fiona)
    response = client.post(url(meeting), {"audience": "sectors"})
    assert response.context["form"].errors["sectors"] == ["Choose at least one sector."]
