import datetime as dt

import pytest
from django.urls import reverse

from netweave.directory.models import OrganisationInterest
from netweave.directory.tests.bulk import bulk_members, public_network_with
from netweave.directory.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    TopicFactory,
    sector,
)
from netweave.networks.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def url(network, **params):
    from urllib.parse import urlencode

    base = reverse("directory:organisation_list", kwargs={"network": network.slug})
    return base + ("?" + urlencode(params, doseq=True) if params else "")


def names(response):
    return [org.name for org in response.context["organisations"]]


def test_members_only_network_hidden_from_outsiders(personas, client):
    """Anonymous visitors and users without a role get 404 for a members-only network."""
    assert client.get(url(personas.network)).status_code == 404
    client.force_login(personas.charlie)
    assert client.get(url(personas.network)).status_code == 404
    client.force_login(personas.frank)
    assert client.get(url(personas.network)).status_code == 404


def test_member_sees_directory(personas, client):
    """An observer sees the current members with their count."""
    client.force_login(personas.olga)
    response = client.get(url(personas.network))
    assert response.status_code == 200
    assert names(response) == ["Alpha Water Institute", "Beta Ministry"]
    assert "2 organisations" in response.text


def test_public_network_open_to_anonymous(personas, client):
    """Anyone may read the directory of a public network."""
    network = public_network_with(personas.org_a)
    response = client.get(url(network))
    assert response.status_code == 200
    assert names(response) == ["Alpha Water Institute"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("alpha water", ["Alpha Water Institute"]),
        ("BM", ["Beta Ministry"]),
        ("boris", ["Beta Ministry"]),
        ("ВОДА", ["Ассоциация «Вода и жизнь»"]),
        ("вода И ЖИЗНЬ", ["Ассоциация «Вода и жизнь»"]),
    ],
)
def test_search(personas, client, query, expected):
    """The search matches a name, an acronym or a person's name, ignoring case in any script."""
    org = OrganisationFactory(name="Ассоциация «Вода и жизнь»", acronym="АВЖ")
    MembershipFactory(network=personas.network, organisation=org)
    client.force_login(personas.olga)
    assert names(client.get(url(personas.network, q=query))) == expected


def test_search_skips_people_who_are_not_listed(personas, client):
    """An organisation is not found through someone who did not agree to be listed."""
    PersonFactory(name="Hidden Hafiz", organisation=personas.org_a, consent_listed=False)
    client.force_login(personas.olga)
    assert names(client.get(url(personas.network, q="hafiz"))) == []
    client.force_login(personas.fiona)
    assert names(client.get(url(personas.network, q="hafiz"))) == ["Alpha Water Institute"]


def test_filter_by_sector(personas, client):
    """Ticking sectors keeps the members of those sectors only."""
    client.force_login(personas.olga)
    response = client.get(url(personas.network, sector=["government"]))
    assert names(response) == ["Beta Ministry"]
    response = client.get(url(personas.network, sector=["government", "academia"]))
    assert names(response) == ["Alpha Water Institute", "Beta Ministry"]


def test_filter_by_country(personas, client):
    """The country filter takes a two-letter code in either case."""
    org = OrganisationFactory(name="Kabul Water", country="AF")
    MembershipFactory(network=personas.network, organisation=org)
    client.force_login(personas.olga)
    assert names(client.get(url(personas.network, country="af"))) == ["Kabul Water"]


def test_filter_by_topic(personas, client):
    """The topic filter keeps organisations with that interest, each once."""
    tariffs, wash = (
        TopicFactory(name="Tariffs", slug="tariffs"),
        TopicFactory(name="WASH", slug="wash"),
    )
    OrganisationInterest.objects.create(organisation=personas.org_b, topic=tariffs)
    OrganisationInterest.objects.create(organisation=personas.org_b, topic=wash)
    client.force_login(personas.olga)
    assert names(client.get(url(personas.network, topic=["tariffs", "wash"]))) == ["Beta Ministry"]


def test_status_defaults_to_current_members(personas, client):
    """Former members are left out unless the "left" status is ticked."""
    gone = OrganisationFactory(name="Gone Org")
    MembershipFactory(
        network=personas.network,
        organisation=gone,
        joined=dt.date(2011, 1, 1),
        left=dt.date(2015, 1, 1),
        status="left",
    )
    suspended = OrganisationFactory(name="Suspended Org")
    MembershipFactory(network=personas.network, organisation=suspended, status="suspended")
    client.force_login(personas.olga)
    assert "Gone Org" not in names(client.get(url(personas.network)))
    assert "Suspended Org" in names(client.get(url(personas.network)))
    assert names(client.get(url(personas.network, status="left"))) == ["Gone Org"]
    assert names(client.get(url(personas.network, status="suspended"))) == ["Suspended Org"]


def test_organisation_of_another_network_not_listed(personas, client):
    """Only members of this network are listed."""
    outsider = OrganisationFactory(name="Elsewhere Org")
    MembershipFactory(network=personas.other_network, organisation=outsider)
    client.force_login(personas.olga)
    assert "Elsewhere Org" not in names(
        client.get(url(personas.network, status=["active", "left"]))
    )


def test_sorting(personas, client):
    """Sorting by name descending or by sector reorders the list."""
    client.force_login(personas.olga)
    assert names(client.get(url(personas.network, ordering="-name"))) == [
        "Beta Ministry",
        "Alpha Water Institute",
    ]
    # Government comes before academia in the sector taxonomy.
    assert names(client.get(url(personas.network, ordering="sector"))) == [
        "Beta Ministry",
        "Alpha Water Institute",
    ]


def test_pagination_keeps_filters(personas, client):
    """Pages hold 25 organisations and the page links keep the filter."""
    bulk_members(personas.network, 60)
    client.force_login(personas.olga)
    response = client.get(url(personas.network, q="bulk", ordering="name"))
    assert len(names(response)) == 25
    assert "60 organisations" in response.text
    assert "?q=bulk&amp;ordering=name&amp;page=2" in response.text
    last = client.get(url(personas.network, q="bulk", ordering="name", page=3))
    assert names(last) == [f"Bulk organisation {i:04d}" for i in range(50, 60)]
    assert "?q=bulk&amp;ordering=name&amp;page=2" in last.text


def test_export_links_carry_the_filter(personas, client):
    """The download links repeat the current filter, without the page number."""
    bulk_members(personas.network, 30)
    client.force_login(personas.olga)
    response = client.get(url(personas.network, sector="government", page=2))
    assert '/organisations/export.csv?sector=government"' in response.text
    assert '/organisations/export.xlsx?sector=government"' in response.text


def test_add_button_only_for_facilitator(personas, client):
    """Facilitators see "Add organisation"; a focal point does not."""
    create = reverse("directory:organisation_create", kwargs={"network": personas.network.slug})
    client.force_login(personas.alice)
    assert create not in client.get(url(personas.network)).text
    client.force_login(personas.fiona)
    assert create in client.get(url(personas.network)).text


def test_sector_shown_with_swatch(personas, client):
    """Each row shows its sector's colour as an SVG swatch (no inline style)."""
    client.force_login(personas.olga)
    response = client.get(url(personas.network))
    assert f'fill="{sector("government").colour}"' in response.text
    assert "style=" not in response.text.split('id="results"')[1]


def test_htmx_request_gets_results_only(personas, client):
    """An htmx request gets the results fragment; a normal request the whole page."""
    client.force_login(personas.olga)
    partial = client.get(url(personas.network, q="beta"), headers={"HX-Request": "true"})
    assert "<html" not in partial.text
    assert "Beta Ministry" in partial.text
    assert "HX-Request" in partial["Vary"]
    assert "<html" in client.get(url(personas.network, q="beta")).text


def test_form_works_without_javascript(personas, client):
    """The filter form is a plain GET form to the page itself."""
    client.force_login(personas.olga)
    text = client.get(url(personas.network)).text
    assert f'method="get" action="{url(personas.network)}"' in text


@pytest.mark.parametrize("count", [10, 500])
def test_query_count_anonymous_on_public_network(
    personas, client, django_assert_num_queries, count
):
    """An anonymous directory page costs the same queries with 10 or 500 members."""
    network = public_network_with(slug="wide")
    bulk_members(network, count)
    # 6 queries: network, count, page of organisations, their topics, sectors and topics of
    # the filter form.
    with django_assert_num_queries(6):
        response = client.get(url(network))
    assert len(names(response)) == min(count, 25)


@pytest.mark.parametrize("count", [10, 500])
def test_query_count_facilitator(personas, client, django_assert_num_queries, count):
    """A facilitator's filtered directory page costs the same queries with 10 or 500 members."""
    bulk_members(personas.network, count)
    client.force_login(personas.fiona)
    # 10 queries: session, user, network, roles, sectors (validating the filter), count,
    # page of organisations, their topics, sectors and topics of the filter form.
    with django_assert_num_queries(10):
        response = client.get(url(personas.network, q="bulk", sector="government", page=1))
    assert names(response)
