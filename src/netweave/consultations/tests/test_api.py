"""The consultations API: reads as the pages do, comments and recommendations through services."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from netweave.consultations import services
from netweave.consultations.models import Comment, Recommendation
from netweave.consultations.tests.factories import bank, comment, make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_anonymous_callers_are_refused(api, personas):
    make_consultation(personas)
    for path in ("consultations", "consultation-comments", "consultation-recommendations"):
        assert api.get(f"/api/v1/{path}/").status_code in (401, 403)


def test_consultations_are_listed_by_role(api, personas):
    make_consultation(personas, title="Draft", status="draft")
    make_consultation(personas, title="Open")
    for user, expected in (
        (personas.fiona, {"Draft", "Open"}),
        (personas.alice, {"Open"}),
        (personas.olga, set()),
        (personas.frank, set()),
    ):
        api.force_authenticate(user)
        titles = {row["title"] for row in api.get("/api/v1/consultations/").json()["results"]}
        assert titles == expected, user


def test_a_facilitator_creates_a_consultation(api, personas):
    bank()
    api.force_authenticate(personas.fiona)
    response = api.post(
        "/api/v1/consultations/",
        {
            "network": "testnet",
            "owner": "grdb",
            "title": "Poverty diagnostic",
            "opens": "2015-07-01T09:00:00+05:00",
            "closes": "2015-07-21T18:00:00+05:00",
            "time_zone": "Asia/Dushanbe",
            "sections": [{"heading": "Findings"}, {"heading": "Tariffs", "body": "<p>x</p>"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert [s["heading"] for s in body["sections"]] == ["Findings", "Tariffs"]
    api.force_authenticate(personas.alice)
    response = api.post(
        "/api/v1/consultations/",
        {
            "network": "testnet",
            "owner": "grdb",
            "title": "Mine",
            "opens": "2015-07-01T09:00:00Z",
            "closes": "2015-07-21T18:00:00Z",
            "sections": [{"heading": "A"}],
        },
        format="json",
    )
    assert response.status_code == 403


def test_a_focal_point_comments_through_the_api(api, personas):
    consultation = make_consultation(personas)
    section = consultation.sections.first()
    api.force_authenticate(personas.alice)
    response = api.post(
        "/api/v1/consultation-comments/",
        {"section": str(section.uid), "organisation": "awi", "kind": "concern", "text": "Hm."},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["organisation"] == "awi"
    assert response.json()["consultation"] == str(consultation.uid)
    listed = api.get(f"/api/v1/consultation-comments/?consultation={consultation.uid}").json()
    assert [row["text"] for row in listed["results"]] == ["Hm."]


def test_comment_refusals_through_the_api(api, personas):
    """Another organisation: 403; empty text and a closed consultation: 400 with messages."""
    consultation = make_consultation(personas)
    section = consultation.sections.first()
    api.force_authenticate(personas.alice)
    data = {"section": str(section.uid), "organisation": "bm", "kind": "support", "text": "x"}
    assert api.post("/api/v1/consultation-comments/", data, format="json").status_code == 403
    data["organisation"] = "awi"
    data["text"] = "  "
    response = api.post("/api/v1/consultation-comments/", data, format="json")
    assert response.status_code == 400
    assert response.json()["text"] == ["Write the comment."]
    services.close_consultation(consultation)
    data["text"] = "Late"
    response = api.post("/api/v1/consultation-comments/", data, format="json")
    assert response.status_code == 400
    assert "no longer accepted" in response.json()["text"][0]
    assert not Comment.objects.exists()


def test_a_section_of_another_network_reads_as_missing(api, personas):
    consultation = make_consultation(personas)
    api.force_authenticate(personas.frank)
    response = api.post(
        "/api/v1/consultation-comments/",
        {
            "section": str(consultation.sections.first().uid),
            "organisation": "awi",
            "kind": "support",
            "text": "x",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "section" in response.json()


def test_recommendations_with_support(api, personas):
    consultation = make_consultation(personas)
    a = comment(consultation, personas.org_a)
    b = comment(consultation, personas.org_b)
    api.force_authenticate(personas.fiona)
    response = api.post(
        "/api/v1/consultation-recommendations/",
        {"consultation": str(consultation.uid), "text": "Do it.", "comments": [str(a.uid)]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    services.create_recommendation(consultation, text="Alone.")
    rows = api.get(f"/api/v1/consultation-recommendations/?consultation={consultation.uid}").json()[
        "results"
    ]
    assert rows[0]["support"] == {
        "comments": 1,
        "flagged": False,
        "organisations": ["awi"],
        "sectors": {"academia": 1},
    }
    assert rows[1]["support"]["flagged"] is True
    foreign = comment(make_consultation(personas, title="Other"), personas.org_a)
    response = api.post(
        "/api/v1/consultation-recommendations/",
        {"consultation": str(consultation.uid), "text": "X", "comments": [str(foreign.uid)]},
        format="json",
    )
    assert response.status_code == 400
    api.force_authenticate(personas.alice)
    response = api.post(
        "/api/v1/consultation-recommendations/",
        {"consultation": str(consultation.uid), "text": "X", "comments": [str(b.uid)]},
        format="json",
    )
    assert response.status_code == 403
    assert Recommendation.objects.count() == 2
    # Recommendations are for those who run the consultation until the synthesis is out.
    assert api.get("/api/v1/consultation-recommendations/").json()["results"] == []


@pytest.mark.parametrize("n", [1, 15])
def test_comment_list_queries_do_not_grow(api, personas, django_assert_max_num_queries, n):
    # roles, count, comments with section/consultation/organisation, endorsements
    consultation = make_consultation(personas)
    for _ in range(n):
        made = comment(consultation, personas.org_a)
        services.endorse_comment(made, organisation=personas.org_b)
    api.force_authenticate(personas.alice)
    with django_assert_max_num_queries(5):
        assert api.get("/api/v1/consultation-comments/").status_code == 200
