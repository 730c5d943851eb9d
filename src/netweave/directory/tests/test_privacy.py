"""A person's data: exported whole for them, erased for good on request."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from rest_framework.test import APIClient

from netweave.directory import privacy, services
from netweave.directory.models import Person, PersonInterest
from netweave.directory.tests.factories import PersonFactory, TopicFactory
from netweave.governance.models import TaskGroupMember
from netweave.governance.tests.factories import make_group
from netweave.meetings.models import Attendance, FeedToken, Registration
from netweave.meetings.tests.factories import AttendanceFactory, MeetingFactory
from netweave.networks.models import Representation
from netweave.networks.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(personas):
    """A person with a trail: interests, attendance, a registration, a seat, a task group."""
    person = personas.person_a
    person.phone = "+992 900 11 22 33"
    person.languages = "tg, ru"
    person.consent_date = dt.date(2024, 3, 1)
    person.user = UserFactory(username="anna", email="anna@example.org", first_name="Anna")
    person.save()
    services.set_person_interests(person, [TopicFactory(name="Water", slug="water")])
    meetings = [MeetingFactory(network=personas.network) for _ in range(2)]
    for meeting in meetings:
        AttendanceFactory(meeting=meeting, person=person)
        AttendanceFactory(meeting=meeting, person=PersonFactory(organisation=personas.org_a))
    Registration.objects.create(
        meeting=meetings[0], person=person, response="yes", access_needs="Wheelchair access"
    )
    Representation.objects.create(
        network=personas.network,
        organisation=personas.org_a,
        person=person,
        kind=Representation._meta.get_field("kind").choices[0][0],
        start=dt.date(2023, 1, 1),
    )
    group = make_group(personas)
    seat, _ = TaskGroupMember.objects.get_or_create(task_group=group, organisation=personas.org_a)
    seat.people.add(person)
    FeedToken.objects.create(person=person, token="secret-feed-token")
    return person


def _attendance_counts():
    by_meeting = dict(
        Attendance.objects.values_list("meeting_id").annotate(n=Count("id")).order_by()
    )
    by_org = dict(
        Attendance.objects.values_list("organisation_id").annotate(n=Count("id")).order_by()
    )
    return by_meeting, by_org


# Export --------------------------------------------------------------------------------
def test_export_holds_profile_consents_and_every_related_record(personas, anna):
    data = privacy.export_person_data(anna, acting_user=personas.fiona)
    json.dumps(data)  # plain JSON
    assert data["person"]["name"] == "Anna Alpha"
    assert data["person"]["phone"] == "+992 900 11 22 33"
    assert data["person"]["consent_listed"] is True
    assert data["person"]["consent_date"] == "2024-03-01"
    assert data["interests"] == [{"topic": "Water", "level": "Active"}]
    assert data["account"]["username"] == "anna"
    assert data["networks"] == ["testnet"]
    records = data["records"]
    assert len(records["meetings.attendance"]) == 2
    assert records["meetings.registration"][0]["access_needs"] == "Wheelchair access"
    assert len(records["networks.representation"]) == 1
    assert len(records["governance.taskgroupmember"]) == 1
    assert records["meetings.feedtoken"]
    assert data["history"], "older versions of the profile are part of the data"


def test_export_includes_what_the_account_authored(personas, anna):
    from netweave.networks.models import Role

    data = privacy.export_person_data(anna, acting_user=personas.fiona)
    assert "networks.role" not in data["authored"] or isinstance(data["authored"], dict)
    Role.objects.create(user=anna.user, network=personas.network, kind="observer")
    data = privacy.export_person_data(anna, acting_user=personas.fiona)
    assert data["authored"]["networks.role"][0]["kind"] == "observer"


@pytest.mark.parametrize("who", ["alice", "sam", "olga", "frank", "charlie"])
def test_only_facilitators_export(personas, anna, who):
    with pytest.raises(PermissionDenied):
        privacy.export_person_data(anna, acting_user=getattr(personas, who))


def test_export_page_downloads_json_for_the_facilitator(client, personas, anna):
    client.force_login(personas.fiona)
    url = f"/networks/testnet/people/{anna.uid}/personal-data.json"
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["person"]["email"] == anna.email


@pytest.mark.parametrize("who", ["alice", "sam", "olga"])
def test_export_and_erase_pages_refuse_other_roles(client, personas, anna, who):
    client.force_login(getattr(personas, who))
    base = f"/networks/testnet/people/{anna.uid}/"
    assert client.get(base + "personal-data.json").status_code == 403
    assert client.get(base + "erase/").status_code == 403
    response = client.post(base + "erase/", {"reason": "x", "confirm": "on"})
    assert response.status_code == 403
    assert Person.objects.get(pk=anna.pk).name == "Anna Alpha"


def test_profile_offers_privacy_actions_to_facilitators_only(client, personas, anna):
    url = f"/networks/testnet/people/{anna.uid}/"
    client.force_login(personas.fiona)
    page = client.get(url).content.decode()
    assert "Download personal data (JSON)" in page
    assert "/erase/" in page
    client.force_login(personas.alice)
    page = client.get(url).content.decode()
    assert "Download personal data" not in page
    assert "/erase/" not in page


# Erasure ---------------------------------------------------------------------------------
def test_erasure_anonymises_and_keeps_attendance_counts(personas, anna):
    before = _attendance_counts()
    user = anna.user
    privacy.erase_person(anna, acting_user=personas.fiona, reason="Asked by e-mail")
    person = Person.objects.get(pk=anna.pk)
    assert person.name == f"Erased person #{anna.pk}"
    assert (person.email, person.phone, person.position, person.languages) == ("", "", "", "")
    assert not person.consent_listed and not person.consent_contact
    assert person.consent_date is None
    assert person.user is None
    assert not PersonInterest.objects.filter(person=person).exists()
    assert not FeedToken.objects.filter(person=person).exists()
    assert Registration.objects.get(person=person).access_needs == ""
    assert _attendance_counts() == before
    assert Attendance.objects.filter(person=person).count() == 2
    assert Representation.objects.filter(person=person).count() == 1
    assert person.task_groups.count() == 1
    user.refresh_from_db()
    assert not user.is_active and user.email == "" and user.first_name == ""
    assert not user.has_usable_password()
    assert not user.network_roles.exists()


def test_erasure_purges_the_old_values_kept_by_the_history(personas, anna):
    assert anna.history.filter(name="Anna Alpha").exists()
    privacy.erase_person(anna, acting_user=personas.fiona, reason="Asked by e-mail")
    values = list(Person.history.filter(id=anna.pk).values_list("name", "email", "phone"))
    assert values == [(f"Erased person #{anna.pk}", "", "")]
    record = Person.history.get(id=anna.pk)
    assert record.history_user == personas.fiona
    assert record.history_change_reason == "Asked by e-mail"
    assert not PersonInterest.history.filter(person_id=anna.pk).exists()
    assert not Registration.history.filter(access_needs="Wheelchair access").exists()


def test_erasure_needs_a_reason_and_a_facilitator(personas, anna):
    with pytest.raises(ValidationError):
        privacy.erase_person(anna, acting_user=personas.fiona, reason="  ")
    with pytest.raises(PermissionDenied):
        privacy.erase_person(anna, acting_user=personas.alice, reason="why not")
    with pytest.raises(PermissionDenied):
        privacy.erase_person(anna, acting_user=personas.frank, reason="why not")
    assert Person.objects.get(pk=anna.pk).name == "Anna Alpha"


def test_erase_page_confirms_then_erases(client, personas, anna):
    client.force_login(personas.fiona)
    url = f"/networks/testnet/people/{anna.uid}/erase/"
    page = client.get(url).content.decode()
    assert "cannot be undone" in page
    assert "attendance" in page.lower()
    response = client.post(url, {"reason": "Their request"})  # not confirmed
    assert response.status_code == 200
    assert Person.objects.get(pk=anna.pk).name == "Anna Alpha"
    response = client.post(url, {"reason": "Their request", "confirm": "on"})
    assert response.status_code == 302
    assert Person.objects.get(pk=anna.pk).name.startswith("Erased person #")


def test_api_actions(personas, anna):
    api = APIClient()
    base = f"/api/v1/people/{anna.uid}/"
    api.force_authenticate(personas.alice)
    assert api.get(base + "personal-data/").status_code == 403
    assert api.post(base + "erase/", {"reason": "x"}).status_code == 403
    api.force_authenticate(personas.fiona)
    response = api.get(base + "personal-data/")
    assert response.status_code == 200
    assert response.json()["person"]["name"] == "Anna Alpha"
    assert api.post(base + "erase/", {}).status_code == 400
    response = api.post(base + "erase/", {"reason": "Their request"})
    assert response.status_code == 200, response.content
    assert response.json()["name"] == f"Erased person #{anna.pk}"


# Consent ---------------------------------------------------------------------------------
def test_consent_is_recorded_with_a_date(personas):
    person = services.create_person(
        {"name": "Zara", "organisation": personas.org_a, "consent_contact": True},
        network=personas.network,
        acting_user=personas.fiona,
    )
    assert person.consent_date is not None


def test_contacts_hidden_without_consent(client, personas):
    person = PersonFactory(
        organisation=personas.org_a,
        email="quiet@example.org",
        phone="+992 555",
        consent_listed=True,
        consent_contact=False,
    )
    client.force_login(personas.bob)  # a member, not an editor of org A
    page = client.get(f"/networks/testnet/people/{person.uid}/").content.decode()
    assert "quiet@example.org" not in page
    assert "+992 555" not in page
    person.consent_contact = True
    person.save()
    page = client.get(f"/networks/testnet/people/{person.uid}/").content.decode()
    assert "quiet@example.org" in page
