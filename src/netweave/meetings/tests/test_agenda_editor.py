"""The agenda editor, the printable agenda and the agenda section of the meeting page."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from netweave.core.access import get_access
from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, TopicFactory
from netweave.meetings.models import AgendaItem
from netweave.meetings.tests.factories import MeetingFactory
from netweave.meetings.tests.factories_agenda import AgendaItemFactory
from netweave.meetings.views.agenda import agenda_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(personas):
    return MeetingFactory(
        network=personas.network,
        title="Quarterly meeting",
        start=dt.datetime(2030, 3, 4, 4, 0, tzinfo=dt.UTC),  # 09:00 in Dushanbe
        end=dt.datetime(2030, 3, 4, 6, 0, tzinfo=dt.UTC),
        time_zone="Asia/Dushanbe",
    )


def url(meeting, name="meetings:agenda", **extra):
    return reverse(name, kwargs={"network": meeting.network.slug, "uid": meeting.uid, **extra})


def titles(meeting):
    return list(meeting.agenda.order_by("position", "id").values_list("title", flat=True))


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("olga", 403), ("charlie", 404)])
def test_only_facilitators_edit_the_agenda(client, personas, meeting, who, status):
    """Focal points and observers are refused (403); outsiders do not see the meeting (404)."""
    item = AgendaItemFactory(meeting=meeting)
    client.force_login(getattr(personas, who))
    assert client.get(url(meeting)).status_code == status
    assert client.post(url(meeting), {"title": "X", "duration_minutes": 5}).status_code == status
    for name in ("meetings:agenda_item_delete", "meetings:agenda_item_move"):
        assert client.post(url(meeting, name, item=item.uid)).status_code == status
    assert titles(meeting) == [item.title]


def test_facilitator_of_another_network_does_not_see_the_meeting(client, personas, meeting):
    """Frank facilitates another network: the meeting is missing for him."""
    client.force_login(personas.frank)
    assert client.get(url(meeting)).status_code == 404


def test_facilitator_adds_an_item_with_member_presenters(client, personas, meeting):
    """The form adds an item with a member organisation, its person and topics."""
    TopicFactory(slug="wash", name="WASH")
    client.force_login(personas.fiona)
    response = client.post(
        url(meeting),
        {
            "title": "Latrine study",
            "kind": "showcase",
            "topics": ["wash"],
            "presenter_organisation": "awi",
            "presenter_person": str(personas.person_a.uid),
            "duration_minutes": "25",
        },
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert (item.presenter_organisation, item.presenter_person) == (
        personas.org_a,
        personas.person_a,
    )
    assert [t.slug for t in item.topics.all()] == ["wash"]


def test_forged_presenter_is_refused_and_nothing_saved(client, personas, meeting):
    """An organisation or person from outside the network is not a valid choice."""
    outsider = OrganisationFactory(slug="outsider")
    stranger = PersonFactory(organisation=outsider)
    client.force_login(personas.fiona)
    response = client.post(
        url(meeting),
        {
            "title": "Forged",
            "kind": "showcase",
            "presenter_organisation": "outsider",
            "presenter_person": str(stranger.uid),
            "duration_minutes": "10",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "presenter_organisation" in form.errors and "presenter_person" in form.errors
    assert not AgendaItem.objects.exists()


def test_agenda_longer_than_the_meeting_is_warned_but_allowed(client, personas, meeting):
    """Two hours of meeting, 150 minutes of items: saved, with a visible warning."""
    AgendaItemFactory(meeting=meeting, duration_minutes=100)
    client.force_login(personas.fiona)
    response = client.post(
        url(meeting), {"title": "Long", "kind": "discussion", "duration_minutes": "50"}
    )
    assert response.status_code == 302
    page = client.get(url(meeting)).text
    assert "150 of 120 minutes planned" in page
    assert "runs 30 minutes longer than the meeting" in page


def test_editor_shows_start_times_in_the_meeting_time_zone(client, personas, meeting):
    """The first item starts at 09:00 Dushanbe time, the next after it."""
    AgendaItemFactory(meeting=meeting, title="Welcome", duration_minutes=15, position=0)
    AgendaItemFactory(meeting=meeting, title="Showcase", duration_minutes=30, position=1)
    client.force_login(personas.fiona)
    page = client.get(url(meeting)).text
    assert "09:00</time>–09:15" in page and "09:15</time>–09:45" in page


def test_move_buttons_reorder(client, personas, meeting):
    """Moving the second item up makes it first."""
    AgendaItemFactory(meeting=meeting, title="A", position=0)
    b = AgendaItemFactory(meeting=meeting, title="B", position=1)
    client.force_login(personas.fiona)
    response = client.post(
        url(meeting, "meetings:agenda_item_move", item=b.uid), {"direction": "up"}
    )
    assert response.status_code == 302
    assert titles(meeting) == ["B", "A"]


def test_edit_and_delete(client, personas, meeting):
    """An item is edited with the same checks, and removed."""
    item = AgendaItemFactory(meeting=meeting, title="Old")
    client.force_login(personas.fiona)
    edit = url(meeting, "meetings:agenda_item_edit", item=item.uid)
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"title": "New", "kind": "decision", "duration_minutes": "10"})
    assert response.status_code == 302
    assert titles(meeting) == ["New"]
    client.post(url(meeting, "meetings:agenda_item_delete", item=item.uid))
    assert titles(meeting) == []


def test_item_of_another_meeting_is_missing(client, personas, meeting):
    """An item uid is looked up within the meeting of the address only."""
    other = AgendaItemFactory(meeting=MeetingFactory(network=personas.network))
    client.force_login(personas.fiona)
    assert client.get(url(meeting, "meetings:agenda_item_edit", item=other.uid)).status_code == 404


@pytest.mark.parametrize("count", [3, 60])
def test_editor_query_count_is_constant(
    client, personas, meeting, count, django_assert_num_queries
):
    """The editor reads the agenda in the same number of queries for 3 or 60 items."""
    topic = TopicFactory()
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting, title=f"Item {i}", position=i, presenter_organisation=personas.org_a
        )
        for i in range(count)
    )
    for item in items:
        item.topics.add(topic)
    client.force_login(personas.fiona)
    # 10 queries: session, user, network, roles, meeting, agenda items, their topics,
    # then the form's choices: topics, member organisations, member people.
    with django_assert_num_queries(10):
        response = client.get(url(meeting))
    assert response.status_code == 200
    assert len(response.context["agenda"]) == count


def test_print_page_for_members_and_hidden_from_outsiders(client, personas, meeting):
    """Members read the printable agenda with print styles; outsiders get 404."""
    AgendaItemFactory(meeting=meeting, title="Welcome", presenter_organisation=personas.org_b)
    client.force_login(personas.olga)
    response = client.get(url(meeting, "meetings:agenda_print"))
    assert response.status_code == 200
    assert "css/agenda.css" in response.text and "Welcome" in response.text
    assert "Beta Ministry" in response.text
    client.force_login(personas.charlie)
    assert client.get(url(meeting, "meetings:agenda_print")).status_code == 404


def test_agenda_context_renders_the_meeting_page_section(personas, meeting):
    """The section lists items with presenters and times, and edit links for facilitators."""
    AgendaItemFactory(
        meeting=meeting, title="Welcome", presenter_organisation=personas.org_a, duration_minutes=10
    )
    request = RequestFactory().get("/")
    for user, can_edit in ((personas.fiona, True), (personas.olga, False)):
        request.user = user
        access = get_access(user, personas.network)
        context = {"network": personas.network, "access": access, "meeting": meeting}
        context.update(agenda_context(meeting, access))
        html = render_to_string("meetings/_agenda_section.html", context, request=request)
        assert "Welcome" in html and "Alpha Water Institute" in html and "09:00" in html
        assert (url(meeting, "meetings:agenda_builder") in html) is can_edit


def test_post_without_csrf_token_is_refused(personas, meeting):
    """The editor's forms need the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.fiona)
    response = client.post(url(meeting), {"title": "X", "kind": "showcase", "duration_minutes": 5})
    assert response.status_code == 403
    assert not AgendaItem.objects.exists()
