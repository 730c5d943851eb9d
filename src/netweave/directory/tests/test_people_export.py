import csv
import io
import json

import pytest
import tablib
from django.urls import reverse

from netweave.directory.models import PersonInterest
from netweave.directory.tests.bulk import bulk_members, public_network_with
from netweave.directory.tests.factories import PersonFactory, TopicFactory

pytestmark = pytest.mark.django_db


def export_url(network, fmt="csv", query=""):
    url = reverse("directory:person_export", kwargs={"network": network.slug, "fmt": fmt})
    return f"{url}?{query}" if query else url


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_follows_the_filter(personas, client):
    """The CSV holds the people of the current filter, with organisation and topics."""
    topic = TopicFactory(name="Tariffs", slug="tariffs")
    PersonInterest.objects.create(person=personas.person_b, topic=topic)
    client.force_login(personas.olga)
    response = client.get(export_url(personas.network, query="sector=government"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="testnet-people-' in response["Content-Disposition"]
    [row] = rows(response)
    assert (row["name"], row["organisation"], row["topics"]) == (
        "Boris Beta",
        "Beta Ministry",
        "Tariffs",
    )


def test_page_links_carry_the_filter(personas, client):
    """The people page's download links repeat the current filter, without the page number."""
    client.force_login(personas.olga)
    response = client.get(
        reverse("directory:person_list", kwargs={"network": "testnet"}),
        {"q": "beta", "page": "1"},
    )
    html = response.content.decode()
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="{export_url(personas.network, fmt)}?q=beta"' in html


def test_unlisted_people_and_contacts_by_role(personas, client):
    """An observer gets neither unlisted people nor contacts without consent; a facilitator both."""
    PersonFactory(name="Ulla Unlisted", organisation=personas.org_b, consent_listed=False)
    PersonFactory(name="Nora Quiet", organisation=personas.org_a, consent_contact=False)
    client.force_login(personas.olga)
    seen = {row["name"]: row for row in rows(client.get(export_url(personas.network)))}
    assert "Ulla Unlisted" not in seen
    assert seen["Nora Quiet"]["email"] == ""
    assert seen["Anna Alpha"]["email"] == personas.person_a.email
    client.force_login(personas.fiona)
    seen = {row["name"]: row for row in rows(client.get(export_url(personas.network)))}
    assert "Ulla Unlisted" in seen
    assert seen["Nora Quiet"]["email"].endswith("@example.org")


def test_anonymous_reader_of_public_network_gets_no_contacts(personas, client):
    """An anonymous reader of a public network gets listed people without contact columns."""
    network = public_network_with(personas.org_a)
    response = client.get(export_url(network, "json"))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert [item["name"] for item in data] == ["Anna Alpha"]
    assert "email" not in data[0] and "consent_contact" not in data[0]


def test_xlsx_export(personas, client):
    """The XLSX export opens as a workbook with the same rows."""
    client.force_login(personas.olga)
    response = client.get(export_url(personas.network, "xlsx"))
    book = tablib.Dataset().load(io.BytesIO(response.content), format="xlsx")
    assert [r[0] for r in book] == ["Anna Alpha", "Boris Beta"]


def test_refused_to_outsider_and_unknown_format(personas, client):
    """A user without a role gets 404 for a members-only network; an unknown format is 404."""
    client.force_login(personas.charlie)
    assert client.get(export_url(personas.network)).status_code == 404
    client.logout()
    assert client.get(export_url(personas.network)).status_code == 404
    client.force_login(personas.olga)
    assert client.get(export_url(personas.network, "html")).status_code == 404


@pytest.mark.parametrize("count", [10, 500])
def test_query_count_does_not_grow(personas, client, django_assert_num_queries, count):
    """The export reads the same number of queries for 10 people as for 500."""
    bulk_members(personas.network, count, people_per_org=1)
    client.force_login(personas.olga)
    # 7 queries: session, user, network, roles, people, their topics (prefetched), the
    # export log; one more pair per further 1,000 people
    with django_assert_num_queries(7):
        response = client.get(export_url(personas.network))
    assert len(rows(response)) == count + 2
