"""The influence mapping API: facilitators write, the steering committee reads, no one else."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from netweave.influence import mapping
from netweave.influence.models import InfluenceAssessment, InfluenceGoal

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_goals_are_hidden_from_focal_points_and_observers(personas):
    goal = mapping.create_goal(personas.network, title="Tariffs", acting_user=personas.fiona)
    for user in (personas.alice, personas.olga, personas.charlie, personas.frank):
        assert api(user).get("/api/v1/influence-goals/").json()["count"] == 0
        assert api(user).get(f"/api/v1/influence-goals/{goal.uid}/").status_code == 404
        assert api(user).get(f"/api/v1/influence-goals/{goal.uid}/stances/").status_code == 404
    assert api(personas.sam).get("/api/v1/influence-goals/").json()["count"] == 1


def test_facilitator_creates_assesses_and_reads_stances(personas):
    client = api(personas.fiona)
    response = client.post("/api/v1/influence-goals/", {"network": "testnet", "title": "Tariffs"})
    assert response.status_code == 201, response.json()
    uid = response.json()["uid"]
    url = f"/api/v1/influence-goals/{uid}/assessments/"
    first = {"organisation": "bm", "influence": 5, "position": -1, "assessed_on": "2014-03-01"}
    assert client.post(url, first, format="json").status_code == 201
    second = {**first, "position": 1, "assessed_on": "2015-03-01"}
    assert client.post(url, second, format="json").status_code == 201
    assert len(client.get(url).json()) == 2
    [stance] = api(personas.sam).get(f"/api/v1/influence-goals/{uid}/stances/").json()
    assert (stance["previous_position"], stance["position"], stance["moved"]) == (-1, 1, True)
    [then] = client.get(f"/api/v1/influence-goals/{uid}/stances/?as_of=2014-12-31").json()
    assert then["position"] == -1 and then["moved"] is False


def test_steering_cannot_write_and_bad_values_are_400(personas):
    goal = mapping.create_goal(personas.network, title="Tariffs", acting_user=personas.fiona)
    url = f"/api/v1/influence-goals/{goal.uid}/assessments/"
    body = {"organisation": "bm", "influence": 5, "position": 0}
    assert api(personas.sam).post(url, body, format="json").status_code == 403
    response = api(personas.fiona).post(url, {**body, "influence": 9}, format="json")
    assert response.status_code == 400 and "influence" in response.json()
    response = api(personas.fiona).post(url, {**body, "organisation": "nowhere"}, format="json")
    assert response.status_code == 400
    assert not InfluenceAssessment.objects.exists()
    assert (
        api(personas.sam)
        .post("/api/v1/influence-goals/", {"network": "testnet", "title": "X"})
        .status_code
        == 403
    )


@pytest.mark.parametrize("n", [1, 30])
def test_list_queries_do_not_grow(personas, django_assert_num_queries, n):
    InfluenceGoal.objects.bulk_create(
        InfluenceGoal(network=personas.network, title=f"Goal {i}") for i in range(n)
    )
    goal = InfluenceGoal.objects.first()
    InfluenceAssessment.objects.create(
        goal=goal,
        organisation=personas.org_a,
        influence=3,
        position=0,
        assessed_on=dt.date(2015, 1, 1),
    )
    # 1 count, 1 page of goals with network and counts
    with django_assert_num_queries(2):
        response = api(personas.fiona).get("/api/v1/influence-goals/")
    assert response.json()["count"] == n
