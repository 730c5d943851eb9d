"""Content sniffing: allowed types by content, refusals with reasons, safe download names."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netweave.core.lib.filetypes import (
    ALLOWED,
    FileTypeError,
    check_upload,
    download_name,
    sniff,
)


def _zip(members: dict[str, bytes], *, stored: bool = False) -> io.BytesIO:
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


def _code(data: bytes | io.BytesIO) -> str | None:
    stream = data if isinstance(data, io.BytesIO) else io.BytesIO(data)
    found = sniff(stream)
    return found.filetype.code if found.filetype else None


@pytest.mark.parametrize(
    ("members", "code"),
    [
        ({"[Content_Types].xml": b"x", "word/document.xml": b"x"}, "docx"),
        ({"[Content_Types].xml": b"x", "xl/workbook.xml": b"x"}, "xlsx"),
        ({"[Content_Types].xml": b"x", "ppt/presentation.xml": b"x"}, "pptx"),
        ({"mimetype": b"application/vnd.oasis.opendocument.text"}, "odt"),
        ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}, "ods"),
    ],
)
def test_office_files_are_known_by_their_members(members, code):
    """A zip is an office file only by the parts it holds."""
    assert _code(_zip(members)) == code


def test_magic_numbers():
    """PDF, PNG and JPEG by their first bytes; plain UTF-8 text as text."""
    assert _code(b"%PDF-1.7\n...") == "pdf"
    assert _code(b"\x89PNG\r\n\x1a\n....") == "png"
    assert _code(b"\xff\xd8\xff\xe0....") == "jpeg"
    assert _code("Вода и санитария\n".encode()) == "text"


def test_text_in_a_legacy_encoding_and_utf16():
    """Windows-1251 and UTF-16 with a byte-order mark are text, with their encoding."""
    found = sniff(io.BytesIO("Питьевая вода и водоснабжение в городах".encode("cp1251")))
    assert found.filetype is ALLOWED["text"] and found.encoding
    found = sniff(io.BytesIO("Water and sanitation".encode("utf-16")))
    assert found.filetype is ALLOWED["text"] and found.encoding == "utf-16"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"<!DOCTYPE html><html><body>x</body></html>", "web page"),
        (b"  <svg xmlns='http://www.w3.org/2000/svg'><script>x</script></svg>", "web page"),
        (b"<?xml version='1.0'?><svg/>", "web page"),
        (b"notes\n<script>alert(1)</script>", "web page"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "Windows program"),
        (b"\x7fELF\x02\x01\x01", "program"),
        (b"#!/bin/sh\nrm -rf /\n", "script"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "old Word"),
        (b"GIF89a....", "GIF"),
        (b"\x00\x01\x02\x03binary\x00\x00", "not recognised"),
        (b"", "empty"),
    ],
)
def test_refusals_say_what_the_file_is(content, says):
    """Each refused file gets a message naming what it is."""
    found = sniff(io.BytesIO(content))
    assert found.filetype is None
    assert says in found.refusal


def test_other_zips_and_damaged_zips_are_refused():
    """A zip of anything else, or a broken one, is not an office file."""
    assert "zip archive" in sniff(_zip({"a.txt": b"hello"})).refusal
    assert "damaged" in sniff(io.BytesIO(b"PK\x03\x04" + b"\x00" * 40)).refusal


def test_zip_bomb_is_refused_without_unpacking():
    """A member that unpacks to far more than its size is refused from the table of contents."""
    bomb = _zip({"[Content_Types].xml": b"x", "word/document.xml": b"\x00" * (20 * 1024 * 1024)})
    assert "unpacks" in sniff(bomb).refusal


def test_a_name_promising_another_type_is_refused():
    """report.pdf holding a Word document is refused with both kinds named."""
    docx = _zip({"[Content_Types].xml": b"x", "word/document.xml": b"x"})
    with pytest.raises(FileTypeError) as caught:
        check_upload(docx, "report.pdf")
    assert "«report.pdf» is named like a PDF document" in caught.value.message
    assert "a Word document" in caught.value.message


def test_the_name_never_allows_a_file():
    """A program named .pdf is refused for what it is."""
    with pytest.raises(FileTypeError) as caught:
        check_upload(io.BytesIO(b"MZ\x90\x00"), "report.pdf")
    assert "Windows program" in caught.value.message


def test_unknown_extensions_do_not_matter_for_text():
    """Plain text with any other name is text."""
    assert check_upload(io.BytesIO(b"a,b\n1,2\n"), "data.dat").filetype.code == "text"


def test_position_is_restored():
    """Sniffing leaves the file where it was."""
    stream = io.BytesIO(b"%PDF-1.4 rest")
    stream.seek(3)
    sniff(stream)
    assert stream.tell() == 3


def test_download_name():
    """Paths, quotes and control characters go; the extension matches the content."""
    pdf = ALLOWED["pdf"]
    assert download_name("../../etc/passwd", pdf) == "passwd.pdf"
    assert download_name('C:\\Users\\x\\re"port\r\n.pdf', pdf) == "re_port_.pdf"
    assert download_name("page.html", ALLOWED["text"]) == "page.html.txt"
    assert download_name("Отчёт 2015.pdf", pdf) == "Отчёт 2015.pdf"
    assert download_name("", pdf) == "document.pdf"
    assert len(download_name("x" * 400 + ".pdf", pdf)) <= 150
    assert download_name("x" * 400 + ".pdf", pdf).endswith(".pdf")


@given(st.binary(max_size=2048))
def test_sniff_never_raises(data):
    """Any bytes at all give an answer, never an exception."""
    found = sniff(io.BytesIO(data))
    assert (found.filetype is None) != (found.refusal is None)


@given(st.text(max_size=200))
def test_download_name_is_always_safe(name):
    """Whatever the uploader called it, the name has no path or header-breaking characters."""
    safe = download_name(name, ALLOWED["pdf"])
    assert safe.endswith(".pdf")
    assert not any(ch in safe for ch in '/\\"\r\n\x00;')
