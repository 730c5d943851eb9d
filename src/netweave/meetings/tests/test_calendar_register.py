import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from netweave.meetings.models import Registration
from netweave.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2030, 7, 21, 9, tzinfo=dt.UTC)
BEFORE = dt.datetime(2030, 7, 1, 9, tzinfo=dt.UTC)


def url(meeting):
    return reverse(
        "meetings:register", kwargs={"network": meeting.network.slug, "uid": meeting.uid}
    )


@time_machine.travel(BEFORE, tick=False)
def test_focal_point_registers_own_person(personas, client):
    """A focal point registers a person of their organisation, with access needs."""
    meeting = MeetingFactory(network=personas.network, start=START)
    client.force_login(personas.alice)
    response = client.post(
        url(meeting),
        {"person": personas.person_a.pk, "response": "yes", "access_needs": "Step-free access"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.person == personas.person_a and registration.registered_by == personas.alice
    assert registration.access_needs == "Step-free access"


@time_machine.travel(BEFORE, tick=False)
def test_forged_person_id_refused(personas, client):
    """A focal point cannot register another organisation's person by forging the id."""
    meeting = MeetingFactory(network=personas.network, start=START)
    client.force_login(personas.alice)
    response = client.post(url(meeting), {"person": personas.person_b.pk, "response": "yes"})
    assert response.status_code == 200 and response.context["form"].errors["person"]
    assert not Registration.objects.exists()


@time_machine.travel(BEFORE, tick=False)
def test_observer_without_person_refused(personas, client):
    """Someone who may register nobody is refused (403)."""
    meeting = MeetingFactory(network=personas.network, start=START)
    client.force_login(personas.olga)
    response = client.post(url(meeting), {"person": personas.person_a.pk, "response": "yes"})
    assert response.status_code == 403


def test_anonymous_sent_to_sign_in(personas, client):
    """An anonymous visitor of a public meeting is sent to sign in."""
    personas.network.visibility = "public"
    personas.network.save()
    meeting = MeetingFactory(network=personas.network, start=START, visibility="public")
    response = client.get(url(meeting))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@time_machine.travel(BEFORE, tick=False)
def test_registration_after_closing_refused(personas, client):
    """After registration closed, the form says so and nothing is saved."""
    meeting = MeetingFactory(
        network=personas.network, start=START, registration_closes=BEFORE - dt.timedelta(days=1)
    )
    client.force_login(personas.fiona)
    response = client.post(url(meeting), {"person": personas.person_a.pk, "response": "yes"})
    assert response.status_code == 200
    assert "Registration closed on" in response.text
    assert not Registration.objects.exists()


@time_machine.travel(BEFORE, tick=False)
def test_self_registration_with_csrf(personas):
    """A linked person registers themselves from the meeting page's form, CSRF token and all."""
    personas.person_a.user = personas.olga
    personas.person_a.save()
    meeting = MeetingFactory(network=personas.network, start=START)
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.olga)
    page = client.get(meeting.get_absolute_url())
    token = page.context["csrf_token"]
    response = client.post(
        url(meeting),
        {"person": personas.person_a.pk, "response": "maybe", "csrfmiddlewaretoken": str(token)},
    )
    assert response.status_code == 302
    assert Registration.objects.get().response == "maybe"
    assert "Your answer: Maybe." in client.get(meeting.get_absolute_url()).text
