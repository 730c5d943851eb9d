from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from netweave.activities import services
from netweave.activities.models import ExchangeRate


def _url(personas) -> str:
    return reverse("activities:rates", kwargs={"network": personas.network.slug})


def test_facilitator_enters_a_rate(client, personas):
    """A facilitator enters a year's rate and sees it listed."""
    client.force_login(personas.fiona)
    response = client.post(_url(personas), {"year": "2012", "currency": "TJS", "rate": "0.21"})
    assert response.status_code == 302
    assert ExchangeRate.objects.get().rate == Decimal("0.21")
    assert "0.21" in client.get(_url(personas)).text


def test_facilitator_sets_the_reporting_currency(client, personas):
    """A facilitator changes the reporting currency."""
    client.force_login(personas.fiona)
    response = client.post(_url(personas), {"reporting": "1", "currency": "EUR"})
    assert response.status_code == 302
    assert services.reporting_currency_of(personas.network) == "EUR"


def test_a_zero_rate_is_refused(client, personas):
    """A rate of zero is refused with a message on the field."""
    client.force_login(personas.fiona)
    response = client.post(_url(personas), {"year": "2012", "currency": "EUR", "rate": "0"})
    assert response.status_code == 400
    assert "greater than zero" in response.text
    assert not ExchangeRate.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "sam", "olga"])
def test_only_facilitators_manage_rates(client, personas, persona):
    """Members without the facilitator role get 403."""
    client.force_login(getattr(personas, persona))
    assert client.get(_url(personas)).status_code == 403
    response = client.post(_url(personas), {"year": "2012", "currency": "EUR", "rate": "1"})
    assert response.status_code == 403
    assert not ExchangeRate.objects.exists()


def test_outsider_gets_404(client, personas):
    """Someone without a role in the network gets 404."""
    client.force_login(personas.frank)
    assert client.get(_url(personas)).status_code == 404


def test_query_count_is_constant(client, personas, django_assert_num_queries):
    """The rates page takes as many queries with 2 rates as with 300."""
    client.force_login(personas.fiona)
    ExchangeRate.objects.bulk_create(
        ExchangeRate(network=personas.network, year=2000 + i, currency="EUR", rate="1.1")
        for i in range(2)
    )
    # 6 queries: network, session, user, roles, reporting currency, rates.
    cache.clear()  # the page built afresh, as after a change
    with django_assert_num_queries(6):
        assert client.get(_url(personas)).status_code == 200
    ExchangeRate.objects.bulk_create(
        ExchangeRate(network=personas.network, year=1901 + i, currency="CHF", rate="0.9")
        for i in range(298)
    )
    cache.clear()  # the page built afresh, as after a change
    with django_assert_num_queries(6):
        response = client.get(_url(personas))
    assert len(response.context["rates"]) == 300
