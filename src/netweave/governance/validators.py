"""A deliverable's document: PDF, Word, Excel or OpenDocument text, checked by content.

Built on the partnership agreement's check (``partnerships.validators.agreement_kind``),
which recognises PDF and .docx; this adds .xlsx and .odt and a larger size limit.
"""

from __future__ import annotations

import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from netweave.partnerships.validators import agreement_kind

MAX_DOCUMENT_BYTES = 25 * 1024 * 1024
EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".odt": "odt"}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def document_kind(file: Any) -> str | None:
    """``pdf``, ``docx``, ``xlsx`` or ``odt`` from the file's content, or ``None``."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    kind = agreement_kind(head, file)
    if kind or not head.startswith(b"PK\x03\x04"):
        return kind
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    if mimetype == ODT_MIMETYPE:
        return "odt"
    return None


def validate_deliverable_file(file: Any) -> None:
    """Refuse anything but PDF, .docx, .xlsx or .odt of at most 25 MB, whatever its name."""
    if not file:
        return
    if file.size is not None and file.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("The file is larger than 25 MB."), code="too_large")
    name = (getattr(file, "name", "") or "").lower()
    expected = next((kind for ext, kind in EXTENSIONS.items() if name.endswith(ext)), None)
    if expected is None:
        raise ValidationError(
            _("Upload a PDF, Word (.docx), Excel (.xlsx) or OpenDocument (.odt) file."),
            code="extension",
        )
    if document_kind(file) != expected:
        raise ValidationError(
            _("The file’s content is not a %(kind)s document.") % {"kind": expected.upper()},
            code="content",
        )
