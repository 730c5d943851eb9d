import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from netweave.directory.tests.bulk import bulk_members
from netweave.networks.models import Membership

pytestmark = pytest.mark.django_db


def export_url(fmt="csv"):
    return reverse("networks:member_export", kwargs={"network": "testnet", "fmt": fmt})


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_facilitator_gets_every_membership_period(personas, client):
    """The CSV lists each membership period with status and dates, past ones included."""
    Membership.objects.filter(organisation=personas.org_b).update(
        status="left", left=dt.date(2020, 5, 1)
    )
    client.force_login(personas.fiona)
    response = client.get(export_url())
    assert response.status_code == 200
    assert 'filename="testnet-memberships-' in response["Content-Disposition"]
    assert rows(response) == [
        {
            "organisation": "Alpha Water Institute",
            "status": "active",
            "joined": "2010-06-01",
            "left": "",
            "representative": "",
        },
        {
            "organisation": "Beta Ministry",
            "status": "left",
            "joined": "2010-06-01",
            "left": "2020-05-01",
            "representative": "",
        },
    ]


def test_members_page_links_to_the_export(personas, client):
    """The members page offers the list as CSV, XLSX and JSON."""
    client.force_login(personas.fiona)
    html = client.get(reverse("networks:member_list", kwargs={"network": "testnet"})).content
    for fmt in ("csv", "xlsx", "json"):
        assert export_url(fmt).encode() in html


@pytest.mark.parametrize(
    ("persona", "status"), [("sam", 403), ("alice", 403), ("olga", 403), ("charlie", 404)]
)
def test_refused_to_all_but_facilitators(personas, client, persona, status):
    """Steering, focal points and observers get 403; outsiders 404."""
    client.force_login(getattr(personas, persona))
    assert client.get(export_url()).status_code == status


def test_unknown_format_is_404(personas, client):
    """Only csv, xlsx and json are offered."""
    client.force_login(personas.fiona)
    assert client.get(export_url("html")).status_code == 404


@pytest.mark.parametrize("count", [10, 500])
def test_query_count_does_not_grow(personas, client, django_assert_num_queries, count):
    """The export reads the same number of queries for 10 members as for 500."""
    bulk_members(personas.network, count, people_per_org=0)
    client.force_login(personas.fiona)
    # 5 queries: session, user, network, roles, memberships with organisation and representative
    with django_assert_num_queries(5):
        response = client.get(export_url())
    assert len(rows(response)) == count + 2
