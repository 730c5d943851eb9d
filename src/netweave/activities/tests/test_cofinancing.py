from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from netweave.activities import services
from netweave.activities.models import Contribution
from netweave.directory.models import Organisation
from netweave.networks.models import Membership


def _url(personas) -> str:
    return reverse("activities:cofinancing", kwargs={"network": personas.network.slug})


@pytest.fixture
def funded(personas):
    activity = services.create_activity(
        personas.network, kind="research", title="Tariff study", lead=personas.org_a
    )
    services.set_exchange_rate(personas.network, year=2012, currency="EUR", rate="1.25")
    services.add_contribution(
        activity, organisation=personas.org_a, amount="1000", currency="USD", year=2012
    )
    services.add_contribution(
        activity, organisation=personas.org_b, amount="800", currency="EUR", year=2012
    )
    services.add_contribution(
        activity, organisation=personas.org_b, amount="300", currency="TJS", year=2012
    )
    return activity


def test_summary_shows_chart_and_table_with_the_same_numbers(client, personas, funded):
    """The bar chart and the sector table carry the same converted totals."""
    client.force_login(personas.sam)
    response = client.get(_url(personas))
    assert response.status_code == 200
    figure = response.context["figure"]
    assert sorted(figure["data"][0]["y"]) == ["1000.00", "1000.00"]
    text = response.text
    assert 'data-chart="chart-cofinancing"' in text
    assert json.dumps(figure["data"][0]["y"]) in text  # json_script of the same numbers
    assert "300.00 TJS" in text  # no TJS rate: not converted
    assert "2000.00" in text  # overall
    assert "Tariff study" in text


@pytest.mark.parametrize("persona", ["charlie", "frank"])
def test_outsiders_get_404(client, personas, funded, persona):
    """People without a role in the network do not see it at all."""
    client.force_login(getattr(personas, persona))
    assert client.get(_url(personas)).status_code == 404


def test_anonymous_on_a_public_network_is_refused(client, personas, funded):
    """Money is for members: an anonymous reader of a public network gets 403."""
    personas.network.visibility = "public"
    personas.network.save()
    assert client.get(_url(personas)).status_code == 403


def test_query_count_is_constant(client, personas, funded, django_assert_num_queries):
    """The summary takes as many queries with 3 contributions as with 500 from 500 members."""
    client.force_login(personas.olga)
    # 13 queries: network, session, user, roles, then three times reporting currency,
    # rates and grouped sums (by sector, by organisation, by funder and activity).
    cache.clear()  # the page built afresh, as after a change
    with django_assert_num_queries(13):
        client.get(_url(personas))
    sector = personas.org_a.sector
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Org {i}", slug=f"org-{i}", sector=sector) for i in range(500)
    )
    Membership.objects.bulk_create(
        Membership(network=personas.network, organisation=o, joined="2010-01-01") for o in orgs
    )
    Contribution.objects.bulk_create(
        Contribution(activity=funded, organisation=o, amount="2", currency="USD", year=2012)
        for o in orgs
    )
    cache.clear()  # the page built afresh, as after a change
    with django_assert_num_queries(13):
        response = client.get(_url(personas))
    assert len(response.context["by_organisation"].rows) == 502
