"""Writes of the library: add, change and delete documents, attach them to the network's work.

Every write is atomic and refuses bad input with ``ValidationError({field: message})``.
When ``acting_user`` is given the service also checks ``permissions.py``
(``PermissionDenied``); ``acting_user=None`` is the system itself (the demo).

An upload is checked completely (size, type by content, duplicate) before anything is
written. The file goes to storage first and the row after it; when the row cannot be
written the stored file is deleted again, so a failure leaves no orphan file. Files of
deleted or replaced documents are removed only once the transaction has committed.

Text is read at once for files up to ``INLINE_EXTRACT_BYTES`` (and PDFs of up to
``INLINE_PDF_PAGES`` pages); larger files are read by a background task
(``tasks.extract_document_text_task``) and show "reading the text" meanwhile.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from netweave.core.access import get_access
from netweave.core.lib.filetypes import ALLOWED, FileTypeError, Sniffed, check_upload
from netweave.library import permissions
from netweave.library.extract import extract_text, pdf_page_count
from netweave.library.models import (
    Document,
    DocumentKind,
    TextStatus,
    Visibility,
    document_upload_to,
)

__all__ = [
    "INLINE_EXTRACT_BYTES",
    "INLINE_PDF_PAGES",
    "add_document",
    "attach_document",
    "delete_document",
    "detach_document",
    "max_upload_bytes",
    "read_document_text",
    "update_document",
]

logger = logging.getLogger("netweave.library")

DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024
# Text is read during the upload only when that is quick: pypdf needs roughly a tenth to a
# fifth of a second per page of text, so PDFs of more than a few pages go to the worker.
INLINE_EXTRACT_BYTES = 2 * 1024 * 1024
INLINE_PDF_PAGES = 8
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
_MB = 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "LIBRARY_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def megabytes(size: int) -> str:
    return f"{size / _MB:.1f}".removesuffix(".0")


def too_large_message(size: int | None) -> str:
    limit = megabytes(max_upload_bytes())
    if size:
        return _("The file is %(size)s MB; the library takes files of up to %(limit)s MB.") % {
            "size": megabytes(size),
            "limit": limit,
        }
    return _("The file is larger than %(limit)s MB, the most the library takes.") % {"limit": limit}


def _check(acting_user: Any, network: Any, allowed: Any) -> Any:
    access = get_access(acting_user, network) if acting_user is not None else None
    if access is not None and not allowed(access):
        raise PermissionDenied
    return access


# Checking ----------------------------------------------------------------------------------
def _sha256(file: Any) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _check_file(network: Any, file: Any, *, exclude: Document | None = None) -> tuple[Sniffed, str]:
    """The checked type and the sha256 of an upload, or a ``ValidationError`` saying why not."""
    size = getattr(file, "size", None)
    if size is not None and size > max_upload_bytes():
        raise ValidationError({"file": too_large_message(size)}, code="too_large")
    try:
        sniffed = check_upload(file, getattr(file, "name", "") or "")
    except FileTypeError as error:
        raise ValidationError({"file": error.message.translate(_)}, code="type") from None
    digest = _sha256(file)
    twins = Document.objects.filter(network=network, sha256=digest)
    if exclude is not None:
        twins = twins.exclude(pk=exclude.pk)
    twin = twins.only("title").first()
    if twin is not None:
        raise ValidationError(
            {"file": _("This file is already in the library as «%(title)s».") % {"title": twin}},
            code="duplicate",
        )
    return sniffed, digest


def _clean_fields(network: Any, access: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """Check and tidy the descriptive fields; refers only to records of ``network``."""
    errors: dict[str, str] = {}
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            errors["title"] = _("Give the document a title.")
    if "kind" in fields and fields["kind"] not in DocumentKind.values:
        errors["kind"] = _("Choose one of the kinds offered.")
    if "language" in fields:
        fields["language"] = (fields["language"] or "").strip()
        if fields["language"] and not _LANGUAGE.match(fields["language"]):
            errors["language"] = _("Give the language as an ISO 639 code such as en, ru or tg.")
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    if "visibility" in fields and fields["visibility"] not in Visibility.values:
        errors["visibility"] = _("Choose who may read the document.")
    group = fields.get("task_group")
    if group is not None and group.network_id != network.pk:
        errors["task_group"] = _("The task group is not one of this network's.")
    if "author_organisation" in fields and access is not None:
        if not permissions.can_author_for(access, fields["author_organisation"]):
            errors["author_organisation"] = _(
                "As a focal point you add documents written by your own organisation: "
                "choose it as the author."
            )
    for name in ("meetings", "task_groups", "activities"):
        items = list(fields.get(name) or [])
        if any(item.network_id != network.pk for item in items):
            errors[name] = _("Documents can only be attached to this network's work.")
        if name in fields:
            fields[name] = items
    if errors:
        raise ValidationError(errors)
    return fields


def _check_visibility(document: Document, access: Any) -> None:
    if document.visibility == Visibility.TASK_GROUP and document.task_group_id is None:
        raise ValidationError({"task_group": _("Choose the task group that may read it.")})
    if document.visibility != Visibility.TASK_GROUP:
        document.task_group = None
    elif access is not None and not (access.is_facilitator or access.is_steering):
        from netweave.library.search import _groups_of

        if not _groups_of(access.focal_org_ids).filter(id=document.task_group_id).exists():
            raise ValidationError({"task_group": _("Your organisation is not in this task group.")})


# Storing ---------------------------------------------------------------------------------
def _store(document: Document, file: Any, sniffed: Sniffed, digest: str) -> str:
    """Write the upload to storage under a name of our own; return that name."""
    assert sniffed.filetype is not None
    file.seek(0)
    name = default_storage.save(
        document_upload_to(document, f"file.{sniffed.filetype.extension}"), file
    )
    document.file.name = name
    document.original_name = (
        (getattr(file, "name", "") or "").replace("\\", "/").rsplit("/")[-1][:255]
    )
    document.content_type = sniffed.filetype.content_type
    document.size = getattr(file, "size", None)
    document.sha256 = digest
    return name


def _read_text_now_or_later(document: Document, file: Any, sniffed: Sniffed) -> bool:
    """Read the text during the upload when the file is small; return True to queue it."""
    code = sniffed.filetype.code if sniffed.filetype else None
    if code not in ("pdf", "docx", "text"):
        document.text, document.text_status = "", TextStatus.NONE
        return False
    heavy = (document.size or 0) > INLINE_EXTRACT_BYTES or (
        code == "pdf" and (pdf_page_count(file) or 0) > INLINE_PDF_PAGES
    )
    if heavy:
        document.text, document.text_status = "", TextStatus.PENDING
        return True
    extracted = extract_text(file, code, sniffed.encoding)
    document.text, document.text_status = extracted.text, extracted.status
    return False


def _queue_reading(document: Document) -> None:
    from netweave.library.tasks import extract_document_text_task

    transaction.on_commit(lambda: extract_document_text_task.enqueue(document.pk))


def _save_row(document: Document, stored_name: str | None, related: dict[str, Any]) -> None:
    """Save the row and its attachments; on failure remove the file just stored."""
    try:
        with transaction.atomic():
            document.save()
            for name, items in related.items():
                getattr(document, name).set(items)
    except IntegrityError as error:
        _remove(stored_name)
        if "sha256" in str(error) or "file_once_per_network" in str(error):
            raise ValidationError(
                {"file": _("This file is already in the library.")}, code="duplicate"
            ) from None
        raise
    except BaseException:
        _remove(stored_name)
        raise


def _remove(name: str | None) -> None:
    if name:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not remove the stored file %s", name)


# Services --------------------------------------------------------------------------------
RELATED = ("topics", "meetings", "task_groups", "activities")


@transaction.atomic
def add_document(
    network: Any,
    *,
    acting_user: Any,
    title: str,
    description: str = "",
    kind: str = DocumentKind.OTHER,
    language: str = "",
    topics: Iterable[Any] = (),
    author_organisation: Any = None,
    date: Any = None,
    file: Any = None,
    url: str = "",
    visibility: str = Visibility.NETWORK,
    task_group: Any = None,
    meetings: Iterable[Any] = (),
    task_groups: Iterable[Any] = (),
    activities: Iterable[Any] = (),
) -> Document:
    """Add an uploaded file or a link to the network's library."""
    access = _check(acting_user, network, permissions.can_add)
    fields = _clean_fields(
        network,
        access,
        {
            "title": title,
            "description": description,
            "kind": kind,
            "language": language,
            "author_organisation": author_organisation,
            "visibility": visibility,
            "task_group": task_group,
            "topics": list(topics or []),
            "meetings": meetings,
            "task_groups": task_groups,
            "activities": activities,
        },
    )
    url = (url or "").strip()
    if bool(file) == bool(url):
        raise ValidationError({"file": _("Upload a file or give a link, one of the two.")})
    related = {name: fields.pop(name) for name in RELATED}
    document = Document(network=network, date=date, url=url, added_by=acting_user, **fields)
    _check_visibility(document, access)
    stored = None
    queue = False
    if file:
        sniffed, digest = _check_file(network, file)
        stored = _store(document, file, sniffed, digest)
        try:
            queue = _read_text_now_or_later(document, file, sniffed)
        except BaseException:
            _remove(stored)
            raise
    _save_row(document, stored, related)
    if queue:
        _queue_reading(document)
    return document


@transaction.atomic
def update_document(
    document: Document, *, acting_user: Any, file: Any = None, **changes: Any
) -> Document:
    """Change a document's description, visibility or attachments, or replace its file.

    ``changes`` holds only the fields to change (those of ``add_document``). A new
    ``file`` replaces the old one, whose stored copy is removed after the commit.
    """
    network = document.network
    access = _check(acting_user, network, lambda a: permissions.can_edit(a, document))
    unknown = set(changes) - {
        "title",
        "description",
        "kind",
        "language",
        "topics",
        "author_organisation",
        "date",
        "url",
        "visibility",
        "task_group",
        *RELATED,
    }
    if unknown:
        raise TypeError(f"update_document() got unexpected fields: {', '.join(sorted(unknown))}")
    fields = _clean_fields(network, access, dict(changes))
    related = {name: fields.pop(name) for name in RELATED if name in fields}
    if "url" in fields:
        fields["url"] = (fields["url"] or "").strip()
        if file and fields["url"]:
            raise ValidationError({"file": _("Upload a file or give a link, one of the two.")})
    for name, value in fields.items():
        setattr(document, name, value)
    if document.url and document.file and not file:
        raise ValidationError({"url": _("This document is a file; upload a new file instead.")})
    if not document.url and not document.file and not file:
        raise ValidationError({"url": _("Give the link to the document.")})
    _check_visibility(document, access)
    old_name = document.file.name if document.file else None
    stored = None
    queue = False
    if file:
        sniffed, digest = _check_file(network, file, exclude=document)
        stored = _store(document, file, sniffed, digest)
        document.url = ""
        try:
            queue = _read_text_now_or_later(document, file, sniffed)
        except BaseException:
            _remove(stored)
            raise
    _save_row(document, stored, related)
    if stored and old_name and old_name != stored:
        transaction.on_commit(lambda: _remove(old_name))
    if queue:
        _queue_reading(document)
    return document


@transaction.atomic
def delete_document(document: Document, *, acting_user: Any) -> None:
    """Delete a document; its stored file goes once the deletion has committed."""
    _check(acting_user, document.network, lambda a: permissions.can_edit(a, document))
    name = document.file.name if document.file else None
    document.delete()
    if name:
        transaction.on_commit(lambda: _remove(name))


def _relation(document: Document, target: Any) -> Any:
    label = target._meta.label_lower
    relations = {
        "meetings.meeting": document.meetings,
        "governance.taskgroup": document.task_groups,
        "activities.jointactivity": document.activities,
    }
    if label not in relations:
        raise ValidationError(_("Documents attach to meetings, task groups and activities."))
    if target.network_id != document.network_id:
        raise ValidationError(_("Documents can only be attached to this network's work."))
    return relations[label]


@transaction.atomic
def attach_document(document: Document, target: Any, *, acting_user: Any) -> None:
    """Attach a document to a meeting, task group or joint activity of its network."""
    _check(acting_user, document.network, lambda a: permissions.can_edit(a, document))
    _relation(document, target).add(target)


@transaction.atomic
def detach_document(document: Document, target: Any, *, acting_user: Any) -> None:
    """Take a document off a meeting, task group or joint activity."""
    _check(acting_user, document.network, lambda a: permissions.can_edit(a, document))
    _relation(document, target).remove(target)


def read_document_text(document_id: int) -> None:
    """Read a stored file's text for search (the background task's work)."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None or not document.file:
        return
    filetype = document.filetype
    code = next((code for code, t in ALLOWED.items() if t is filetype), None)
    try:
        with document.file.open("rb") as handle:
            sniffed = check_upload(handle) if code == "text" else None
            extracted = extract_text(handle, code, sniffed.encoding if sniffed else None)
    except (OSError, FileTypeError):
        logger.warning("stored file of document %s could not be opened", document.uid)
        Document.objects.filter(pk=document_id).update(text_status=TextStatus.FAILED)
        return
    Document.objects.filter(pk=document_id).update(
        text=extracted.text, text_status=extracted.status
    )
