"""The outcomes API and the outcome export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from rest_framework.test import APIClient

from netweave.core.exports import build_dataset
from netweave.influence.models import Outcome
from netweave.influence.tests.factories import OutcomeFactory
from netweave.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def body(**overrides) -> dict:
    data = {
        "network": "testnet",
        "title": "Targets under the Protocol",
        "description": "The government set national targets.",
        "kind": "policy",
        "actor_name": "Government",
        "date": "2013-05-22",
    }
    data.update(overrides)
    return data


def test_facilitator_creates_an_outcome_with_links(personas):
    """Meetings are given by uid; the answer lists them and has no warnings."""
    meeting = MeetingFactory(network=personas.network)
    response = api(personas.fiona).post(
        "/api/v1/outcomes/", body(meetings=[str(meeting.uid)]), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["meetings"] == [str(meeting.uid)]
    assert response.json()["warnings"] == []
    assert Outcome.objects.get().recorded_by == personas.fiona


def test_early_date_is_recorded_with_a_warning(personas):
    """An outcome before the network existed is saved and the answer carries the warning."""
    response = api(personas.fiona).post("/api/v1/outcomes/", body(date="2005-01-10"), format="json")
    assert response.status_code == 201
    assert "before the network existed" in response.json()["warnings"][0]


def test_future_date_and_forged_meeting_are_refused(personas):
    """A date to come, or a meeting of another network, is a 400 and nothing is saved."""
    client = api(personas.fiona)
    later = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = client.post("/api/v1/outcomes/", body(date=later), format="json")
    assert response.status_code == 400
    assert "future" in response.json()["date"][0]
    foreign = MeetingFactory(network=personas.other_network)
    response = client.post("/api/v1/outcomes/", body(meetings=[str(foreign.uid)]), format="json")
    assert response.status_code == 400
    assert "No meeting of this network" in response.json()["meetings"][0]
    assert not Outcome.objects.exists()


def test_focal_point_cannot_create(personas):
    """A focal point reads outcomes but may not record one."""
    OutcomeFactory(network=personas.network)
    client = api(personas.alice)
    assert client.get("/api/v1/outcomes/").json()["count"] == 1
    assert client.post("/api/v1/outcomes/", body(), format="json").status_code == 403
    assert Outcome.objects.count() == 1


def test_other_networks_facilitator_sees_nothing(personas):
    """Another network's facilitator lists nothing here, gets 404 and cannot post."""
    outcome = OutcomeFactory(network=personas.network)
    client = api(personas.frank)
    assert client.get("/api/v1/outcomes/").json()["count"] == 0
    assert client.get(f"/api/v1/outcomes/{outcome.uid}/").status_code == 404
    assert (
        client.patch(f"/api/v1/outcomes/{outcome.uid}/", {"title": "x"}, format="json").status_code
        == 404
    )
    assert client.post("/api/v1/outcomes/", body(), format="json").status_code == 400


def test_patch_and_filters(personas):
    """The facilitator changes an outcome; the list filters by network, kind and year."""
    outcome = OutcomeFactory(network=personas.network, kind="law", date=dt.date(2010, 6, 1))
    OutcomeFactory(network=personas.network, kind="budget", date=dt.date(2014, 6, 1))
    client = api(personas.fiona)
    response = client.patch(
        f"/api/v1/outcomes/{outcome.uid}/",
        {"substantiation": "yes", "substantiated_by": "UNECE secretariat"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["substantiation"] == "yes"
    listed = client.get("/api/v1/outcomes/", {"network": "testnet", "kind": "budget"}).json()
    assert [row["kind"] for row in listed["results"]] == ["budget"]
    assert client.get("/api/v1/outcomes/", {"year": "2010"}).json()["count"] == 1


@pytest.mark.parametrize("count", [1, 25])
def test_list_query_count_is_constant(personas, count, django_assert_max_num_queries):
    """The API list costs the same for 1 and for 25 outcomes."""
    meetings = [MeetingFactory(network=personas.network) for _ in range(2)]
    for _ in range(count):
        OutcomeFactory(network=personas.network).meetings.set(meetings)
    client = api(personas.sam)
    # count, outcomes with network and actor, five link lists
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/outcomes/").status_code == 200


def test_export_of_outcomes(personas):
    """The outcome export lists the network's outcomes for members, not for outsiders."""
    OutcomeFactory(network=personas.network, title="Tariff methodology")
    OutcomeFactory(network=personas.other_network, title="Elsewhere")
    data = build_dataset("outcomes", personas.network, personas.alice)
    assert [row[data.headers.index("title")] for row in data] == ["Tariff methodology"]
    personas.network.visibility = "public"
    personas.network.save()
    with pytest.raises(PermissionDenied):
        build_dataset("outcomes", personas.network, personas.charlie)


@pytest.mark.parametrize("year", ["28756", "0", "abc"])
def test_outcome_list_refuses_a_year_out_of_range(personas, year):
    client = APIClient()
    client.force_authenticate(personas.fiona)
    response = client.get("/api/v1/outcomes/", {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()
