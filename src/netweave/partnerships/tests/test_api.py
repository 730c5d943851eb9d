"""The partnerships API: scope, anonymity of health answers, and refusals."""

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from netweave.directory.tests.factories import OrganisationFactory
from netweave.partnerships.models import HealthResponse, Placement
from netweave.partnerships.tests.factories import answers, make_partnership, make_round

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_list_is_scoped_to_networks_with_a_role(personas):
    """An outsider lists nothing; an observer lists the network's partnerships."""
    make_partnership(personas.network, personas.org_a)
    assert api(personas.charlie).get("/api/v1/partnerships/").json()["count"] == 0
    data = api(personas.olga).get("/api/v1/partnerships/").json()
    assert data["count"] == 1
    assert data["results"][0]["partners"][0]["organisation"] == "awi"


def test_health_means_hidden_below_three_answers(personas):
    """Two answers: means are null; three: averages per dimension, never single answers."""
    partnership = make_partnership(personas.network, personas.org_a)
    answers(make_round(partnership), [(1, 1, 1, 1, 1), (5, 5, 5, 5, 5)])
    url = f"/api/v1/partnerships/{partnership.uid}/health/"
    first = api(personas.fiona).get(url).json()[0]
    assert first["shown"] is False and first["answers"] == 2
    assert set(first["means"].values()) == {None}
    answers(
        make_round(partnership, dt.date(2024, 3, 1), dt.date(2024, 3, 31)),
        [(4, 4, 4, 4, 4), (3, 3, 3, 3, 3), (5, 5, 5, 5, 5)],
    )
    second = api(personas.fiona).get(url).json()[1]
    assert second["shown"] is True and second["means"]["trust"] == 4.0
    assert "comments" not in str(api(personas.fiona).get(url).json())


@time_machine.travel(dt.datetime(2024, 1, 10, 12, tzinfo=dt.UTC), tick=False)
def test_answer_out_of_range_and_twice_is_refused(personas):
    """A score of 7 is a 400 on that field; a second answer is a 400; one row is kept."""
    partnership = make_partnership(personas.network, personas.org_a)
    health_round = make_round(partnership)
    url = f"/api/v1/partnerships/{partnership.uid}/answer/"
    body = {
        "round": str(health_round.uid),
        "trust": 4,
        "value": 4,
        "communication": 4,
        "equity": 4,
        "purpose": 4,
    }
    response = api(personas.alice).post(url, {**body, "trust": 7}, format="json")
    assert response.status_code == 400 and "trust" in response.json()
    assert api(personas.alice).post(url, body, format="json").status_code == 201
    response = api(personas.alice).post(url, body, format="json")
    assert response.status_code == 400
    assert HealthResponse.objects.count() == 1
    # Bob's organisation is not a partner: refused.
    assert api(personas.bob).post(url, body, format="json").status_code == 403


def test_placement_rules(personas):
    """Off-axis values are a 400; a focal point may not place for another organisation."""
    partnership = make_partnership(personas.network, personas.org_a, personas.org_b)
    a = partnership.partners.get(organisation=personas.org_a)
    url = f"/api/v1/partnerships/{partnership.uid}/placements/"
    response = api(personas.alice).post(
        url,
        {"partner": str(a.uid), "service_policy": "2", "regulation_innovation": "0"},
        format="json",
    )
    assert response.status_code == 400 and "service_policy" in response.json()
    response = api(personas.bob).post(
        url,
        {"partner": str(a.uid), "service_policy": "0", "regulation_innovation": "0"},
        format="json",
    )
    assert response.status_code == 403
    response = api(personas.alice).post(
        url,
        {"partner": str(a.uid), "service_policy": "0.5", "regulation_innovation": "-0.5"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["points"][0]["x"] == 0.5
    assert Placement.objects.count() == 1


def test_create_refuses_a_non_member_partner(personas):
    """Creating with a partner outside the network is a 400 and creates nothing."""
    OrganisationFactory(slug="elsewhere")
    body = {
        "network": "testnet",
        "name": "X",
        "arrangement": "alliance",
        "partner_organisations": ["awi", "elsewhere"],
    }
    make_partnership(personas.network, name="Existing")  # seeds the arrangement types
    response = api(personas.fiona).post("/api/v1/partnerships/", body, format="json")
    assert response.status_code == 400
    assert "partners" in response.json()
    assert api(personas.alice).post("/api/v1/partnerships/", body, format="json").status_code == 403


@pytest.mark.parametrize("n", [2, 30])
def test_api_list_queries_do_not_grow(personas, django_assert_num_queries, n):
    """The API list issues the same queries with 2 and with 30 partners."""
    from netweave.networks.tests.helpers import bulk_members

    make_partnership(personas.network, *bulk_members(personas.network, n))
    # 4 queries: count, partnerships with network and type, partners with organisations
    # and sectors, their contributions.
    with django_assert_num_queries(4):
        response = api(personas.fiona).get("/api/v1/partnerships/")
    assert len(response.json()["results"][0]["partners"]) == n
