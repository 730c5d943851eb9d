"""Helpers that build library records and real files (PDF, DOCX, text) for tests."""

from __future__ import annotations

import functools
import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from netweave.library import services
from netweave.library.models import Document


@functools.cache
def pdf_bytes(text: str) -> bytes:
    """A real PDF holding ``text``, rendered by WeasyPrint (cached: rendering takes a while)."""
    import weasyprint

    html = "<html><body>" + "".join(f"<p>{line}</p>" for line in text.split("\n")) + "</body>"
    return weasyprint.HTML(string=html).write_pdf()


@functools.cache
def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Table cell"
    table.cell(0, 1).text = "tablecellword"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    # The browser's content type is deliberately wrong: only the content may count.
    return SimpleUploadedFile(name, content, content_type="text/html")


def pdf_upload(text: str = "A report", name: str = "report.pdf") -> SimpleUploadedFile:
    return upload(name, pdf_bytes(text))


def docx_upload(text: str = "A brief", name: str = "brief.docx") -> SimpleUploadedFile:
    return upload(name, docx_bytes(text))


def text_upload(text: str = "Plain notes", name: str = "notes.txt") -> SimpleUploadedFile:
    return upload(name, text.encode("utf-8"))


def make_document(network: Any, **kwargs: Any) -> Document:
    """A document through the service (a link unless a file is given)."""
    kwargs.setdefault("title", "A document")
    if "file" not in kwargs:
        kwargs.setdefault("url", "https://example.org/document")
    return services.add_document(network, acting_user=kwargs.pop("acting_user", None), **kwargs)
