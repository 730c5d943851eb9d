"""/api/v1/networks/{slug}/analysis/: who may read it, its answers and its errors."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from rest_framework.test import APIClient

from netweave.analysis import services
from netweave.meetings.tests.factories import AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/networks/testnet/analysis/"
STATUS_URL = "/api/v1/networks/testnet/analysis/status/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    services.analysis_cache().clear()
    yield
    services.analysis_cache().clear()


@pytest.fixture
def met(personas):
    """Alice's and Bob's organisations met once."""
    meeting = MeetingFactory(
        network=personas.network, start=dt.datetime(2020, 5, 1, 9, tzinfo=dt.UTC)
    )
    AttendanceFactory(meeting=meeting, person=personas.person_a)
    AttendanceFactory(meeting=meeting, person=personas.person_b)
    return personas


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", {401, 403}),
        ("outsider", {404}),
        ("other_facilitator", {404}),
        ("observer", {403}),
        ("focal_point", {403}),
        ("steering", {200}),
        ("facilitator", {200}),
    ],
)
@pytest.mark.parametrize("url", [URL, STATUS_URL])
def test_who_may_read_the_analysis(met, role, expected, url):
    """Facilitators and the steering committee read it; members with other roles are
    refused, people outside the network do not see that it exists."""
    response = client_for(met.by_role()[role]).get(url)
    assert response.status_code in expected


def test_the_analysis_json(met):
    """The analysis of DESIGN.md, with the two organisations linked by one meeting."""
    response = client_for(met.fiona).get(URL, {"graph": "attendance", "year": "2020"})
    assert response.status_code == 200
    body = response.json()
    assert body["network"] == "testnet" and body["level"] == "organisation"
    assert body["edges"] == 1 and body["density"] == 1.0
    assert {node["id"] for node in body["nodes"]} == {met.org_a.pk, met.org_b.pk}
    assert body["params"] == {
        "level": "organisation",
        "graph": "attendance",
        "since": "2020-01-01",
        "until": "2020-12-31",
    }


def test_person_level(met):
    body = client_for(met.sam).get(URL, {"level": "person"}).json()
    assert {node["id"] for node in body["nodes"]} == {met.person_a.pk, met.person_b.pk}
    assert body["nodes"][0]["events"] == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "May 2020"}, "since must be a date"),
        ({"graph": "rumours"}, "Unknown graph source"),
        ({"level": "person", "graph": "survey"}, "Not available at person level"),
    ],
)
def test_bad_parameters_are_a_400(met, query, message):
    response = client_for(met.fiona).get(URL, query)
    assert response.status_code == 400
    assert message in " ".join(response.json()["non_field_errors"])


def test_a_running_computation_answers_202_and_wait_computes(met, settings):
    """A large network is queued (202 with progress); ?wait=1 computes it in the request."""
    settings.ANALYSIS_INLINE_MAX_ROWS = 0
    client = client_for(met.fiona)
    with mock.patch("netweave.analysis.tasks.analyse_network_task") as queue:
        response = client.get(URL)
        status = client.get(STATUS_URL)
    queue.enqueue.assert_called_once()
    assert response.status_code == 202
    assert response.json() == {"status": "queued", "progress": 0.0, "error": ""}
    assert status.status_code == 202
    waited = client.get(URL, {"wait": "1"})
    assert waited.status_code == 200 and waited.json()["edges"] == 1
    assert client.get(STATUS_URL).json()["status"] == "ready"


def test_a_failed_computation_answers_503(met, settings):
    settings.ANALYSIS_INLINE_MAX_ROWS = 0
    with mock.patch.object(services, "analyse_network", side_effect=RuntimeError("no memory")):
        response = client_for(met.fiona).get(URL)
    assert response.status_code == 503
    assert response.json()["error"] == "no memory"


def test_cached_answer_queries(met, django_assert_max_num_queries):
    """Once cached: session user's roles, the network, the data version."""
    client = client_for(met.fiona)
    client.get(URL)
    with django_assert_max_num_queries(3):
        assert client.get(URL).status_code == 200
