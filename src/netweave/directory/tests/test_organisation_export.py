import csv
import io
import json

import pytest
import tablib
from django.urls import reverse

from netweave.directory.export import neutralise
from netweave.directory.models import OrganisationInterest
from netweave.directory.tests.bulk import public_network_with
from netweave.directory.tests.factories import OrganisationFactory, TopicFactory
from netweave.networks.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def export_url(network, fmt="csv", query=""):
    url = reverse("directory:organisation_export", kwargs={"network": network.slug, "fmt": fmt})
    return f"{url}?{query}" if query else url


def rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_follows_the_filter(personas, client):
    """The CSV holds the organisations of the current filter, with their topics."""
    topic = TopicFactory(name="Tariffs", slug="tariffs")
    OrganisationInterest.objects.create(organisation=personas.org_b, topic=topic)
    client.force_login(personas.olga)
    response = client.get(export_url(personas.network, query="sector=government"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    [row] = rows(response)
    assert row["name"] == "Beta Ministry"
    assert row["acronym"] == "BM"
    assert row["status"] == "active"
    assert row["joined"] == "2010-06-01"
    assert row["topics"] == "Tariffs"


def test_csv_search_and_all_rows(personas, client):
    """Without a page limit, the export holds every match of the search."""
    for i in range(30):
        MembershipFactory(
            network=personas.network, organisation=OrganisationFactory(name=f"Водоканал {i}")
        )
    client.force_login(personas.olga)
    assert len(rows(client.get(export_url(personas.network, query="q=ВОДОКАНАЛ")))) == 30


def test_contacts_hidden_from_anonymous(personas, client):
    """An anonymous reader of a public network gets no contact columns."""
    network = public_network_with(personas.org_a)
    response = client.get(export_url(network))
    assert response.status_code == 200
    [row] = rows(response)
    assert "email" not in row and "phone" not in row
    assert personas.org_a.email not in response.content.decode()


def test_contacts_hidden_from_signed_in_outsider(personas, client):
    """A signed-in user without a role in the public network gets no contact columns either."""
    network = public_network_with(personas.org_a)
    client.force_login(personas.charlie)
    [row] = rows(client.get(export_url(network)))
    assert "email" not in row


def test_contacts_shown_to_members(personas, client):
    """A member of the network gets the e-mail and phone columns."""
    client.force_login(personas.olga)
    row = rows(client.get(export_url(personas.network, query="q=alpha")))[0]
    assert row["email"] == personas.org_a.email
    assert row["phone"] == "'+992 37 000 0000"


def test_formula_cells_neutralised(personas, client):
    """A cell that a spreadsheet would run as a formula starts with a quote."""
    evil = OrganisationFactory(name='=HYPERLINK("http://evil")', acronym="@SUM", region="-1+1")
    MembershipFactory(network=personas.network, organisation=evil)
    client.force_login(personas.olga)
    [row] = rows(client.get(export_url(personas.network, query="q=hyperlink")))
    assert row["name"] == '\'=HYPERLINK("http://evil")'
    assert row["acronym"] == "'@SUM"
    assert row["region"] == "'-1+1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+992", "'+992"),
        ("-x", "'-x"),
        ("@a", "'@a"),
        ("\tx", "'\tx"),
        ("Oxfam", "Oxfam"),
        ("", ""),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    """Only text starting with a formula character is prefixed."""
    assert neutralise(value) == expected


def test_xlsx_export(personas, client):
    """The XLSX export opens as a workbook with the same rows."""
    client.force_login(personas.olga)
    response = client.get(export_url(personas.network, "xlsx", "ordering=name"))
    assert response.status_code == 200
    book = tablib.Dataset().load(io.BytesIO(response.content), format="xlsx")
    assert book.headers[0] == "name"
    assert [r[0] for r in book] == ["Alpha Water Institute", "Beta Ministry"]


def test_json_export(personas, client):
    """The JSON export is a list of objects, without contacts for anonymous readers."""
    network = public_network_with(personas.org_a, personas.org_b)
    response = client.get(export_url(network, "json", "country=tj"))
    data = json.loads(response.content)
    assert [item["name"] for item in data] == ["Alpha Water Institute", "Beta Ministry"]
    assert "email" not in data[0]


def test_unknown_format_is_404(personas, client):
    """Only csv, xlsx and json are offered."""
    client.force_login(personas.olga)
    assert client.get(export_url(personas.network, "html")).status_code == 404


def test_members_only_export_refused_to_outsider(personas, client):
    """A user without a role cannot export a members-only network's directory."""
    client.force_login(personas.charlie)
    assert client.get(export_url(personas.network)).status_code == 404
    client.logout()
    assert client.get(export_url(personas.network)).status_code == 404
