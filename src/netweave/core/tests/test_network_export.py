"""Any registered list downloads from its page through one permission-checked address."""

import csv
import io

import pytest

from netweave.governance.services import create_task_group
from netweave.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def url(kind, fmt="csv"):
    return f"/networks/testnet/export/{kind}.{fmt}"


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_member_downloads_meetings_as_csv(personas, client):
    """A member downloads the network's meetings as an attachment."""
    MeetingFactory(network=personas.network, title="Quarterly meeting")
    client.force_login(personas.olga)
    response = client.get(url("meetings"))
    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]
    assert [row["title"] for row in rows(response)] == ["Quarterly meeting"]


def test_task_groups_export_lists_lead_and_members(personas, client):
    """The task-group list names each group's lead and member organisations."""
    create_task_group(personas.network, name="Tariffs", lead=personas.org_b)
    client.force_login(personas.alice)
    (row,) = rows(client.get(url("task_groups")))
    assert row["name"] == "Tariffs" and row["lead"] == "Beta Ministry"
    assert row["members"] == "Beta Ministry"


def test_xlsx_and_json_formats(personas, client):
    """The same list comes as XLSX and JSON."""
    client.force_login(personas.fiona)
    xlsx = client.get(url("meetings", "xlsx"))
    assert xlsx.content[:2] == b"PK"
    assert client.get(url("meetings", "json"))["Content-Type"].startswith("application/json")


def test_outsiders_and_unknown_kinds_get_404(personas, client):
    """A network the user cannot see, an unknown list or format: missing, not an error."""
    assert client.get(url("meetings")).status_code == 404  # anonymous, members-only network
    client.force_login(personas.frank)
    assert client.get(url("meetings")).status_code == 404
    client.force_login(personas.fiona)
    assert client.get(url("secrets")).status_code == 404
    assert client.get(url("meetings", "exe")).status_code == 404


def test_facilitator_only_lists_are_refused_to_others(personas, client):
    """Memberships are a facilitator's list: an observer is refused (403)."""
    client.force_login(personas.olga)
    assert client.get(url("memberships")).status_code == 403
    client.force_login(personas.fiona)
    assert client.get(url("memberships")).status_code == 200


def test_task_group_export_queries_do_not_grow(personas, client, django_assert_max_num_queries):
    """The task-group list is read with a fixed number of queries, whatever its length."""
    client.force_login(personas.fiona)
    for count in (2, 20):
        for i in range(count):
            create_task_group(personas.network, name=f"Group {count}-{i}", lead=personas.org_a)
        # session, user, network, roles, task groups, their members, their topics,
        # the export log
        with django_assert_max_num_queries(9):
            assert client.get(url("task_groups")).status_code == 200
