import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from netweave.directory.tests.factories import OrganisationFactory, PersonFactory
from netweave.meetings import services
from netweave.meetings.models import ActionItem, Decision, Minutes, Statement
from netweave.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(personas):
    return MeetingFactory(network=personas.network, title="Quarterly meeting")


def url(meeting, name="meetings:minutes", **extra):
    return reverse(name, kwargs={"network": meeting.network.slug, "uid": meeting.uid, **extra})


def test_minutes_are_sanitised_on_save(meeting):
    """Scripts, images and styles go; links keep only href and get rel=noopener."""
    minutes = services.save_minutes(
        meeting,
        text='<p style="color:red">Hi<script>alert(1)</script><img src="x"></p>'
        '<a href="https://ex.org" onclick="x()">link</a><h3>Next</h3>',
    )
    assert "<script" not in minutes.text and "<img" not in minutes.text
    assert "style=" not in minutes.text and "onclick" not in minutes.text
    assert '<a href="https://ex.org" rel="noopener">link</a>' in minutes.text
    assert "<h3>Next</h3>" in minutes.text


def test_facilitator_writes_minutes_through_the_page(client, personas, meeting):
    """The facilitator's minutes are saved sanitised and published when asked."""
    client.force_login(personas.fiona)
    response = client.post(
        url(meeting), {"text": "<p>Agreed<script>x</script></p>", "published": "on"}
    )
    assert response.status_code == 302
    minutes = Minutes.objects.get()
    assert minutes.text == "<p>Agreed</p>" and minutes.published
    assert minutes.written_by == personas.fiona


def test_members_read_minutes_only_when_published(client, personas, meeting):
    """A focal point sees no draft minutes, and reads them once published."""
    services.save_minutes(meeting, text="<p>Secret draft</p>", published=False)
    client.force_login(personas.alice)
    assert "Secret draft" not in client.get(url(meeting)).content.decode()
    assert client.get(url(meeting, "meetings:minutes_export", fmt="txt")).status_code == 404
    services.save_minutes(meeting, text="<p>Secret draft</p>", published=True)
    assert "Secret draft" in client.get(url(meeting)).content.decode()
    assert (
        "Secret draft"
        in client.get(url(meeting, "meetings:minutes_export", fmt="txt")).content.decode()
    )


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("olga", 403), ("charlie", 404)])
def test_only_facilitators_write_minutes(client, personas, meeting, who, status):
    """Members may not write the minutes (403); outsiders do not see the meeting (404)."""
    client.force_login(getattr(personas, who))
    assert client.post(url(meeting), {"text": "<p>x</p>"}).status_code == status
    assert client.post(url(meeting, "meetings:decision_add"), {"text": "x"}).status_code == status
    assert not Minutes.objects.exists() and not Decision.objects.exists()


def test_chatham_house_refuses_a_speaker(meeting, personas):
    """Under the Chatham House rule a speaker is refused and nothing is stored."""
    meeting.confidentiality = "chatham_house"
    meeting.save()
    with pytest.raises(ValidationError) as err:
        services.add_statement(meeting, text="We disagree.", speaker_person=personas.person_a)
    assert "speaker_person" in err.value.message_dict
    assert not Statement.objects.exists()
    services.add_statement(meeting, text="We disagree.")
    assert Statement.objects.get().speaker_person is None


def test_chatham_house_export_never_names_a_speaker(client, personas, meeting):
    """A speaker stored before the rule changed is shown neither on the page nor in exports."""
    services.add_statement(meeting, text="Tariffs must rise.", speaker_person=personas.person_a)
    services.save_minutes(meeting, text="<p>Minutes</p>", published=True)
    assert "Anna Alpha" in services.minutes_export(meeting, fmt="text")
    meeting.confidentiality = "chatham_house"
    meeting.save()
    client.force_login(personas.alice)
    for body in (
        services.minutes_export(meeting, fmt="text"),
        services.minutes_export(meeting, fmt="html"),
        client.get(url(meeting)).content.decode(),
        client.get(url(meeting, "meetings:minutes_export", fmt="html")).content.decode(),
    ):
        assert "Tariffs must rise." in body
        assert "Anna Alpha" not in body


def test_statement_form_has_no_speaker_under_chatham_house(client, personas, meeting):
    """The facilitator's statement form offers no speaker fields under the Chatham House rule."""
    meeting.confidentiality = "chatham_house"
    meeting.save()
    client.force_login(personas.fiona)
    form = client.get(url(meeting)).context["statement_form"]
    assert "speaker_person" not in form.fields


def test_decisions_are_numbered(client, personas, meeting):
    """Decisions are numbered in the order they are recorded."""
    client.force_login(personas.fiona)
    client.post(url(meeting, "meetings:decision_add"), {"text": "First"})
    client.post(url(meeting, "meetings:decision_add"), {"text": "Second"})
    assert list(meeting.decisions.values_list("position", "text")) == [(1, "First"), (2, "Second")]


def test_action_item_with_owner_outside_the_network_is_refused(meeting, personas):
    """An owner from outside the network is a field error; nothing is saved."""
    outsider = PersonFactory(organisation=OrganisationFactory())
    with pytest.raises(ValidationError) as err:
        services.create_action_item(meeting, {"title": "Draft ToR", "owner_person": outsider})
    assert "owner_person" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.create_action_item(
            meeting, {"title": "Draft ToR", "owner_organisation": OrganisationFactory()}
        )
    assert "owner_organisation" in err.value.message_dict
    assert not ActionItem.objects.exists()


def test_action_item_added_through_the_page(client, personas, meeting):
    """A facilitator records an action item owned by a person; the organisation follows."""
    client.force_login(personas.fiona)
    response = client.post(
        url(meeting, "meetings:action_add"),
        {
            "title": "Send the tariff study",
            "owner_person": personas.person_a.uid,
            "due": "2030-01-31",
        },
    )
    assert response.status_code == 302
    action = ActionItem.objects.get()
    assert action.owner_organisation == personas.org_a and action.network == personas.network


def test_action_item_page_refuses_an_outside_owner(client, personas, meeting):
    """Posting an owner from outside the network shows a field error and saves nothing."""
    outsider = PersonFactory(organisation=OrganisationFactory())
    client.force_login(personas.fiona)
    response = client.post(
        url(meeting, "meetings:action_add"), {"title": "X", "owner_person": outsider.uid}
    )
    assert response.status_code == 400
    assert "owner_person" in response.context["action_form"].errors
    assert not ActionItem.objects.exists()
