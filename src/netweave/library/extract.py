"""The text of an uploaded file, for search: PDF (pypdf), Word (python-docx), plain text.

``extract_text(data, filetype_code, encoding)`` never raises for a bad file: a damaged,
encrypted or hostile file gives ``Extracted(status=FAILED)`` and the document is kept
without text. Other kinds (images, spreadsheets, presentations) have no text to read
(``NONE``). The text is cut at ``MAX_TEXT_CHARS``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import IO

import charset_normalizer

from netweave.library.models import TextStatus

logger = logging.getLogger("netweave.library")

MAX_TEXT_CHARS = 2_000_000
MAX_PDF_PAGES = 2_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Extracted:
    status: str
    text: str = ""


def _clean(text: str) -> str:
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()[:MAX_TEXT_CHARS]


def _pdf_text(data: IO[bytes]) -> str:
    from pypdf import PdfReader

    reader = PdfReader(data, strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("encrypted PDF")
    parts: list[str] = []
    size = 0
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES or size > MAX_TEXT_CHARS:
            break
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
    return "\n\n".join(parts)


def pdf_page_count(data: IO[bytes]) -> int | None:
    """How many pages a PDF has (reading only its structure), or ``None`` if unreadable."""
    from pypdf import PdfReader

    try:
        data.seek(0)
        return len(PdfReader(data, strict=False).pages)
    except Exception:  # noqa: BLE001 — a damaged PDF may fail in any way; reading will tell
        return None
    finally:
        data.seek(0)


def _docx_text(data: IO[bytes]) -> str:
    import docx

    document = docx.Document(data)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _plain_text(data: IO[bytes], encoding: str | None) -> str:
    raw = data.read(MAX_TEXT_CHARS * 4)
    if encoding:
        return raw.decode(encoding, errors="replace")
    best = charset_normalizer.from_bytes(raw).best()
    return str(best) if best is not None else raw.decode("utf-8", errors="replace")


def extract_text(data: IO[bytes], code: str | None, encoding: str | None = None) -> Extracted:
    """The searchable text of ``data`` whose checked type is ``code`` (see the module doc)."""
    readers = {
        "pdf": lambda: _pdf_text(data),
        "docx": lambda: _docx_text(data),
        "text": lambda: _plain_text(data, encoding),
    }
    if code not in readers:
        return Extracted(TextStatus.NONE)
    try:
        data.seek(0)
        text = _clean(readers[code]())
    except Exception:  # noqa: BLE001 — a hostile or damaged file may fail in any way
        # pypdf and python-docx raise many kinds of errors (and RecursionError) on bad
        # files; the document stays, without text, and the reader is told.
        logger.info("text of a %s file could not be read", code, exc_info=True)
        return Extracted(TextStatus.FAILED)
    finally:
        data.seek(0)
    return Extracted(TextStatus.READ if text else TextStatus.EMPTY, text)
