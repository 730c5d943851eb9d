"""The documents API: search with the pages' filters, detail, upload, download, refusals."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from netweave.core.exports import export_dataset
from netweave.governance.services import create_task_group
from netweave.library.models import Document
from netweave.library.tests.factories import make_document, pdf_upload, text_upload, upload
from netweave.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _api(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def test_search_through_the_api(personas):
    """?q= finds a word inside a PDF; results carry rank and a download link."""
    make_document(personas.network, title="Report", file=pdf_upload("Reservoir sediment"))
    make_document(personas.network, title="Other")
    response = _api(personas.olga).get(
        "/api/v1/documents/", {"network": "testnet", "q": "sediment"}
    )
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["title"] == "Report" and row["rank"] > 0
    assert row["download"].endswith(f"/api/v1/documents/{row['uid']}/download/")


def test_filters_and_visibility_in_the_api(personas):
    """Filters as on the page; task-group documents only for the group."""
    group = create_task_group(personas.network, name="Tariffs", lead=personas.org_b)
    make_document(personas.network, title="Law", kind="legislation")
    make_document(personas.network, title="Group notes", visibility="task_group", task_group=group)
    api = _api(personas.alice)
    titles = {r["title"] for r in api.get("/api/v1/documents/").json()["results"]}
    assert titles == {"Law"}
    titles = {
        r["title"]
        for r in _api(personas.bob).get("/api/v1/documents/", {"kind": "minutes"}).json()["results"]
    }
    assert titles == set()
    assert _api(personas.bob).get("/api/v1/documents/").json()["count"] == 2


def test_other_networks_are_missing(personas):
    """Frank neither lists nor reads this network's documents."""
    document = make_document(personas.network, title="Doc")
    api = _api(personas.frank)
    assert api.get("/api/v1/documents/").json()["count"] == 0
    assert api.get(f"/api/v1/documents/{document.uid}/").status_code == 404
    assert api.get(f"/api/v1/documents/{document.uid}/download/").status_code == 404
    assert api.get("/api/v1/documents/", {"network": "testnet"}).status_code == 404


def test_anonymous_is_refused(personas):
    """No credentials, no documents."""
    assert _api().get("/api/v1/documents/").status_code in (401, 403)


def test_upload_multipart_and_download(personas):
    """A facilitator uploads a file; the download has the pages' safe headers."""
    meeting = MeetingFactory(network=personas.network)
    api = _api(personas.fiona)
    response = api.post(
        "/api/v1/documents/",
        {
            "network": "testnet",
            "title": "Uploaded",
            "kind": "report",
            "file": text_upload("api words", "n.txt"),
            "meetings": [str(meeting.uid)],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["meetings"] == [str(meeting.uid)] and body["text_status"] == "read"
    download = api.get(f"/api/v1/documents/{body['uid']}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == b"api words"


def test_upload_refusals(personas, settings):
    """Wrong type, too large, forged uids and another organisation's authorship: 400 or 403."""
    api = _api(personas.fiona)
    wrong = api.post(
        "/api/v1/documents/",
        {"network": "testnet", "title": "X", "file": upload("a.svg", b"<svg></svg>")},
        format="multipart",
    )
    assert wrong.status_code == 400 and "web page" in str(wrong.json()["file"])
    settings.LIBRARY_MAX_UPLOAD_BYTES = 1024
    big = api.post(
        "/api/v1/documents/",
        {"network": "testnet", "title": "X", "file": text_upload("y" * 5000)},
        format="multipart",
    )
    assert big.status_code == 400 and "the library takes files of up to" in str(big.json())
    other_meeting = MeetingFactory(network=personas.other_network)
    forged = api.post(
        "/api/v1/documents/",
        {
            "network": "testnet",
            "title": "X",
            "url": "https://example.org",
            "meetings": [str(other_meeting.uid)],
        },
        format="multipart",
    )
    assert forged.status_code == 400 and "meetings" in forged.json()
    alice = _api(personas.alice).post(
        "/api/v1/documents/",
        {
            "network": "testnet",
            "title": "X",
            "url": "https://example.org",
            "author_organisation": "bm",
        },
        format="multipart",
    )
    assert alice.status_code == 400 and "author_organisation" in alice.json()
    olga = _api(personas.olga).post(
        "/api/v1/documents/",
        {"network": "testnet", "title": "X", "url": "https://example.org"},
        format="multipart",
    )
    assert olga.status_code == 403
    assert not Document.objects.exists()


def test_update_and_delete(personas):
    """The author organisation's focal point changes and deletes; others may not."""
    document = make_document(personas.network, title="Doc", author_organisation=personas.org_a)
    address = f"/api/v1/documents/{document.uid}/"
    assert _api(personas.bob).patch(address, {"title": "Mine"}).status_code == 403
    response = _api(personas.alice).patch(address, {"title": "Renamed"})
    assert response.status_code == 200 and response.json()["title"] == "Renamed"
    assert _api(personas.alice).delete(address).status_code == 204
    assert not Document.objects.exists()


def test_api_list_query_count_is_constant(personas, django_assert_max_num_queries):
    """The list reads as many queries with 1 as with 30 documents."""
    api = _api(personas.fiona)
    make_document(personas.network, title="Doc 0")
    with django_assert_max_num_queries(8) as small:
        api.get("/api/v1/documents/", {"network": "testnet"})
    for number in range(1, 30):
        make_document(personas.network, title=f"Doc {number}", url=f"https://example.org/{number}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        api.get("/api/v1/documents/", {"network": "testnet"})


def test_export_holds_only_visible_documents(personas):
    """The documents export follows visibility and never includes the extracted text."""
    group = create_task_group(personas.network, name="Tariffs", lead=personas.org_b)
    make_document(personas.network, title="Open", file=text_upload("inner text words"))
    make_document(personas.network, title="Group notes", visibility="task_group", task_group=group)
    data = export_dataset("documents", personas.network, personas.alice, "json").decode()
    assert "Open" in data and "Group notes" not in data and "inner text words" not in data
    data = export_dataset("documents", personas.network, personas.bob, "csv").decode()
    assert "Group notes" in data
