"""Library pages: list and search, a document's page, upload, edit, delete, attach, download."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netweave.activities.tests.factories import JointActivityFactory
from netweave.governance.services import create_task_group
from netweave.library.models import Document
from netweave.library.tests.factories import (
    docx_upload,
    make_document,
    pdf_upload,
    text_upload,
    upload,
)
from netweave.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _url(name: str, document: Document | None = None, slug: str = "testnet") -> str:
    kwargs = {"network": slug}
    if document is not None:
        kwargs["uid"] = document.uid
    return reverse(f"library:{name}", kwargs=kwargs)


def _form(**overrides):
    data = {"title": "Tariff study", "kind": "report", "visibility": "network"}
    data.update(overrides)
    return data


def _stored(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "library"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# The list ----------------------------------------------------------------------------------
def test_search_box_finds_words_inside_files_with_a_snippet(personas, client):
    """Searching from the page finds a PDF by a word of its text and shows the passage."""
    make_document(
        personas.network, title="Annual report", file=pdf_upload("The chlorination plant")
    )
    make_document(personas.network, title="Unrelated")
    client.force_login(personas.olga)
    response = client.get(_url("list"), {"q": "chlorination"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Annual report" in page and "Unrelated" not in page
    assert "<mark>chlorination</mark>" in page


def test_filters_and_htmx_partial(personas, client):
    """Filters apply; an htmx request gets only the results."""
    make_document(personas.network, title="Law text", kind="legislation")
    make_document(personas.network, title="Report text", kind="report")
    client.force_login(personas.fiona)
    response = client.get(_url("list"), {"kind": "legislation"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Law text" in page and "Report text" not in page
    assert "<html" not in page


def test_odd_queries_do_not_break_the_page(personas, client):
    """Quotes and operators in the search box are just characters."""
    make_document(personas.network, title="Water law")
    client.force_login(personas.fiona)
    for query in ['"', "AND OR (", "NEAR(x y)", "*", "' OR 1=1 --", "x" * 500]:
        assert client.get(_url("list"), {"q": query}).status_code == 200


def _list_queries(client, personas) -> int:
    cache.clear()  # the page built afresh, as after a change
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url("list"), {"q": "water"}).status_code == 200
    return len(queries)


def test_list_query_count_is_constant(personas, client, django_assert_max_num_queries):
    """The search page reads as many queries with 1 as with 30 matching documents."""
    client.force_login(personas.alice)
    make_document(personas.network, title="Water 0", author_organisation=personas.org_a)
    small = _list_queries(client, personas)
    for number in range(1, 30):
        make_document(
            personas.network,
            title=f"Water {number}",
            author_organisation=personas.org_b,
            url=f"https://example.org/{number}",
        )
    # session, user, network, roles, topics and organisations of the filter form,
    # count, page of documents, their topics, snippets.
    assert _list_queries(client, personas) == small
    cache.clear()  # the page built afresh, as after a change
    with django_assert_max_num_queries(12):
        client.get(_url("list"), {"q": "water"})


# Reading one document ---------------------------------------------------------------------
def test_detail_shows_metadata_and_attachments(personas, client):
    """The page shows what the document is, where it is attached, and a download."""
    meeting = MeetingFactory(network=personas.network, title="Roundtable on tariffs")
    document = make_document(
        personas.network,
        title="Study",
        file=pdf_upload("text"),
        author_organisation=personas.org_a,
        date=dt.date(2012, 3, 1),
        meetings=[meeting],
    )
    client.force_login(personas.olga)
    page = client.get(_url("detail", document)).content.decode()
    assert "Roundtable on tariffs" in page
    assert "Alpha Water Institute" in page or "AWI" in page
    assert _url("download", document) in page
    assert "Edit" not in page


def test_task_group_document_is_missing_for_a_non_member(personas, client):
    """A focal point whose organisation is not in the group gets 404, page and file."""
    group = create_task_group(personas.network, name="Tariffs", lead=personas.org_b)
    document = make_document(
        personas.network,
        title="Group only",
        visibility="task_group",
        task_group=group,
        file=text_upload("secret words"),
    )
    client.force_login(personas.alice)
    assert client.get(_url("detail", document)).status_code == 404
    assert client.get(_url("download", document)).status_code == 404
    assert "Group only" not in client.get(_url("list")).content.decode()
    client.force_login(personas.bob)
    assert client.get(_url("detail", document)).status_code == 200
    assert client.get(_url("download", document)).status_code == 200


def test_other_networks_facilitator_gets_404(personas, client):
    """Frank facilitates another network: this library is missing for him."""
    document = make_document(personas.network, title="Doc", visibility="public")
    client.force_login(personas.frank)
    for name in ("detail", "download", "edit", "delete"):
        assert client.get(_url(name, document)).status_code == 404
    # Nor can he reach it through his own network's address.
    assert client.get(_url("detail", document, slug="othernet")).status_code == 404


def test_download_headers_make_a_safe_attachment(personas, client):
    """Attachment with the cleaned name, the checked type, nosniff and a sandbox."""
    document = make_document(
        personas.network,
        title="Doc",
        file=upload('..\\evil"name\r\n.txt', b"just text, nothing else"),
    )
    client.force_login(personas.olga)
    response = client.get(_url("download", document))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "evil_name_.txt" in response["Content-Disposition"]
    assert "\r" not in response["Content-Disposition"]
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(response.streaming_content) == b"just text, nothing else"


def test_media_is_not_served_directly(personas, client):
    """The stored file has no public address under /media/."""
    document = make_document(personas.network, title="Doc", file=text_upload("private"))
    client.force_login(personas.fiona)
    assert client.get("/media/" + document.file.name).status_code == 404


# Adding and changing -----------------------------------------------------------------------
def test_facilitator_uploads_a_pdf_through_the_page(personas, client):
    """The form takes a file; the document page follows, with its text read."""
    client.force_login(personas.fiona)
    response = client.post(
        _url("create"),
        _form(file=pdf_upload("Dushanbe reservoir", "study.pdf"), author_organisation="bm"),
    )
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert "Dushanbe reservoir" in document.text
    assert document.added_by == personas.fiona


def test_wrong_type_gets_a_message_and_nothing_is_stored(personas, client, settings):
    """An HTML file renamed .txt is refused on the form, with the reason."""
    client.force_login(personas.fiona)
    response = client.post(
        _url("create"), _form(file=upload("notes.txt", b"<html><body>hi</body></html>"))
    )
    assert response.status_code == 400
    assert "web page" in response.content.decode()
    assert not Document.objects.exists() and _stored(settings) == []


def test_duplicate_upload_names_the_existing_document(personas, client):
    """The same file twice: the form says under which title it already is."""
    make_document(personas.network, title="Original", file=docx_upload("dup"))
    client.force_login(personas.fiona)
    response = client.post(_url("create"), _form(file=docx_upload("dup", "copy.docx")))
    assert response.status_code == 400
    assert "already in the library as «Original»" in response.content.decode()


def test_broken_pdf_is_kept_and_the_user_is_told(personas, client):
    """The document is added, and a message says its text could not be read."""
    client.force_login(personas.fiona)
    broken = b"%PDF-1.4\n" + b"\x00\xffjunk" * 50
    response = client.post(_url("create"), _form(file=upload("b.pdf", broken)), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert Document.objects.count() == 1
    assert "could not be read" in page or "No text was found" in page


def test_too_large_upload_is_refused_while_it_arrives(personas, client, settings):
    """Over the limit the upload handler drops the file and the form says how big it was."""
    settings.LIBRARY_MAX_UPLOAD_BYTES = 64 * 1024
    client.force_login(personas.fiona)
    response = client.post(_url("create"), _form(file=text_upload("x" * (200 * 1024))))
    assert response.status_code == 400
    assert "the library takes files of up to 0.1 MB" in response.content.decode()
    assert not Document.objects.exists() and _stored(settings) == []


def test_a_50_mb_request_is_refused_cleanly_with_the_default_limit(personas, client, settings):
    """A real 50 MB body with the default 25 MB limit: a clear message, nothing stored."""
    client.force_login(personas.fiona)
    big = upload("big.pdf", b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024))
    response = client.post(_url("create"), _form(file=big))
    assert response.status_code == 400
    page = response.content.decode()
    assert "The file is 50 MB; the library takes files of up to 25 MB." in page
    assert not Document.objects.exists() and _stored(settings) == []


def test_focal_point_uploads_for_own_organisation_only(personas, client):
    """Alice may file Alpha's documents; the form offers only Alpha and refuses Beta."""
    client.force_login(personas.alice)
    form = client.get(_url("create")).context["form"]
    assert list(form.fields["author_organisation"].queryset) == [personas.org_a]
    response = client.post(
        _url("create"), _form(url="https://example.org/a", author_organisation="bm")
    )
    assert response.status_code == 400 and not Document.objects.exists()
    response = client.post(
        _url("create"), _form(url="https://example.org/a", author_organisation="awi")
    )
    assert response.status_code == 302
    assert Document.objects.get().author_organisation == personas.org_a


def test_readers_cannot_add_or_change(personas, client):
    """Observers and the steering committee read; they get 403 on the forms."""
    document = make_document(personas.network, title="Doc", author_organisation=personas.org_b)
    for user in (personas.olga, personas.sam, personas.alice):
        client.force_login(user)
        assert client.get(_url("edit", document)).status_code == 403
        assert client.post(_url("delete", document)).status_code == 403
    for user in (personas.olga, personas.sam):
        client.force_login(user)
        assert client.get(_url("create")).status_code == 403
    assert Document.objects.filter(title="Doc").exists()


def test_edit_and_delete(personas, client, settings, django_capture_on_commit_callbacks):
    """Bob edits Beta's document, then deletes it with its file."""
    document = make_document(
        personas.network, title="Doc", author_organisation=personas.org_b, file=text_upload("t")
    )
    client.force_login(personas.bob)
    response = client.post(_url("edit", document), _form(title="Renamed", author_organisation="bm"))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Renamed" and document.file
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url("delete", document)).status_code == 302
    assert not Document.objects.exists() and _stored(settings) == []


def test_attach_and_detach_through_the_page(personas, client):
    """The facilitator attaches a document to a meeting and takes it off again."""
    document = make_document(personas.network, title="Doc")
    meeting = MeetingFactory(network=personas.network)
    client.force_login(personas.fiona)
    assert client.post(_url("attach", document), {"meeting": meeting.uid}).status_code == 302
    assert list(document.meetings.all()) == [meeting]
    response = client.post(_url("detach", document), {"kind": "meeting", "uid": meeting.uid})
    assert response.status_code == 302 and not document.meetings.exists()
    other = MeetingFactory(network=personas.other_network)
    assert client.post(_url("attach", document), {"meeting": other.uid}).status_code == 400
    response = client.post(_url("detach", document), {"kind": "meeting", "uid": "not-a-uuid"})
    assert response.status_code == 404


def test_upload_with_csrf_enforced(personas):
    """The upload view still checks the CSRF token after putting its size limit first."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.fiona)
    response = client.post(_url("create"), _form(url="https://example.org/x"))
    assert response.status_code == 403
    page = client.get(_url("create"))
    token = page.cookies["csrftoken"].value
    response = client.post(
        _url("create"), _form(url="https://example.org/x", csrfmiddlewaretoken=token)
    )
    assert response.status_code == 302


# The documents section on other pages ------------------------------------------------------
def test_documents_section_on_meeting_task_group_and_activity_pages(personas, client):
    """Each page lists the documents attached to it that the reader may see."""
    meeting = MeetingFactory(network=personas.network, start=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    group = create_task_group(personas.network, name="Tariffs", lead=personas.org_b)
    activity = JointActivityFactory(network=personas.network)
    make_document(
        personas.network,
        title="Shared doc",
        meetings=[meeting],
        task_groups=[group],
        activities=[activity],
    )
    make_document(personas.network, title="Group secret", visibility="task_group", task_group=group)
    pages = [meeting.get_absolute_url(), group.get_absolute_url(), activity.get_absolute_url()]
    client.force_login(personas.alice)
    for address in pages:
        page = client.get(address).content.decode()
        assert "Shared doc" in page, address
        assert "Group secret" not in page, address
    client.force_login(personas.bob)
    assert "Group secret" in client.get(group.get_absolute_url()).content.decode()


def test_detail_query_count_is_constant(personas, client):
    """A document page reads as many queries with 1 as with 20 attachments."""
    few = make_document(
        personas.network, title="Few", meetings=[MeetingFactory(network=personas.network)]
    )
    many = make_document(
        personas.network,
        title="Many",
        url="https://example.org/many",
        meetings=[MeetingFactory(network=personas.network) for _ in range(20)],
    )
    client.force_login(personas.fiona)

    def count(document):
        cache.clear()  # the page built afresh, as after a change
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url("detail", document)).status_code == 200
        return len(queries)

    # session, user, network, roles, document, topics, meetings, task groups, activities,
    # consultations, outcomes, and the attach form's three lists.
    assert count(few) == count(many) <= 16


def test_detail_lists_the_consultations_and_outcomes_it_is_attached_to(personas, client):
    """Consultations and outcomes attach documents from their side; the document's page
    lists them, each as far as the reader may see it."""
    from netweave.consultations.tests.factories import make_consultation
    from netweave.influence.tests.factories import OutcomeFactory

    document = make_document(personas.network, title="Diagnostic")
    make_consultation(personas, title="Open diagnostic", documents=[document])
    make_consultation(personas, title="Draft diagnostic", status="draft", documents=[document])
    outcome = OutcomeFactory(network=personas.network, title="Tariff methodology adopted")
    outcome.evidence_documents.add(document)
    client.force_login(personas.fiona)
    page = client.get(_url("detail", document)).content.decode()
    assert "Open diagnostic" in page and "Draft diagnostic" in page
    assert outcome.get_absolute_url() in page
    client.force_login(personas.alice)
    page = client.get(_url("detail", document)).content.decode()
    assert "Open diagnostic" in page
    assert "Draft diagnostic" not in page
    assert "Tariff methodology adopted" in page
    assert "Not attached to any" not in page
