from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from netweave.activities import services
from netweave.activities.models import Contribution, ExchangeRate, JointActivity
from netweave.directory.tests.factories import OrganisationFactory


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def activity(personas):
    return services.create_activity(
        personas.network, kind="research", title="Tariff study", lead=personas.org_a
    )


def test_member_lists_activities_with_participants(api, personas, activity):
    """A member reads the network's activities with their participants."""
    api.force_authenticate(personas.olga)
    response = api.get("/api/v1/activities/", {"network": "testnet"})
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["title"] == "Tariff study"
    assert row["participations"] == [
        {"organisation": "awi", "organisation_name": "Alpha Water Institute", "role": "lead"}
    ]


def test_outsider_sees_no_activities(api, personas, activity):
    """Someone without a role sees nothing of a members-only network; a direct read is 404."""
    api.force_authenticate(personas.charlie)
    assert api.get("/api/v1/activities/").json()["results"] == []
    assert api.get(f"/api/v1/activities/{activity.uid}/").status_code == 404


def test_facilitator_creates_an_activity(api, personas):
    """A facilitator creates an activity with a lead."""
    api.force_authenticate(personas.fiona)
    response = api.post(
        "/api/v1/activities/",
        {"network": "testnet", "kind": "training", "title": "O&M course", "lead": "bm"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["participations"][0]["organisation"] == "bm"


def test_focal_point_cannot_create(api, personas):
    """A focal point gets 403 on create and nothing is saved."""
    api.force_authenticate(personas.alice)
    response = api.post(
        "/api/v1/activities/",
        {"network": "testnet", "kind": "training", "title": "O&M course"},
        format="json",
    )
    assert response.status_code == 403
    assert not JointActivity.objects.exists()


def test_create_with_an_outsider_lead_is_refused(api, personas):
    """A lead outside the network is a 400 on the lead field."""
    outsider = OrganisationFactory(slug="outside")
    api.force_authenticate(personas.fiona)
    response = api.post(
        "/api/v1/activities/",
        {"network": "testnet", "kind": "training", "title": "X", "lead": outsider.slug},
        format="json",
    )
    assert response.status_code == 400
    assert "lead" in response.json()


def test_lead_focal_point_edits_other_does_not(api, personas, activity):
    """The lead's focal point patches the activity; another focal point gets 403."""
    url = f"/api/v1/activities/{activity.uid}/"
    api.force_authenticate(personas.bob)
    assert api.patch(url, {"status": "completed"}, format="json").status_code == 403
    api.force_authenticate(personas.alice)
    response = api.patch(url, {"status": "completed"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "completed"


def test_only_facilitators_delete(api, personas, activity):
    """The lead's focal point may not delete; a facilitator may."""
    url = f"/api/v1/activities/{activity.uid}/"
    api.force_authenticate(personas.alice)
    assert api.delete(url).status_code == 403
    api.force_authenticate(personas.fiona)
    assert api.delete(url).status_code == 204
    assert not JointActivity.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"amount": "-3"}, "amount"),
        ({"amount": "ten"}, "amount"),
        ({"currency": "ABC"}, "currency"),
        ({"organisation": "outside"}, "organisation"),
    ],
)
def test_bad_contribution_is_refused(api, personas, activity, data, field):
    """Bad amounts, currencies and outsiders come back as 400 on the field."""
    OrganisationFactory(slug="outside")
    api.force_authenticate(personas.fiona)
    body = {
        "activity": str(activity.uid),
        "organisation": "bm",
        "amount": "100.00",
        "currency": "EUR",
        "year": 2012,
        **data,
    }
    response = api.post("/api/v1/activity-contributions/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Contribution.objects.exists()


def test_lead_records_a_contribution_other_may_not(api, personas, activity):
    """The lead's focal point records a contribution; another focal point gets 403."""
    body = {
        "activity": str(activity.uid),
        "organisation": "bm",
        "amount": "100.00",
        "currency": "EUR",
        "year": 2012,
    }
    api.force_authenticate(personas.bob)
    assert api.post("/api/v1/activity-contributions/", body, format="json").status_code == 403
    api.force_authenticate(personas.alice)
    response = api.post("/api/v1/activity-contributions/", body, format="json")
    assert response.status_code == 201
    assert response.json()["amount"] == "100.00"


def test_exchange_rates_for_facilitators(api, personas):
    """A facilitator enters a rate; an observer may read but not enter one."""
    body = {"network": "testnet", "year": 2012, "currency": "EUR", "rate": "1.25"}
    api.force_authenticate(personas.olga)
    assert api.post("/api/v1/exchange-rates/", body, format="json").status_code == 403
    api.force_authenticate(personas.fiona)
    assert api.post("/api/v1/exchange-rates/", body, format="json").status_code == 201
    api.force_authenticate(personas.olga)
    assert api.get("/api/v1/exchange-rates/").json()["results"][0]["rate"] == "1.25000000"
    assert ExchangeRate.objects.count() == 1


def test_cofinancing_summary(api, personas, activity):
    """The summary gives the converted totals and the unconverted sums."""
    services.set_exchange_rate(personas.network, year=2012, currency="EUR", rate="1.25")
    services.add_contribution(
        activity, organisation=personas.org_b, amount="800", currency="EUR", year=2012
    )
    services.add_contribution(
        activity, organisation=personas.org_a, amount="5", currency="CHF", year=2013
    )
    api.force_authenticate(personas.sam)
    body = api.get("/api/v1/cofinancing/", {"network": "testnet"}).json()
    assert body["currency"] == "USD"
    assert body["total"] == "1000.00"
    assert body["not_converted"] == {"CHF": "5.00"}
    assert body["missing_rates"] == ["CHF 2013"]
    assert {row["key"]: row["converted"] for row in body["by_sector"]} == {
        "government": "1000.00",
        "academia": "0.00",
    }


def test_cofinancing_refuses_outsiders(api, personas):
    """An outsider gets 404 for the network's summary."""
    api.force_authenticate(personas.charlie)
    assert api.get("/api/v1/cofinancing/", {"network": "testnet"}).status_code == 404


def test_activity_list_query_count_is_constant(api, personas, django_assert_num_queries):
    """The API list takes as many queries with 2 activities as with 60."""
    api.force_authenticate(personas.olga)
    for i in range(2):
        services.create_activity(personas.network, kind="pilot", title=f"A{i}", lead=personas.org_a)
    # 5 queries: the count, the page (with network and task group; visible networks as a
    # subquery), its topics, its participations with organisations, its outputs.
    with django_assert_num_queries(5):
        api.get("/api/v1/activities/")
    for i in range(58):
        services.create_activity(personas.network, kind="pilot", title=f"B{i}", lead=personas.org_b)
    with django_assert_num_queries(5):
        response = api.get("/api/v1/activities/", {"page_size": 100})
    assert response.json()["count"] == 60
