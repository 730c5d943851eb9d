"""The governance API: scope, the same writes as the pages, and refusals."""

import pytest
from rest_framework.test import APIClient

from netweave.directory.tests.bulk import bulk_members
from netweave.directory.tests.factories import OrganisationFactory
from netweave.governance import services
from netweave.governance.models import MemberRequest, TaskGroup
from netweave.governance.tests.factories import make_group, make_request, pdf

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_requests_scoped_to_triagers_and_own_organisation(personas):
    """Sam lists both requests, Alice AWI's only, Olga and Charlie none."""
    make_request(personas, title="AWI need")
    make_request(personas, title="BM need", organisation=personas.org_b)
    assert api(personas.sam).get("/api/v1/member-requests/").json()["count"] == 2
    mine = api(personas.alice).get("/api/v1/member-requests/").json()
    assert [r["title"] for r in mine["results"]] == ["AWI need"]
    assert api(personas.olga).get("/api/v1/member-requests/").json()["count"] == 0
    assert api(personas.charlie).get("/api/v1/member-requests/").json()["count"] == 0


def test_raise_and_triage_through_the_api(personas):
    """Alice raises; Alice may not triage (403); Sam forms a new task group."""
    created = api(personas.alice).post(
        "/api/v1/member-requests/",
        {"network": "testnet", "organisation": "awi", "title": "Indicators", "urgency": "high"},
        format="json",
    )
    assert created.status_code == 201
    uid = created.json()["uid"]
    triage = f"/api/v1/member-requests/{uid}/triage/"
    refused = api(personas.alice).post(triage, {"decision": "decline", "reason": "x"})
    assert refused.status_code == 403
    done = api(personas.sam).post(triage, {"decision": "form_new"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "accepted"
    assert TaskGroup.objects.get().name == "Indicators"


def test_raise_for_another_organisation_is_a_400(personas):
    """Alice raising in Beta Ministry's name: 400 on organisation, nothing saved."""
    response = api(personas.alice).post(
        "/api/v1/member-requests/",
        {"network": "testnet", "organisation": "bm", "title": "X"},
        format="json",
    )
    assert response.status_code == 400 and "organisation" in response.json()
    assert not MemberRequest.objects.exists()


def test_lead_adds_and_fulfils_a_deliverable(personas, settings, tmp_path):
    """Alice adds a deliverable and uploads a PDF; Bob is refused; it reads as done."""
    settings.MEDIA_ROOT = tmp_path
    group = make_group(personas)
    base = f"/api/v1/task-groups/{group.uid}/deliverables/"
    assert api(personas.bob).post(base, {"title": "X"}, format="json").status_code == 403
    added = api(personas.alice).post(base, {"title": "Model", "due": "2030-01-01"}, format="json")
    assert added.status_code == 201
    fulfil = f"/api/v1/deliverables/{added.json()['uid']}/fulfil/"
    response = api(personas.alice).post(fulfil, {"title": "v1", "file": pdf()}, format="multipart")
    assert response.status_code == 201
    read = api(personas.olga).get(f"/api/v1/deliverables/{added.json()['uid']}/").json()
    assert read["status"] == "done" and read["documents"][0]["file"] == "report.pdf"


def test_close_with_open_deliverables_is_a_409(personas):
    """Closing with an open deliverable answers 409 listing it; confirm closes."""
    group = make_group(personas)
    deliverable = services.add_deliverable(group, title="Report")
    url = f"/api/v1/task-groups/{group.uid}/close/"
    response = api(personas.alice).post(url, {}, format="json")
    assert response.status_code == 409
    assert response.json()["open_deliverables"] == [str(deliverable.uid)]
    assert api(personas.alice).post(url, {"confirm": True}, format="json").status_code == 200


def test_join_and_accept_through_the_api(personas):
    """Bob asks to join, Alice accepts."""
    group = make_group(personas)
    joined = api(personas.bob).post(
        f"/api/v1/task-groups/{group.uid}/join/", {"organisation": "bm"}, format="json"
    )
    assert joined.status_code == 201
    decided = api(personas.alice).post(
        f"/api/v1/task-groups/{group.uid}/decide-join/",
        {"join_request": joined.json()["uid"], "accept": True},
        format="json",
    )
    assert decided.json()["status"] == "accepted"


def test_bodies_and_balance(personas):
    """A body reads with its balance; an outsider sees no bodies."""
    body = services.create_body(
        personas.network, name="SC", kind="steering", quorum=1, sector_mix={"government": 1}
    )
    services.add_seat(body, organisation=personas.org_b, chair=True)
    balance = api(personas.olga).get(f"/api/v1/bodies/{body.uid}/balance/").json()
    assert balance["balanced"] is True and balance["seats"][0]["organisation"] == "bm"
    assert api(personas.charlie).get("/api/v1/bodies/").json()["count"] == 0


@pytest.mark.parametrize("n", [10, 300])
def test_task_group_list_queries_do_not_grow(personas, django_assert_num_queries, n):
    """The task group list costs the same with 10 or 300 groups."""
    orgs = bulk_members(personas.network, n, people_per_org=0)
    TaskGroup.objects.bulk_create(
        TaskGroup(network=personas.network, name=f"G{i}", lead=org) for i, org in enumerate(orgs)
    )
    # count; groups with network and lead; topics; members; deliverables (the groups have
    # none, so their people and documents are not fetched)
    with django_assert_num_queries(5):
        response = api(personas.fiona).get("/api/v1/task-groups/?page_size=500")
    assert response.json()["count"] == n


def test_steering_forms_and_lead_edits_a_task_group(personas):
    """Sam forms a proposed group; Alice's organisation leads it and edits its terms."""
    created = api(personas.sam).post(
        "/api/v1/task-groups/",
        {"network": "testnet", "name": "Water quality", "lead": "awi", "status": "proposed"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["lead"] == "awi" and created.json()["status"] == "proposed"
    address = f"/api/v1/task-groups/{created.json()['uid']}/"
    edited = api(personas.alice).patch(address, {"terms_of_reference": "Protocols."}, "json")
    assert edited.status_code == 200 and edited.json()["terms_of_reference"] == "Protocols."
    refused = api(personas.alice).patch(address, {"status": "active"}, format="json")
    assert refused.status_code == 400 and "status" in refused.json()
    approved = api(personas.sam).patch(address, {"status": "active"}, format="json")
    assert approved.json()["status"] == "active"


def test_task_group_writes_refused_to_others(personas):
    """A focal point cannot form a group; Bob cannot edit Alice's; a non-member lead is a 400."""
    group = make_group(personas)
    assert (
        api(personas.alice)
        .post("/api/v1/task-groups/", {"network": "testnet", "name": "X", "lead": "awi"}, "json")
        .status_code
        == 403
    )
    response = api(personas.bob).patch(f"/api/v1/task-groups/{group.uid}/", {"name": "Y"}, "json")
    assert response.status_code == 403
    OrganisationFactory(slug="outsider")
    response = api(personas.fiona).post(
        "/api/v1/task-groups/", {"network": "testnet", "name": "X", "lead": "outsider"}, "json"
    )
    assert response.status_code == 400 and "lead" in response.json()
    assert TaskGroup.objects.count() == 1
