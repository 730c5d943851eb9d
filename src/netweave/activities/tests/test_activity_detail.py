from __future__ import annotations

import pytest
from django.core.cache import cache

from netweave.activities import services
from netweave.activities.models import Contribution


@pytest.fixture
def activity(personas):
    activity = services.create_activity(
        personas.network, kind="research", title="Tariff study", lead=personas.org_a
    )
    services.set_exchange_rate(personas.network, year=2012, currency="EUR", rate="1.25")
    services.add_contribution(
        activity, organisation=personas.org_b, amount="800", currency="EUR", year=2012
    )
    services.add_contribution(
        activity, organisation=personas.org_a, amount="50", currency="CHF", year=2012
    )
    services.add_activity_output(activity, title="Final report", url="https://example.org/r")
    return activity


def _url(activity) -> str:
    return activity.get_absolute_url()


def test_member_sees_participants_contributions_totals_outputs(client, personas, activity):
    """The page lists participants with roles, contributions, totals and outputs."""
    client.force_login(personas.olga)
    response = client.get(_url(activity))
    assert response.status_code == 200
    text = response.text
    assert "Alpha Water Institute</a> — Lead" in text
    assert "Beta Ministry</a> — Funder" in text
    assert "1000.00" in text  # 800 EUR × 1.25
    assert "50.00 CHF" in text  # no CHF rate for 2012: shown unconverted
    assert "Final report" in text
    assert "Edit activity" not in text


def test_outsider_gets_404(client, personas, activity):
    """Someone without a role in the network cannot see the activity."""
    client.force_login(personas.charlie)
    assert client.get(_url(activity)).status_code == 404


def test_other_networks_facilitator_gets_404(client, personas, activity):
    """A facilitator of another network cannot see it either."""
    client.force_login(personas.frank)
    assert client.get(_url(activity)).status_code == 404


def test_anonymous_on_a_public_network_sees_no_money(client, personas, activity):
    """On a public network anyone reads the activity, but contributions only members."""
    personas.network.visibility = "public"
    personas.network.save()
    response = client.get(_url(activity))
    assert response.status_code == 200
    assert "Tariff study" in response.text
    assert "Contributions" not in response.text


def test_query_count_is_constant(client, personas, activity, django_assert_num_queries):
    """The page takes as many queries with 2 contributions as with 300."""
    client.force_login(personas.fiona)
    # 15 queries: network, session, user, roles, activity (with task group), its topics,
    # participations (with organisations), contributions, reporting currency, rates, the
    # grouped sums, the two forms' member organisations, outputs, the library's documents.
    cache.clear()  # the page built afresh, as after a change
    with django_assert_num_queries(15):
        client.get(_url(activity))
    Contribution.objects.bulk_create(
        Contribution(
            activity=activity, organisation=personas.org_b, amount="1", currency="USD", year=2013
        )
        for _ in range(298)
    )
    cache.clear()  # the page built afresh, as after a change
    with django_assert_num_queries(15):
        response = client.get(_url(activity))
    assert len(response.context["contributions"]) == 300


def test_participants_are_listed_lead_first(client, personas, activity):
    """The lead comes before the co-implementers and funders, whatever the alphabet says."""
    services.add_participation(activity, organisation=personas.org_b, role="co_implementer")
    client.force_login(personas.olga)
    roles = [p.role for p in client.get(_url(activity)).context["participations"]]
    assert roles == ["lead", "co_implementer", "funder"]
