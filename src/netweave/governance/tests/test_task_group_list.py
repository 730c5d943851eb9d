"""The task groups page."""

import pytest
from django.urls import reverse

from netweave.directory.tests.bulk import bulk_members
from netweave.governance.models import TaskGroup
from netweave.governance.tests.factories import make_group

pytestmark = pytest.mark.django_db


def url(network) -> str:
    return reverse("governance:task_group_list", kwargs={"network": network.slug})


def test_observer_reads_groups_with_counts(client, personas):
    """Olga sees the group, its lead and its member count."""
    group = make_group(personas)
    from netweave.governance import services

    services.add_task_group_member(group, personas.org_b)
    client.force_login(personas.olga)
    response = client.get(url(personas.network))
    assert response.status_code == 200
    [row] = response.context["groups"]
    assert (row.name, row.member_count, row.open_deliverables) == ("Tariffs", 2, 0)


def test_outsider_gets_404(client, personas):
    """Charlie has no role in the members-only network: 404."""
    client.force_login(personas.charlie)
    assert client.get(url(personas.network)).status_code == 404


@pytest.mark.parametrize("n", [10, 500])
def test_list_queries_do_not_grow(client, personas, django_assert_num_queries, n):
    """The list costs the same with 10 or 500 task groups."""
    orgs = bulk_members(personas.network, n, people_per_org=0)
    TaskGroup.objects.bulk_create(
        TaskGroup(network=personas.network, name=f"Group {i}", lead=org)
        for i, org in enumerate(orgs)
    )
    client.force_login(personas.fiona)
    # 4 queries: session, user, network, roles; 1: groups with lead and counts
    with django_assert_num_queries(5):
        response = client.get(url(personas.network))
    assert len(response.context["groups"]) == n
