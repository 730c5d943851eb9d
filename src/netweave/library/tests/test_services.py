"""add_document, update_document, delete_document, attach/detach: checks and side effects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError

from netweave.activities.tests.factories import JointActivityFactory
from netweave.governance.services import create_task_group
from netweave.library import services
from netweave.library.models import Document, TextStatus
from netweave.library.tests.factories import (
    docx_bytes,
    make_document,
    pdf_bytes,
    pdf_upload,
    text_upload,
    upload,
    zipped,
)
from netweave.meetings.tests.factories import MeetingFactory
from netweave.networks.stats import BumpOnCommit
from netweave.networks.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "library"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_upload_keeps_the_checked_type_size_hash_and_text(personas, settings):
    """A PDF upload stores its type from the content, its size, sha256 and text."""
    document = make_document(
        personas.network, title="Report", file=pdf_upload("Chlorination works", "r.PDF")
    )
    document.refresh_from_db()
    assert document.content_type == "application/pdf"
    assert document.original_name == "r.PDF"
    assert document.size == len(pdf_bytes("Chlorination works"))
    assert len(document.sha256) == 64
    assert "Chlorination works" in document.text
    assert document.text_status == TextStatus.READ
    # Stored under a name of our own, never the uploader's.
    assert document.file.name == f"library/{personas.network.pk}/{document.uid}.pdf"
    assert _stored_files(settings) == [Path(settings.MEDIA_ROOT) / document.file.name]


def test_a_link_needs_no_file(personas):
    """A link is a document too, with no text to read."""
    document = make_document(personas.network, title="Law", url="https://example.org/law")
    assert document.url and not document.file and document.text_status == TextStatus.NONE


def test_file_and_link_together_or_neither_are_refused(personas):
    """One of the two, a file or a link."""
    with pytest.raises(ValidationError) as caught:
        services.add_document(personas.network, acting_user=None, title="X")
    assert "one of the two" in str(caught.value)
    with pytest.raises(ValidationError):
        services.add_document(
            personas.network,
            acting_user=None,
            title="X",
            url="https://example.org",
            file=text_upload(),
        )


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>", "web page"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "web page"),
        ("setup.exe", b"MZ\x90\x00\x03\x00", "Windows program"),
        ("report.pdf", b"MZ\x90\x00\x03\x00", "Windows program"),
        ("archive.zip", zipped({"a.txt": b"x"}), "zip archive"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 30, ".docx"),
    ],
)
def test_disallowed_types_are_refused_by_content(personas, settings, name, content, says):
    """Whatever its name, a file of a disallowed kind is refused with a specific message."""
    with pytest.raises(ValidationError) as caught:
        make_document(personas.network, title="X", file=upload(name, content))
    assert says in " ".join(caught.value.message_dict["file"])
    assert not Document.objects.exists()
    assert _stored_files(settings) == []


def test_a_mismatched_name_is_refused_with_both_kinds(personas):
    """A Word file named .pdf: the message names what the name says and what it is."""
    with pytest.raises(ValidationError) as caught:
        make_document(personas.network, title="X", file=upload("brief.pdf", docx_bytes("x")))
    message = caught.value.message_dict["file"][0]
    assert "named like a PDF document" in message and "a Word document" in message


def test_too_large_is_refused_before_anything_is_stored(personas, settings):
    """Over LIBRARY_MAX_UPLOAD_BYTES: refused with both sizes, nothing stored."""
    settings.LIBRARY_MAX_UPLOAD_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        make_document(personas.network, title="Big", file=text_upload("x" * (1024 * 1024 + 10)))
    assert "1 MB" in caught.value.message_dict["file"][0]
    assert not Document.objects.exists()
    assert _stored_files(settings) == []


def test_a_duplicate_in_the_same_network_is_refused_by_name(personas, settings):
    """The same bytes again: "already in the library as «…»"; another network may have it."""
    make_document(personas.network, title="First copy", file=text_upload("same", "a.txt"))
    with pytest.raises(ValidationError) as caught:
        make_document(personas.network, title="Again", file=text_upload("same", "b.txt"))
    assert caught.value.message_dict["file"] == [
        "This file is already in the library as «First copy»."
    ]
    assert len(_stored_files(settings)) == 1
    make_document(personas.other_network, title="Elsewhere", file=text_upload("same", "c.txt"))


def test_a_broken_pdf_is_kept_without_text(personas):
    """A PDF whose text cannot be read stays, marked so the reader knows."""
    broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\ngarbage \x00\xff" * 20
    document = make_document(personas.network, title="Broken", file=upload("b.pdf", broken))
    document.refresh_from_db()
    assert document.file and document.text == ""
    assert document.text_status in (TextStatus.FAILED, TextStatus.EMPTY)


def test_a_truncated_docx_is_kept_without_text(personas):
    """A Word file whose document part is not XML: kept, text unread."""
    bad = zipped({"[Content_Types].xml": b"<x", "word/document.xml": b"not xml at all"})
    document = make_document(personas.network, title="Bad", file=upload("b.docx", bad))
    assert document.text_status == TextStatus.FAILED


def test_no_orphan_file_when_the_database_write_fails(personas, settings):
    """The file is removed again when the row cannot be written."""
    with (
        mock.patch.object(Document, "save", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        make_document(personas.network, title="X", file=text_upload("orphan?"))
    assert _stored_files(settings) == []
    assert not Document.objects.exists()


def test_large_files_are_read_in_the_background(
    personas, settings, django_capture_on_commit_callbacks
):
    """Over the inline size the text is read by the task after commit."""
    with mock.patch.object(services, "INLINE_EXTRACT_BYTES", 10):
        with django_capture_on_commit_callbacks(execute=True):
            document = make_document(
                personas.network, title="Big", file=text_upload("background words here")
            )
        assert document.text_status == TextStatus.PENDING
    document.refresh_from_db()
    assert document.text_status == TextStatus.READ
    assert "background words" in document.text


def test_replacing_the_file_removes_the_old_one_after_commit(
    personas, settings, django_capture_on_commit_callbacks
):
    """The new file is read; the old stored file goes once the change has committed."""
    document = make_document(personas.network, title="Doc", file=text_upload("old words"))
    old = Path(settings.MEDIA_ROOT) / document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.update_document(
            document, acting_user=personas.fiona, file=pdf_upload("new words", "n.pdf")
        )
    document.refresh_from_db()
    assert not old.exists()
    assert "new words" in document.text and document.content_type == "application/pdf"
    assert _stored_files(settings) == [Path(settings.MEDIA_ROOT) / document.file.name]


def test_delete_removes_the_file_after_commit(
    personas, settings, django_capture_on_commit_callbacks
):
    """Deleting the document deletes its stored file."""
    document = make_document(personas.network, title="Doc", file=text_upload("bye"))
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_document(document, acting_user=personas.fiona)
    assert not Document.objects.exists() and _stored_files(settings) == []


def test_focal_points_add_documents_of_their_own_organisation(personas):
    """Alice files for Alpha; filing for Beta, or without an author, is refused."""
    mine = make_document(
        personas.network,
        title="Ours",
        author_organisation=personas.org_a,
        acting_user=personas.alice,
    )
    assert mine.added_by == personas.alice
    for org in (personas.org_b, None):
        with pytest.raises(ValidationError) as caught:
            make_document(
                personas.network,
                title="Theirs",
                author_organisation=org,
                acting_user=personas.alice,
            )
        assert "author_organisation" in caught.value.message_dict


def test_who_may_edit(personas):
    """Facilitators edit anything; a focal point their organisation's; others nothing."""
    theirs = make_document(personas.network, title="B's", author_organisation=personas.org_b)
    services.update_document(theirs, acting_user=personas.fiona, title="Renamed")
    services.update_document(theirs, acting_user=personas.bob, description="Ours")
    for user in (personas.alice, personas.sam, personas.olga, personas.charlie, personas.frank):
        with pytest.raises(PermissionDenied):
            services.update_document(theirs, acting_user=user, title="Mine now")
    for user in (personas.sam, personas.olga, personas.charlie, personas.frank):
        with pytest.raises(PermissionDenied):
            make_document(
                personas.network, title="X", author_organisation=personas.org_a, acting_user=user
            )


def test_forged_ids_of_another_network_are_refused(personas):
    """A task group, meeting or activity of another network cannot be used."""
    MembershipFactory(network=personas.other_network, organisation=personas.org_a)
    group = create_task_group(personas.other_network, name="Elsewhere", lead=personas.org_a)
    meeting = MeetingFactory(network=personas.other_network)
    activity = JointActivityFactory(network=personas.other_network)
    with pytest.raises(ValidationError) as caught:
        make_document(personas.network, title="X", visibility="task_group", task_group=group)
    assert "task_group" in caught.value.message_dict
    for name, items in (("meetings", [meeting]), ("activities", [activity])):
        with pytest.raises(ValidationError) as caught:
            make_document(personas.network, title="X", **{name: items})
        assert name in caught.value.message_dict
    document = make_document(personas.network, title="Y")
    with pytest.raises(ValidationError):
        services.attach_document(document, meeting, acting_user=personas.fiona)


def test_a_focal_point_shares_only_with_own_task_groups(personas):
    """Task-group visibility for a group the organisation is not in is refused."""
    group = create_task_group(personas.network, name="Tariffs", lead=personas.org_b)
    with pytest.raises(ValidationError) as caught:
        make_document(
            personas.network,
            title="X",
            author_organisation=personas.org_a,
            visibility="task_group",
            task_group=group,
            acting_user=personas.alice,
        )
    assert caught.value.message_dict["task_group"] == [
        "Your organisation is not in this task group."
    ]


def test_attach_and_detach(personas):
    """A document goes on and off a meeting, a task group and an activity."""
    document = make_document(personas.network, title="Doc", date=dt.date(2012, 1, 1))
    meeting = MeetingFactory(network=personas.network)
    group = create_task_group(personas.network, name="Tariffs", lead=personas.org_a)
    activity = JointActivityFactory(network=personas.network)
    for target in (meeting, group, activity):
        services.attach_document(document, target, acting_user=personas.fiona)
    assert list(document.meetings.all()) == [meeting]
    assert list(document.task_groups.all()) == [group]
    assert list(document.activities.all()) == [activity]
    services.detach_document(document, meeting, acting_user=personas.fiona)
    assert not document.meetings.exists()
    with pytest.raises(PermissionDenied):
        services.detach_document(document, group, acting_user=personas.olga)


def test_bad_fields_are_refused_together(personas):
    """Empty title, unknown kind and a malformed language: every message at once."""
    with pytest.raises(ValidationError) as caught:
        make_document(personas.network, title=" ", kind="novel", language="English")
    assert set(caught.value.message_dict) == {"title", "kind", "language"}


def test_long_pdfs_are_read_in_the_background(personas, django_capture_on_commit_callbacks):
    """A PDF of more pages than INLINE_PDF_PAGES is queued, then read by the task."""
    with mock.patch.object(services, "INLINE_PDF_PAGES", 0):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            document = make_document(
                personas.network, title="Long", file=pdf_upload("Pages of pumps")
            )
        tasks = [c for c in callbacks if not isinstance(c, BumpOnCommit)]  # data versions
        assert document.text_status == TextStatus.PENDING and len(tasks) == 1
    document.refresh_from_db()
    assert document.text_status == TextStatus.READ and "pumps" in document.text
