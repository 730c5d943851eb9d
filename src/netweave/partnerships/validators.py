"""The written agreement's checks: PDF or Word only, by content as well as by name."""

from __future__ import annotations

import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_AGREEMENT_BYTES = 10 * 1024 * 1024


def agreement_kind(head: bytes, file: Any) -> str | None:
    """``"pdf"`` or ``"docx"`` from the file's content, or ``None`` for anything else."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            file.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
    return None


def validate_agreement_file(file: Any) -> None:
    """Refuse anything but a PDF or a .docx of at most 10 MB, whatever its name says."""
    if not file:
        return
    if file.size is not None and file.size > MAX_AGREEMENT_BYTES:
        raise ValidationError(_("The agreement file is larger than 10 MB."), code="too_large")
    name = (getattr(file, "name", "") or "").lower()
    expected = "pdf" if name.endswith(".pdf") else "docx" if name.endswith(".docx") else None
    if expected is None:
        raise ValidationError(
            _("Upload the agreement as a PDF or a Word (.docx) file."), code="extension"
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if agreement_kind(head, file) != expected:
        raise ValidationError(
            _("The file’s content is not a %(kind)s document.") % {"kind": expected.upper()},
            code="content",
        )
