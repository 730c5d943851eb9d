import pytest
from django.urls import reverse

from netweave.directory.models import PersonInterest
from netweave.directory.tests.bulk import bulk_members, public_network_with
from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, TopicFactory
from netweave.networks.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def url(network, **params):
    from urllib.parse import urlencode

    base = reverse("directory:person_list", kwargs={"network": network.slug})
    return base + ("?" + urlencode(params, doseq=True) if params else "")


def names(response):
    return [person.name for person in response.context["people"]]


def test_lists_listed_people(personas, client):
    """Members see the people of member organisations who agreed to be listed."""
    PersonFactory(name="Quiet Qodir", organisation=personas.org_a, consent_listed=False)
    client.force_login(personas.olga)
    response = client.get(url(personas.network))
    assert response.status_code == 200
    assert names(response) == ["Anna Alpha", "Boris Beta"]
    assert "2 people" in response.text


def test_unlisted_people_shown_to_those_who_edit_them(personas, client):
    """A focal point sees their own organisation's unlisted people; a facilitator sees all."""
    PersonFactory(name="Quiet Qodir", organisation=personas.org_a, consent_listed=False)
    PersonFactory(name="Silent Sabo", organisation=personas.org_b, consent_listed=False)
    client.force_login(personas.alice)
    assert names(client.get(url(personas.network))) == ["Anna Alpha", "Boris Beta", "Quiet Qodir"]
    client.force_login(personas.fiona)
    assert "Silent Sabo" in names(client.get(url(personas.network)))


def test_people_outside_network_not_listed(personas, client):
    """People of organisations that never belonged to the network are not listed."""
    elsewhere = OrganisationFactory()
    MembershipFactory(network=personas.other_network, organisation=elsewhere)
    PersonFactory(name="Far Away", organisation=elsewhere)
    client.force_login(personas.fiona)
    assert "Far Away" not in names(client.get(url(personas.network)))


def test_members_only_network_refused_to_outsiders(personas, client):
    """Anonymous visitors and users without a role get 404."""
    assert client.get(url(personas.network)).status_code == 404
    client.force_login(personas.charlie)
    assert client.get(url(personas.network)).status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("anna", ["Anna Alpha"]),
        ("beta ministry", ["Boris Beta", "Зарина Каримова"]),
        ("ЗАРИНА", ["Зарина Каримова"]),
    ],
)
def test_search(personas, client, query, expected):
    """The search matches a person's or organisation's name in any case and script."""
    PersonFactory(name="Зарина Каримова", organisation=personas.org_b, position="Expert")
    client.force_login(personas.olga)
    assert names(client.get(url(personas.network, q=query))) == expected


def test_filter_by_organisation(personas, client):
    """The organisation filter suggests the network's members and keeps their people."""
    client.force_login(personas.olga)
    response = client.get(url(personas.network, organisation="bm"))
    assert names(response) == ["Boris Beta"]
    assert '<option value="Alpha Water Institute">AWI</option>' in response.text


@pytest.mark.parametrize("value", ["Beta Ministry", "  beta MINISTRY ", "bm"])
def test_filter_by_organisation_name_or_slug(personas, client, value):
    """The organisation is found by its slug or its full name in any case."""
    client.force_login(personas.olga)
    assert names(client.get(url(personas.network, organisation=value))) == ["Boris Beta"]


def test_filter_by_unknown_organisation_says_so(personas, client):
    """A name that is no member's is an error on the field, as any invalid filter is (the
    list is then not filtered by it); other networks' members do not count."""
    elsewhere = OrganisationFactory(name="Elsewhere Trust", slug="elsewhere")
    MembershipFactory(network=personas.other_network, organisation=elsewhere)
    client.force_login(personas.olga)
    for value in ("Gamma", "elsewhere"):
        response = client.get(url(personas.network, organisation=value))
        assert response.context["filter"].errors["organisation"] == [
            f"No member organisation is called “{value}”. Choose one of the suggestions, "
            "or clear the field."
        ]
        assert f"No member organisation is called “{value}”" in response.text


def datalist(response):
    start = response.text.index('<datalist id="id_organisation-suggestions">')
    return response.text[start : response.text.index("</datalist>", start)]


def test_organisation_suggestions_are_bounded(personas, client):
    """The page suggests at most 50 organisations, the first by name."""
    bulk_members(personas.network, 60, people_per_org=0)
    client.force_login(personas.olga)
    options = datalist(client.get(url(personas.network)))
    assert options.count("<option") == 50
    assert '<option value="Alpha Water Institute">AWI</option>' in options
    assert "Bulk organisation 0047" in options
    assert "Bulk organisation 0048" not in options


def suggest(network, text):
    base = reverse("directory:organisation_suggestions", kwargs={"network": network.slug})
    return f"{base}?organisation={text}"


def test_suggestions_match_what_was_typed(personas, client):
    """Typing part of a name, an acronym or a slug suggests the members that match."""
    elsewhere = OrganisationFactory(name="Alphabet Elsewhere", slug="alphabet")
    MembershipFactory(network=personas.other_network, organisation=elsewhere)
    client.force_login(personas.olga)
    assert client.get(suggest(personas.network, "alpha")).text == (
        '<option value="Alpha Water Institute">AWI</option>'
    )
    assert client.get(suggest(personas.network, "bm")).text == (
        '<option value="Beta Ministry">BM</option>'
    )
    assert client.get(suggest(personas.network, "zzz")).text == ""


@pytest.mark.parametrize("count", [10, 500])
def test_suggestions_query_count(personas, client, django_assert_num_queries, count):
    """Suggestions cost the same queries with 10 or 500 members, and stop at 50."""
    bulk_members(personas.network, count, people_per_org=0)
    client.force_login(personas.olga)
    # 5 queries: session, user, network, roles, the first matching organisations
    with django_assert_num_queries(5):
        response = client.get(suggest(personas.network, "bulk"))
    assert response.text.count("<option") == min(count, 50)


def test_suggestions_refused_to_outsiders(personas, client):
    """Users who may not read the network get 404 from the suggestions too."""
    client.force_login(personas.charlie)
    assert client.get(suggest(personas.network, "alpha")).status_code == 404


def test_filter_by_sector(personas, client):
    """The sector filter keeps people whose organisation is in that sector."""
    client.force_login(personas.olga)
    assert names(client.get(url(personas.network, sector="academia"))) == ["Anna Alpha"]


def test_filter_by_topic(personas, client):
    """The topic filter keeps people with that interest."""
    topic = TopicFactory(name="Sanitation", slug="sanitation")
    PersonInterest.objects.create(person=personas.person_b, topic=topic)
    client.force_login(personas.olga)
    assert names(client.get(url(personas.network, topic="sanitation"))) == ["Boris Beta"]


def test_pagination_keeps_filters(personas, client):
    """People come 25 a page and the page links keep the search."""
    bulk_members(personas.network, 20, people_per_org=2)
    client.force_login(personas.olga)
    response = client.get(url(personas.network, q="bulk person"))
    assert len(names(response)) == 25
    assert "40 people" in response.text
    assert "?q=bulk+person&amp;page=2" in response.text
    assert len(names(client.get(url(personas.network, q="bulk person", page=2)))) == 15


def test_add_button_for_editors_only(personas, client):
    """Facilitators and focal points see "Add person"; an observer does not."""
    create = reverse("directory:person_create", kwargs={"network": personas.network.slug})
    client.force_login(personas.olga)
    assert create not in client.get(url(personas.network)).text
    client.force_login(personas.alice)
    assert create in client.get(url(personas.network)).text


@pytest.mark.parametrize("count", [10, 500])
def test_query_count_anonymous_on_public_network(
    personas, client, django_assert_num_queries, count
):
    """An anonymous people page costs the same queries with 10 or 500 organisations."""
    network = public_network_with(slug="wide")
    bulk_members(network, count)
    # 6 queries: network, organisations for the filter, count, sectors and topics of the
    # filter form, page of people with organisation and sector.
    with django_assert_num_queries(6):
        response = client.get(url(network))
    assert len(names(response)) == (20 if count == 10 else 25)


@pytest.mark.parametrize("count", [10, 500])
def test_query_count_facilitator(personas, client, django_assert_num_queries, count):
    """A facilitator's people page costs the same queries with 10 or 500 organisations."""
    bulk_members(personas.network, count)
    client.force_login(personas.fiona)
    # 9 queries: session, user, network, roles, organisations for the filter, count,
    # sectors and topics of the filter form, page of people with organisation and sector.
    with django_assert_num_queries(9):
        response = client.get(url(personas.network, q="bulk"))
    assert names(response)
