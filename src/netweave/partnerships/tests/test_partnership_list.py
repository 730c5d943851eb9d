"""The list of a network's partnerships and the page across them by sector."""

import pytest
from django.urls import reverse

from netweave.partnerships.arrangements import ensure_arrangement_types
from netweave.partnerships.models import ArrangementType, Partnership
from netweave.partnerships.tests.factories import make_partnership

pytestmark = pytest.mark.django_db


def url(network, name: str = "list") -> str:
    return reverse(f"partnerships:{name}", kwargs={"network": network.slug})


def test_observer_reads_the_list_without_the_create_link(client, personas):
    """An observer sees the partnerships but not the link to create one."""
    make_partnership(personas.network, personas.org_a, personas.org_b)
    client.force_login(personas.olga)
    response = client.get(url(personas.network))
    assert response.status_code == 200
    assert "Water for all" in response.text
    assert url(personas.network, "create") not in response.text


def test_outsider_gets_404(client, personas):
    """Signed in without a role in the network: 404."""
    client.force_login(personas.charlie)
    assert client.get(url(personas.network)).status_code == 404


def test_focal_point_may_not_create_a_partnership(client, personas):
    """Creating is for facilitators: a focal point gets 403."""
    client.force_login(personas.alice)
    assert client.get(url(personas.network, "create")).status_code == 403


def test_facilitator_creates_a_partnership_with_partners(client, personas):
    """The form creates the partnership with its member partners."""
    ensure_arrangement_types()
    client.force_login(personas.fiona)
    response = client.post(
        url(personas.network, "create"),
        {
            "name": "Berry market network",
            "arrangement": "network",
            "status": "active",
            "partners": ["awi", "bm"],
            "divergence_threshold": "0.5",
            "drop_threshold": "0.5",
            "check_every_months": "6",
        },
    )
    partnership = Partnership.objects.get()
    assert response.status_code == 302
    assert response["Location"] == partnership.get_absolute_url()
    assert partnership.partners.count() == 2


@pytest.mark.parametrize("n", [2, 30])
def test_list_queries_do_not_grow(client, personas, django_assert_num_queries, n):
    """The list issues the same queries with 2 and with 30 partnerships."""
    ensure_arrangement_types()
    kind = ArrangementType.objects.first()
    Partnership.objects.bulk_create(
        Partnership(network=personas.network, name=f"P {i}", arrangement=kind) for i in range(n)
    )
    client.force_login(personas.olga)
    # 5 queries: session, user, network, roles, partnerships with type and partner count.
    with django_assert_num_queries(5):
        response = client.get(url(personas.network))
    assert len(response.context["partnerships"]) == n


def test_overview_counts_contributions_by_sphere(client, personas):
    """Across partnerships, contributions are counted by the partners' sector sphere."""
    partnership = make_partnership(personas.network, personas.org_a, personas.org_b)
    for partner in partnership.partners.all():
        partner.contributions.create(direction="brings", kind="funds")
    client.force_login(personas.sam)
    response = client.get(url(personas.network, "overview"))
    rows = {row.sphere: row for row in response.context["rows"]}
    assert rows["public"].brings == {"funds": 1}  # Beta Ministry: government
    assert rows["civil_society"].brings == {"funds": 1}  # Alpha Water Institute: academia
    assert 'data-chart="chart-spheres"' in response.text
