"""The survey API: rounds, one's own ratings, results and their confidentiality."""

import pytest
from rest_framework.test import APIClient

from netweave.directory.tests.factories import OrganisationFactory
from netweave.networks.tests.factories import MembershipFactory
from netweave.surveys.models import RoundStatus, SurveyRound, TieRating
from netweave.surveys.tests.factories import make_round, rate

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_rounds_are_listed_only_with_a_role(personas):
    make_round(personas.network)
    assert api(personas.charlie).get("/api/v1/survey-rounds/").json()["count"] == 0
    assert api(personas.frank).get("/api/v1/survey-rounds/").json()["count"] == 0
    data = api(personas.olga).get("/api/v1/survey-rounds/?network=testnet").json()
    assert data["count"] == 1 and data["results"][0]["year"] == 2015


def test_facilitator_creates_and_opens_a_round(personas):
    client = api(personas.fiona)
    response = client.post("/api/v1/survey-rounds/", {"network": "testnet", "year": 2016})
    assert response.status_code == 201, response.json()
    uid = response.json()["uid"]
    duplicate = client.post("/api/v1/survey-rounds/", {"network": "testnet", "year": 2016})
    assert duplicate.status_code == 400
    assert "2016" in duplicate.json()["year"][0]
    assert client.post(f"/api/v1/survey-rounds/{uid}/open/").json()["status"] == "open"
    assert client.post(f"/api/v1/survey-rounds/{uid}/open/").status_code == 400


def test_focal_point_cannot_create_or_close(personas):
    survey_round = make_round(personas.network)
    client = api(personas.alice)
    assert (
        client.post("/api/v1/survey-rounds/", {"network": "testnet", "year": 2016}).status_code
        == 403
    )
    assert client.post(f"/api/v1/survey-rounds/{survey_round.uid}/close/").status_code == 403


def test_focal_point_submits_and_reads_own_ratings(personas):
    survey_round = make_round(personas.network)
    url = f"/api/v1/survey-rounds/{survey_round.uid}/my-ratings/"
    body = {
        "organisation": "awi",
        "ratings": [{"rated": "bm", "frequency": 3, "trust": 4, "value": 5, "comment": "ok"}],
    }
    response = api(personas.alice).post(url, body, format="json")
    assert response.status_code == 201, response.json()
    mine = api(personas.alice).get(url).json()
    assert mine["organisation"] == "awi" and mine["responded"] is True
    assert mine["ratings"][0]["rated"] == "bm" and mine["ratings"][0]["trust"] == 4
    body["ratings"] = [{"rated": "bm", "no_tie": True}]
    api(personas.alice).post(url, body, format="json")
    assert not TieRating.objects.exists()


def test_focal_point_cannot_submit_or_read_for_another_organisation(personas):
    """Alice is refused Beta Ministry's answers, reading or writing."""
    survey_round = make_round(personas.network)
    rate(survey_round, personas.org_b, personas.org_a, 1, 1, 1)
    url = f"/api/v1/survey-rounds/{survey_round.uid}/my-ratings/"
    assert api(personas.alice).get(url + "?organisation=bm").status_code == 403
    body = {
        "organisation": "bm",
        "ratings": [{"rated": "awi", "frequency": 5, "trust": 5, "value": 5}],
    }
    assert api(personas.alice).post(url, body, format="json").status_code == 403
    assert TieRating.objects.get().trust == 1


def test_bad_scores_are_a_400_naming_the_organisation(personas):
    survey_round = make_round(personas.network)
    url = f"/api/v1/survey-rounds/{survey_round.uid}/my-ratings/"
    body = {
        "organisation": "awi",
        "ratings": [{"rated": "bm", "frequency": 3, "trust": 7, "value": 5}],
    }
    response = api(personas.alice).post(url, body, format="json")
    assert response.status_code == 400
    assert "Beta Ministry" in str(response.json())
    body["ratings"] = [{"rated": "awi", "frequency": 3, "trust": 3, "value": 3}]
    assert api(personas.alice).post(url, body, format="json").status_code == 400
    body["ratings"] = [{"rated": "nowhere", "frequency": 3, "trust": 3, "value": 3}]
    assert api(personas.alice).post(url, body, format="json").status_code == 400
    assert not TieRating.objects.exists()


def test_closed_round_refuses_ratings(personas):
    survey_round = make_round(personas.network, status=RoundStatus.CLOSED)
    url = f"/api/v1/survey-rounds/{survey_round.uid}/my-ratings/"
    body = {
        "organisation": "awi",
        "ratings": [{"rated": "bm", "frequency": 3, "trust": 3, "value": 3}],
    }
    response = api(personas.alice).post(url, body, format="json")
    assert response.status_code == 400
    assert "closed" in str(response.json())


def test_results_are_confidential_for_focal_points(personas):
    """Steering reads every organisation; Alice only AWI, and its averages from 3 raters on."""
    others = []
    for name in ("Gamma NGO", "Delta Bank"):
        org = OrganisationFactory(name=name)
        MembershipFactory(network=personas.network, organisation=org)
        others.append(org)
    survey_round = make_round(personas.network, status=RoundStatus.CLOSED)
    rate(survey_round, personas.org_b, personas.org_a, 2, 2, 2)
    rate(survey_round, others[0], personas.org_a, 4, 4, 4)
    url = f"/api/v1/survey-rounds/{survey_round.uid}/results/"
    steering = api(personas.sam).get(url).json()
    assert len(steering["organisations"]) == 4
    assert steering["averages"]["trust"] == 3.0
    alice = api(personas.alice).get(url).json()
    assert [o["organisation"] for o in alice["organisations"]] == ["awi"]
    assert alice["organisations"][0]["received"] == 2
    assert alice["organisations"][0]["received_averages"] is None
    assert alice["organisations"][0]["given"] is None
    rate(survey_round, others[1], personas.org_a, 3, 3, 3)
    alice = api(personas.alice).get(url).json()
    assert alice["organisations"][0]["received_averages"]["trust"] == 3.0


def test_trend_by_year(personas):
    rate(
        make_round(personas.network, 2014, status="closed"), personas.org_a, personas.org_b, 2, 2, 2
    )
    rate(
        make_round(personas.network, 2015, status="closed"), personas.org_a, personas.org_b, 4, 4, 4
    )
    data = api(personas.olga).get("/api/v1/survey-rounds/trend/?network=testnet").json()
    assert [(p["year"], p["averages"]["trust"]) for p in data] == [(2014, 2.0), (2015, 4.0)]
    assert (
        api(personas.charlie).get("/api/v1/survey-rounds/trend/?network=testnet").status_code == 404
    )


def test_trend_of_one_organisation(personas):
    """What an organisation received each year: any organisation for facilitators and the
    steering committee; only their own for a focal point, averaged from enough raters."""
    rate(
        make_round(personas.network, 2014, status="closed"), personas.org_a, personas.org_b, 2, 2, 3
    )
    rate(
        make_round(personas.network, 2015, status="closed"), personas.org_a, personas.org_b, 4, 5, 1
    )
    url = "/api/v1/survey-rounds/trend/?network=testnet&organisation=bm"
    for user in (personas.fiona, personas.sam):
        data = api(user).get(url).json()
        assert [(p["year"], p["received"], p["received_averages"]) for p in data] == [
            (2014, 1, {"frequency": 2.0, "trust": 2.0, "value": 3.0}),
            (2015, 1, {"frequency": 4.0, "trust": 5.0, "value": 1.0}),
        ]
    # Beta's focal point: one rater is too few to show the averages.
    data = api(personas.bob).get(url).json()
    assert [(p["received"], p["received_averages"]) for p in data] == [(1, None), (1, None)]
    # Other organisations are refused to focal points and observers.
    assert api(personas.alice).get(url).status_code == 403
    assert api(personas.olga).get(url).status_code == 403
    # Without the parameter the answer is the network's alone.
    plain = api(personas.fiona).get("/api/v1/survey-rounds/trend/?network=testnet").json()
    assert "received" not in plain[0]


@pytest.mark.parametrize("n", [1, 30])
def test_list_queries_do_not_grow(personas, django_assert_num_queries, n):
    SurveyRound.objects.bulk_create(
        SurveyRound(network=personas.network, year=1990 + i) for i in range(n)
    )
    client = api(personas.fiona)
    # 1 count, 1 page of rounds with their network and counts
    with django_assert_num_queries(2):
        response = client.get("/api/v1/survey-rounds/")
    assert response.json()["count"] == n
