"""The people endpoint of the REST API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from netweave.directory.models import Organisation, Person, PersonInterest, Topic
from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, TopicFactory
from netweave.networks.models import Membership
from netweave.networks.tests.factories import MembershipFactory, NetworkFactory, UserFactory

URL = "/api/v1/people/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _as(api: APIClient, user) -> APIClient:
    api.force_login(user)
    return api


def _names(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["name"] for row in response.json()["results"]}


def _url(person: Person) -> str:
    return f"{URL}{person.uid}/"


# Reading -----------------------------------------------------------------------------------
def test_anonymous_caller_is_refused_the_people(api, personas):
    """Without credentials the list and a profile answer 401/403."""
    assert api.get(URL).status_code in (401, 403)
    assert api.get(_url(personas.person_a)).status_code in (401, 403)


def test_unlisted_people_are_seen_by_facilitators_and_their_focal_points(api, personas):
    """Someone who did not agree to be listed is hidden from all but those who edit them."""
    hidden = PersonFactory(name="Hidden Hana", organisation=personas.org_a, consent_listed=False)
    for user in (personas.fiona, personas.alice):
        assert "Hidden Hana" in _names(_as(api, user).get(URL))
        assert api.get(_url(hidden)).status_code == 200
    for user in (personas.olga, personas.bob, personas.sam):
        assert _names(_as(api, user).get(URL)) == {"Anna Alpha", "Boris Beta"}
        assert api.get(_url(hidden)).status_code == 404


def test_people_of_unreadable_networks_are_missing(api, personas):
    """A facilitator of another network and an outsider see none of this network's people."""
    assert _names(_as(api, personas.frank).get(URL)) == set()
    assert api.get(_url(personas.person_a)).status_code == 404
    assert _names(_as(api, personas.charlie).get(URL)) == set()


def test_contacts_need_a_role_and_the_persons_consent(api, personas):
    """E-mail for members when the person agreed; facilitators always; outsiders never."""
    shy = PersonFactory(name="Shy Shirin", organisation=personas.org_a, consent_contact=False)
    public = NetworkFactory(slug="open", visibility="public")
    MembershipFactory(network=public, organisation=personas.org_a)
    _as(api, personas.olga)
    assert api.get(_url(personas.person_a)).json()["email"] == personas.person_a.email
    assert api.get(_url(shy)).json()["email"] is None
    assert _as(api, personas.fiona).get(_url(shy)).json()["email"] == shy.email
    row = _as(api, personas.charlie).get(_url(personas.person_a)).json()
    assert row["name"] == "Anna Alpha"
    assert (row["email"], row["phone"]) == (None, None)


def test_filters_by_network_organisation_and_text(api, personas):
    """``network``, ``organisation`` and ``q`` narrow the list."""
    _as(api, personas.fiona)
    assert _names(api.get(URL, {"organisation": "bm"})) == {"Boris Beta"}
    assert _names(api.get(URL, {"network": "testnet", "q": "anna"})) == {"Anna Alpha"}
    assert _names(api.get(URL, {"q": "beta ministry"})) == {"Boris Beta"}
    assert api.get(URL, {"network": "othernet"}).status_code == 400


def test_a_network_filter_shows_unlisted_people_only_to_its_facilitators(api, personas):
    """Filtered by network, the facilitator of that network sees everyone in it with their
    contacts; its other members, and the facilitator of another network where that one is
    public, still see only people who agreed to be listed."""
    hidden = PersonFactory(
        name="Hidden Hana", organisation=personas.org_a, consent_listed=False, consent_contact=False
    )
    rows = _as(api, personas.fiona).get(URL, {"network": "testnet"}).json()["results"]
    assert {row["name"] for row in rows} == {"Anna Alpha", "Boris Beta", "Hidden Hana"}
    assert next(row for row in rows if row["name"] == "Hidden Hana")["email"] == hidden.email
    for user in (personas.olga, personas.bob, personas.sam):
        assert _names(_as(api, user).get(URL, {"network": "testnet"})) == {
            "Anna Alpha",
            "Boris Beta",
        }
    personas.network.visibility = "public"
    personas.network.save()
    rows = _as(api, personas.frank).get(URL, {"network": "testnet"}).json()["results"]
    assert {row["name"] for row in rows} == {"Anna Alpha", "Boris Beta"}
    assert all(row["email"] is None for row in rows)


def test_topics_come_sorted_by_name(api, personas):
    """A person's topics read in name order in the list and on the record."""
    for name in ("Water tariffs", "Agriculture", "Monitoring"):
        PersonInterest.objects.create(
            person=personas.person_a, topic=TopicFactory(name=name, slug=name.split()[0].lower())
        )
    _as(api, personas.fiona)
    row = next(
        row
        for row in api.get(URL, {"network": "testnet"}).json()["results"]
        if row["name"] == "Anna Alpha"
    )
    assert row["topics"] == ["agriculture", "monitoring", "water"]
    assert api.get(_url(personas.person_a)).json()["topics"] == row["topics"]


# Creating ----------------------------------------------------------------------------------
def test_focal_point_adds_a_person_to_their_organisation(api, personas):
    """POST by a focal point for their own organisation creates the person with interests."""
    TopicFactory(slug="water")
    body = {
        "name": "Nilufar Nazarova",
        "organisation": "awi",
        "topics": ["water"],
        "email": "Nilufar@Example.org",
        "consent_listed": True,
    }
    response = _as(api, personas.alice).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    person = Person.objects.get(name="Nilufar Nazarova")
    assert str(person.uid) == response.json()["uid"]
    assert person.organisation == personas.org_a
    assert person.email == "nilufar@example.org"
    assert person.consent_date == timezone.localdate()
    assert list(person.topics.values_list("slug", flat=True)) == ["water"]


def test_focal_point_cannot_add_a_person_to_another_organisation(api, personas):
    """A focal point of org A adding someone to org B gets 403; nobody is created."""
    response = _as(api, personas.alice).post(
        URL, {"name": "Intruder", "organisation": "bm"}, format="json"
    )
    assert response.status_code == 403
    assert not Person.objects.filter(name="Intruder").exists()


def test_observer_cannot_add_people(api, personas):
    """An observer gets 403 and nobody is created."""
    response = _as(api, personas.olga).post(
        URL, {"name": "Intruder", "organisation": "awi"}, format="json"
    )
    assert response.status_code == 403
    assert not Person.objects.filter(name="Intruder").exists()


def test_organisation_from_an_unreadable_network_reads_as_missing(api, personas):
    """A forged organisation slug → 400 "does not exist", nothing saved."""
    hidden = OrganisationFactory(slug="hidden")
    MembershipFactory(network=personas.other_network, organisation=hidden)
    response = _as(api, personas.fiona).post(
        URL, {"name": "Intruder", "organisation": "hidden"}, format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["organisation"][0]
    assert not Person.objects.filter(name="Intruder").exists()


def test_bad_input_is_refused_on_its_field(api, personas):
    """A future consent date, a bad e-mail, no name or an unknown topic: 400 on the field."""
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    _as(api, personas.fiona)
    for body, field in [
        ({"name": "X", "organisation": "awi", "consent_date": future}, "consent_date"),
        ({"name": "X", "organisation": "awi", "email": "nope"}, "email"),
        ({"name": "", "organisation": "awi"}, "name"),
        ({"name": "X", "organisation": "awi", "topics": ["nope"]}, "topics"),
        ({"name": "X"}, "organisation"),
    ]:
        response = api.post(URL, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json(), response.json()
    assert Person.objects.count() == 2


# Updating ----------------------------------------------------------------------------------
def test_focal_point_edits_a_person_of_their_organisation(api, personas):
    """PATCH by the focal point changes and keeps the person's details."""
    response = _as(api, personas.alice).patch(
        _url(personas.person_a), {"position": "Director", "consent_contact": False}, format="json"
    )
    assert response.status_code == 200, response.json()
    person = Person.objects.get(pk=personas.person_a.pk)
    assert (person.position, person.consent_contact) == ("Director", False)


def test_facilitator_moves_a_person_to_another_member(api, personas):
    """A facilitator may move a person between the network's organisations."""
    response = _as(api, personas.fiona).patch(
        _url(personas.person_a), {"organisation": "bm"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert Person.objects.get(pk=personas.person_a.pk).organisation == personas.org_b


def test_focal_point_cannot_move_a_person_to_an_organisation_they_do_not_speak_for(api, personas):
    """Moving someone from org A to org B is refused for A's focal point; nothing is saved."""
    response = _as(api, personas.alice).patch(
        _url(personas.person_a), {"organisation": "bm", "position": "Spy"}, format="json"
    )
    assert response.status_code == 403
    person = Person.objects.get(pk=personas.person_a.pk)
    assert (person.organisation, person.position) == (personas.org_a, "Programme officer")


def test_focal_point_of_another_organisation_cannot_edit(api, personas):
    """Bob reads Anna's listed profile but gets 403 on a change."""
    _as(api, personas.bob)
    assert api.get(_url(personas.person_a)).status_code == 200
    response = api.patch(_url(personas.person_a), {"position": "Spy"}, format="json")
    assert response.status_code == 403
    assert Person.objects.get(pk=personas.person_a.pk).position == "Programme officer"


def test_user_who_cannot_see_the_person_gets_404(api, personas):
    """A facilitator elsewhere gets 404 on a change; nothing changes."""
    response = _as(api, personas.frank).patch(
        _url(personas.person_a), {"position": "Spy"}, format="json"
    )
    assert response.status_code == 404
    assert Person.objects.get(pk=personas.person_a.pk).position == "Programme officer"


def test_malformed_uid_is_a_404(api, personas):
    """A path that is not a UUID finds nothing rather than failing."""
    assert _as(api, personas.fiona).get(f"{URL}not-a-uid/").status_code == 404


def test_token_authentication_edits_a_person(api, personas):
    """A focal point's token authenticates a change."""
    token = Token.objects.create(user=personas.alice)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.patch(_url(personas.person_a), {"languages": "tg, ru"}, format="json")
    assert response.status_code == 200
    assert Person.objects.get(pk=personas.person_a.pk).languages == "tg, ru"


# Query counts ------------------------------------------------------------------------------
@pytest.mark.parametrize("count", [5, 60])
def test_list_query_count_does_not_grow(api, personas, django_assert_max_num_queries, count):
    """The list costs the same queries with 5 and with 60 people."""
    topics = Topic.objects.bulk_create([Topic(name=f"T{n}", slug=f"t{n}") for n in range(2)])
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Org {n}", name_key=f"org {n}", slug=f"org-{n}", sector=personas.org_a.sector
            )
            for n in range(count)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(network=personas.network, organisation=o, joined=dt.date(2015, 1, 1))
            for o in orgs
        ]
    )
    people = Person.objects.bulk_create(
        [
            Person(name=f"P {n}", name_key=f"p {n}", organisation=o, consent_listed=True)
            for n, o in enumerate(orgs)
        ]
    )
    PersonInterest.objects.bulk_create(
        [PersonInterest(person=p, topic=t) for p in people for t in topics]
    )
    _as(api, personas.olga)
    # 6 queries: session, user, the user's focal organisations, count, page (with
    # organisation and contact visibility), topics
    with django_assert_max_num_queries(6):
        response = api.get(URL)
    assert response.json()["count"] == count + 2


def test_staff_edit_an_individual_member(api, personas):
    """Someone without an organisation is in no network: staff edit them, a facilitator not."""
    loner = PersonFactory(name="Lone Layla", organisation=None)
    assert _as(api, personas.fiona).patch(_url(loner), {"position": "X"}).status_code == 404
    staff = UserFactory(username="stella", is_staff=True)
    response = _as(api, staff).patch(_url(loner), {"position": "Consultant"}, format="json")
    assert response.status_code == 200, response.json()
    assert Person.objects.get(pk=loner.pk).position == "Consultant"
