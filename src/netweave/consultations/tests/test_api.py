"""The consultations API: reads as the pages do, comments and recommendations through services."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from netweave.consultations import services
from netweave.consultations.models import Comment, Recommendation
from netweave.consultations.tests.factories import bank, comment, make_consultation
from netweave.networks.tests.factories import MembershipFactory, RoleFactory, UserFactory

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


def test_a_consultation_runs_end_to_end_through_the_api(api, personas):
    """Draft → open → comments and an endorsement → close → synthesis with dissent →
    publish → the owner's response → the feedback as PDF and DOCX, all through the API."""
    import datetime as dt

    from django.utils import timezone

    from netweave.consultations.models import Consultation
    from netweave.governance.services import create_task_group
    from netweave.library.tests.factories import make_document

    owner = bank()
    group = create_task_group(personas.network, name="Tariffs", lead=personas.org_a)
    document = make_document(personas.network, title="Poverty diagnostic draft")
    now = timezone.now()
    api.force_authenticate(personas.fiona)
    response = api.post(
        "/api/v1/consultations/",
        {
            "network": "testnet",
            "owner": "grdb",
            "title": "Poverty diagnostic",
            "opens": (now - dt.timedelta(hours=1)).isoformat(),
            "closes": (now + dt.timedelta(days=7)).isoformat(),
            "audience": "task_groups",
            "task_groups": [str(group.uid)],
            "documents": [str(document.uid)],
            "sections": [{"heading": "Findings"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["task_groups"] == [str(group.uid)]
    assert body["documents"] == [str(document.uid)]
    uid = body["uid"]
    # Only the lead organisation of the task group is invited: opening works.
    response = api.post(f"/api/v1/consultations/{uid}/open/")
    assert response.status_code == 200, response.json()
    assert response.json()["phase"] == "open"
    assert api.post(f"/api/v1/consultations/{uid}/open/").json() == {
        "status": ["Only a draft can be opened."]
    }
    consultation = Consultation.objects.get(uid=uid)
    consultation.audience = "all"
    consultation.save()
    section = consultation.sections.get()
    ids = {}
    for user, slug in ((personas.alice, "awi"), (personas.bob, "bm")):
        api.force_authenticate(user)
        response = api.post(
            "/api/v1/consultation-comments/",
            {"section": str(section.uid), "organisation": slug, "kind": "concern", "text": slug},
            format="json",
        )
        assert response.status_code == 201, response.json()
        ids[slug] = response.json()["uid"]
    # Bob endorses Alice's comment, not for another organisation, not twice.
    endorse = f"/api/v1/consultation-comments/{ids['awi']}/endorse/"
    assert api.post(endorse, {"organisation": "awi"}, format="json").status_code == 403
    response = api.post(endorse, {"organisation": "bm"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["endorsed_by"] == ["bm"]
    response = api.post(endorse, {"organisation": "bm"}, format="json")
    assert response.status_code == 400
    assert "already endorses" in response.json()["organisation"][0]
    assert api.delete(endorse, {"organisation": "bm"}, format="json").json()["endorsed_by"] == []
    api.post(endorse, {"organisation": "bm"}, format="json")
    # A focal point cannot close it; the facilitator can.
    assert api.post(f"/api/v1/consultations/{uid}/close/").status_code == 403
    api.force_authenticate(personas.fiona)
    assert api.post(f"/api/v1/consultations/{uid}/close/").json()["phase"] == "closed"
    api.force_authenticate(personas.bob)
    response = api.post(
        "/api/v1/consultation-comments/",
        {"section": str(section.uid), "organisation": "bm", "kind": "support", "text": "Late"},
        format="json",
    )
    assert response.status_code == 400
    assert "no longer accepted" in response.json()["text"][0]
    api.force_authenticate(personas.fiona)
    # Publishing needs a recommendation.
    response = api.post(f"/api/v1/consultations/{uid}/publish/", {}, format="json")
    assert response.json() == {"status": ["Write at least one recommendation first."]}
    response = api.post(
        "/api/v1/consultation-recommendations/",
        {"consultation": uid, "text": "Count schools.", "comments": [ids["awi"]]},
        format="json",
    )
    rec = response.json()["uid"]
    dissent = f"/api/v1/consultation-recommendations/{rec}/dissent/"
    response = api.post(dissent, {"organisation": "bm", "note": "Too costly."}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["dissents"] == [{"organisation": "bm", "note": "Too costly."}]
    assert response.json()["support"]["organisations"] == ["awi", "bm"]
    response = api.post(dissent, {"organisation": "grdb"}, format="json")
    assert response.status_code == 400  # the owner is not invited
    respond = f"/api/v1/consultation-recommendations/{rec}/response/"
    response = api.post(respond, {"response": "taken_up"}, format="json")
    assert response.json() == {"response": ["The owner answers once the synthesis is published."]}
    response = api.post(f"/api/v1/consultations/{uid}/publish/", {"note": "Two members."})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "published"
    assert Consultation.objects.get(uid=uid).synthesis_note == "Two members."
    # The owner's focal point answers; another focal point cannot.
    owner_user = UserFactory(username="grace")
    MembershipFactory(network=personas.network, organisation=owner)
    RoleFactory(user=owner_user, network=personas.network, kind="focal_point", organisation=owner)
    api.force_authenticate(personas.alice)
    assert api.post(respond, {"response": "taken_up"}, format="json").status_code == 403
    api.force_authenticate(owner_user)
    response = api.post(respond, {"response": "partly", "note": "Schools only."}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["response"] == "partly"
    # The coordinated feedback as files, for whoever reads the published synthesis.
    api.force_authenticate(personas.olga)
    pdf = api.get(f"/api/v1/consultations/{uid}/feedback-pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment;")
    docx = api.get(f"/api/v1/consultations/{uid}/feedback-docx/")
    assert docx.status_code == 200
    assert docx.content.startswith(b"PK")
    api.force_authenticate(personas.frank)
    assert api.get(f"/api/v1/consultations/{uid}/feedback-pdf/").status_code == 404


def test_the_feedback_of_an_unpublished_consultation_is_missing_for_members(api, personas):
    consultation = make_consultation(personas)
    api.force_authenticate(personas.alice)
    url = f"/api/v1/consultations/{consultation.uid}/feedback-docx/"
    assert api.get(url).status_code == 404
    api.force_authenticate(personas.fiona)
    assert api.get(url).status_code == 200


def test_unknown_task_groups_and_documents_are_refused_and_nothing_is_saved(api, personas):
    import uuid

    from netweave.consultations.models import Consultation
    from netweave.library.tests.factories import make_document

    bank()
    foreign = make_document(personas.other_network, title="Elsewhere")
    api.force_authenticate(personas.fiona)
    data = {
        "network": "testnet",
        "owner": "grdb",
        "title": "X",
        "opens": "2030-07-01T09:00:00Z",
        "closes": "2030-07-21T18:00:00Z",
        "sections": [{"heading": "A"}],
    }
    response = api.post(
        "/api/v1/consultations/", {**data, "documents": [str(foreign.uid)]}, format="json"
    )
    assert response.status_code == 400
    assert "documents" in response.json()
    response = api.post(
        "/api/v1/consultations/",
        {**data, "audience": "task_groups", "task_groups": [str(uuid.uuid4())]},
        format="json",
    )
    assert response.status_code == 400
    assert "task_groups" in response.json()
    response = api.post(
        "/api/v1/consultations/", {**data, "audience": "task_groups"}, format="json"
    )
    assert response.json() == {"task_groups": ["Choose at least one task group to invite."]}
    assert not Consultation.objects.exists()
