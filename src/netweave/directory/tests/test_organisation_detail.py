import datetime as dt

import pytest
from django.urls import reverse

from netweave.activities.tests.factories import JointActivityFactory, ParticipationFactory
from netweave.directory.models import OrganisationInterest, Relationship
from netweave.directory.tests.bulk import bulk_members, public_network_with
from netweave.directory.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    RelationshipFactory,
    TopicFactory,
)
from netweave.networks.services import end_membership, hand_over_seat
from netweave.networks.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def url(network, org):
    return reverse(
        "directory:organisation_detail", kwargs={"network": network.slug, "slug": org.slug}
    )


def edit_url(network, org):
    return reverse(
        "directory:organisation_update", kwargs={"network": network.slug, "slug": org.slug}
    )


def test_profile_shows_the_organisation(personas, client):
    """The profile shows name, acronym, sector, website, description and interests."""
    org = personas.org_a
    org.description = "Research on groundwater."
    org.region = "Khatlon"
    org.save()
    OrganisationInterest.objects.create(organisation=org, topic=TopicFactory(name="Groundwater"))
    client.force_login(personas.olga)
    response = client.get(url(personas.network, org))
    assert response.status_code == 200
    for text in (
        "Alpha Water Institute",
        "AWI",
        "Academia and research",
        "Khatlon",
        org.website,
        "Research on groundwater.",
        "Groundwater",
    ):
        assert text in response.text


def test_profile_lists_the_organisations_joint_activities(personas, client):
    """The profile lists the latest activities the organisation takes part in, with its role,
    linked to each; another network's activities stay out, and the rest are one click away."""
    network, org = personas.network, personas.org_a
    led = JointActivityFactory(network=network, title="Tariff study", start=dt.date(2015, 3, 1))
    ParticipationFactory(activity=led, organisation=org, role="lead")
    funded = JointActivityFactory(network=network, title="Pilot wells", start=dt.date(2014, 1, 1))
    ParticipationFactory(activity=funded, organisation=org, role="funder")
    ParticipationFactory(activity=funded, organisation=personas.org_b, role="lead")
    elsewhere = JointActivityFactory(network=personas.other_network, title="Elsewhere study")
    ParticipationFactory(activity=elsewhere, organisation=org, role="lead")
    ParticipationFactory(
        activity=JointActivityFactory(network=network, title="Bob's training"),
        organisation=personas.org_b,
    )
    client.force_login(personas.olga)
    response = client.get(url(network, org))
    rows = [(p.activity.title, p.role) for p in response.context["participations"]]
    assert rows == [("Tariff study", "lead"), ("Pilot wells", "funder")]
    detail = reverse("activities:detail", kwargs={"network": network.slug, "uid": led.uid})
    assert f'href="{detail}"' in response.text
    assert "Elsewhere study" not in response.text and "Bob&#x27;s training" not in response.text
    assert not response.context["more_activities"]

    for year in range(2000, 2010):
        ParticipationFactory(
            activity=JointActivityFactory(network=network, start=dt.date(year, 1, 1)),
            organisation=org,
            role="technical_partner",
        )
    response = client.get(url(network, org))
    titles = [p.activity.title for p in response.context["participations"]]
    assert len(titles) == 10 and titles[:2] == ["Tariff study", "Pilot wells"]
    assert response.context["more_activities"]
    assert "The latest ones are shown." in response.text
    assert f"?organisation={org.slug}" in response.text


def test_profile_without_activities_says_so(personas, client):
    """An organisation that takes part in no activity says so, to anonymous readers of a
    public network too."""
    network = public_network_with(slug="open")
    org = bulk_members(network, 1)[0]
    response = client.get(url(network, org))
    assert response.status_code == 200
    assert "No joint activities recorded." in response.text


def test_organisation_never_in_network_is_404(personas, client):
    """An organisation that never belonged to this network is missing here."""
    elsewhere = OrganisationFactory()
    MembershipFactory(network=personas.other_network, organisation=elsewhere)
    client.force_login(personas.fiona)
    assert client.get(url(personas.network, elsewhere)).status_code == 404


def test_former_member_keeps_profile_with_history(personas, client):
    """An organisation that left still has a profile listing every membership period."""
    membership = personas.org_b.memberships.get()
    end_membership(membership, left=dt.date(2015, 3, 1))
    MembershipFactory(
        network=personas.network,
        organisation=personas.org_b,
        joined=dt.date(2018, 1, 1),
        status="applicant",
    )
    client.force_login(personas.olga)
    response = client.get(url(personas.network, personas.org_b))
    assert response.status_code == 200
    memberships = list(response.context["memberships"])
    assert [(m.joined, m.left, m.status) for m in memberships] == [
        (dt.date(2018, 1, 1), None, "applicant"),
        (dt.date(2010, 6, 1), dt.date(2015, 3, 1), "left"),
    ]


def test_members_only_profile_hidden_from_outsiders(personas, client):
    """Anonymous visitors and users without a role get 404 on a members-only network."""
    assert client.get(url(personas.network, personas.org_a)).status_code == 404
    client.force_login(personas.charlie)
    assert client.get(url(personas.network, personas.org_a)).status_code == 404


def test_contacts_hidden_from_anonymous(personas, client):
    """On a public network an anonymous reader sees no e-mail, phone or address."""
    personas.org_a.address = "12 Rudaki Avenue"
    personas.org_a.save()
    network = public_network_with(personas.org_a)
    response = client.get(url(network, personas.org_a))
    assert response.status_code == 200
    assert personas.org_a.email not in response.text
    assert "Rudaki" not in response.text
    assert personas.person_a.email not in response.text
    assert "Anna Alpha" in response.text


def test_contacts_shown_to_members(personas, client):
    """A member sees the organisation's contacts and those of people who agreed."""
    shy = PersonFactory(name="Shy Sharif", organisation=personas.org_a, consent_contact=False)
    client.force_login(personas.olga)
    response = client.get(url(personas.network, personas.org_a))
    assert personas.org_a.email in response.text
    assert personas.person_a.email in response.text
    assert "Shy Sharif" in response.text
    assert shy.email not in response.text


def test_facilitator_sees_every_contact(personas, client):
    """A facilitator sees the contacts even of people who did not agree to be contacted."""
    shy = PersonFactory(name="Shy Sharif", organisation=personas.org_a, consent_contact=False)
    client.force_login(personas.fiona)
    assert shy.email in client.get(url(personas.network, personas.org_a)).text


def test_unlisted_people_only_for_editors(personas, client):
    """People who did not agree to be listed appear only to those who may edit them."""
    PersonFactory(name="Quiet Qodir", organisation=personas.org_a, consent_listed=False)
    client.force_login(personas.olga)
    assert "Quiet Qodir" not in client.get(url(personas.network, personas.org_a)).text
    client.force_login(personas.bob)
    assert "Quiet Qodir" not in client.get(url(personas.network, personas.org_a)).text
    client.force_login(personas.alice)
    assert "Quiet Qodir" in client.get(url(personas.network, personas.org_a)).text
    client.force_login(personas.fiona)
    assert "Quiet Qodir" in client.get(url(personas.network, personas.org_a)).text


def test_showcase_is_sanitised(personas, client):
    """The showcase keeps safe markup and loses scripts, handlers and images."""
    personas.org_a.showcase = (
        '<p onclick="steal()">We <strong>pilot</strong> meters.<script>alert(1)</script></p>'
        '<img src="https://tracker.example/x.png"><a href="javascript:alert(2)">x</a>'
    )
    personas.org_a.save()
    client.force_login(personas.olga)
    text = client.get(url(personas.network, personas.org_a)).text
    assert "<p>We <strong>pilot</strong> meters.</p>" in text
    assert "alert(" not in text and "onclick" not in text and "tracker.example" not in text


def test_representatives_and_their_history(personas, client):
    """The profile shows the current representative, the alternate and the handovers."""
    first = PersonFactory(name="First Farrukh", organisation=personas.org_a)
    hand_over_seat(personas.network, personas.org_a, person=first, date=dt.date(2019, 1, 1))
    hand_over_seat(
        personas.network, personas.org_a, person=personas.person_a, date=dt.date(2022, 5, 1)
    )
    second = PersonFactory(name="Second Sitora", organisation=personas.org_a)
    hand_over_seat(
        personas.network, personas.org_a, person=second, kind="alternate", date=dt.date(2022, 5, 1)
    )
    client.force_login(personas.olga)
    response = client.get(url(personas.network, personas.org_a))
    current = {
        (s.representation.kind, s.representation.person.name)
        for s in response.context["current_seats"]
    }
    assert current == {("representative", "Anna Alpha"), ("alternate", "Second Sitora")}
    history = [
        (s.representation.person.name, s.representation.end) for s in response.context["seats"]
    ]
    assert ("First Farrukh", dt.date(2022, 5, 1)) in history
    assert "First Farrukh" in response.text


def test_relationships_in_both_directions(personas, client):
    """Ties the organisation declared and ties declared towards it are both listed."""
    donor = OrganisationFactory(name="Donor Fund")
    MembershipFactory(network=personas.network, organisation=donor)
    RelationshipFactory(network=personas.network, source=donor, target=personas.org_a, kind="funds")
    RelationshipFactory(
        network=personas.network, source=personas.org_a, target=personas.org_b, kind="advises"
    )
    RelationshipFactory(
        network=personas.other_network, source=personas.org_a, target=donor, kind="reports_to"
    )
    client.force_login(personas.olga)
    response = client.get(url(personas.network, personas.org_a))
    kinds = {(r.source.name, r.kind, r.target.name) for r in response.context["relationships"]}
    assert kinds == {
        ("Donor Fund", "funds", "Alpha Water Institute"),
        ("Alpha Water Institute", "advises", "Beta Ministry"),
    }
    assert "funds" in response.text and "advises" in response.text
    assert Relationship.objects.count() == 3


def test_history_only_for_facilitators(personas, client):
    """The audit trail, with who changed which fields, is shown to facilitators only."""
    personas.fiona.first_name = "Fiona"
    personas.fiona.last_name = "Facilitator"
    personas.fiona.save()
    client.force_login(personas.fiona)
    response = client.post(
        edit_url(personas.network, personas.org_a),
        {
            "name": "Alpha Water Institute",
            "acronym": "AWI-2",
            "sector": personas.org_a.sector_id,
            "country": "TJ",
            "website": "https://awi.example.tj",
        },
    )
    assert response.status_code == 302
    response = client.get(url(personas.network, personas.org_a))
    [latest, *_] = response.context["history"]
    assert latest.who == personas.fiona
    assert set(latest.changed) == {"acronym", "website", "e-mail", "phone"}
    assert "Audit trail" in response.text and "Fiona Facilitator" in response.text
    for persona in (personas.alice, personas.sam, personas.olga):
        client.force_login(persona)
        response = client.get(url(personas.network, personas.org_a))
        assert not response.context["history"]
        assert "Audit trail" not in response.text


def test_history_shows_the_last_twenty(personas, client):
    """The audit trail lists the twenty latest records, newest first."""
    for i in range(25):
        personas.org_a.region = f"Region {i}"
        personas.org_a.save()
    client.force_login(personas.fiona)
    history = client.get(url(personas.network, personas.org_a)).context["history"]
    assert len(history) == 20
    assert all(entry.changed == ["region"] for entry in history)


def test_edit_link_for_editors_only(personas, client):
    """The focal point of the organisation sees the edit link; another focal point does not."""
    link = edit_url(personas.network, personas.org_a)
    client.force_login(personas.alice)
    assert link in client.get(url(personas.network, personas.org_a)).text
    client.force_login(personas.bob)
    assert link not in client.get(url(personas.network, personas.org_a)).text


def _crowded_profile(network, count):
    """An organisation with people, topics, seats and a tie to every other member."""
    orgs = bulk_members(network, count)
    org = orgs[0]
    Relationship.objects.bulk_create(
        Relationship(network=network, source=org, target=other, kind="partners_with")
        for other in orgs[1:]
    )
    hand_over_seat(network, org, person=org.people.first(), date=dt.date(2020, 1, 1))
    for index in range(count // 10):
        activity = JointActivityFactory(network=network, start=dt.date(2010 + index % 10, 1, 1))
        ParticipationFactory(activity=activity, organisation=org, role="funder")
    return org


@pytest.mark.parametrize("count", [10, 500])
def test_query_count_anonymous_on_public_network(
    personas, client, django_assert_num_queries, count
):
    """An anonymous profile costs the same queries with 10 or 500 members and ties."""
    network = public_network_with(slug="wide")
    org = _crowded_profile(network, count)
    # 8 queries: network, organisation, seats with people, people, interests with topics,
    # memberships, joint activities, relationships with both organisations.
    with django_assert_num_queries(8):
        response = client.get(url(network, org))
    assert len(response.context["relationships"]) == count - 1


@pytest.mark.parametrize("count", [10, 500])
def test_query_count_facilitator(personas, client, django_assert_num_queries, count):
    """A facilitator's profile, audit trail included, costs the same queries at any size."""
    org = _crowded_profile(personas.network, count)
    client.force_login(personas.fiona)
    # 12 queries: session, user, network, roles, organisation, seats with people, people,
    # interests with topics, memberships, joint activities, relationships, history with users.
    with django_assert_num_queries(12):
        response = client.get(url(personas.network, org))
    assert len(response.context["relationships"]) == count - 1
