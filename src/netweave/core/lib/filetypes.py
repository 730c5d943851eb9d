"""What an uploaded file really is, from its content, with no Django.

The contract for callers (the library's uploads; other upload checks can build on it):

* ``sniff(data)`` reads the beginning of a seekable binary file (and, for zip-based office
  files, the zip's table of contents) and returns a :class:`Sniffed`: the recognised
  :class:`FileType` when it is one that may be uploaded, otherwise ``refusal``, a message
  saying what the file is ("an HTML page", "a program") and what to do. The file's name
  is never consulted, and the file's position is restored.
* ``check_upload(data, filename)`` adds the name: a file whose extension names another
  recognised type than its content ("report.pdf" that is a Word document) is refused with
  a message saying both. It raises :class:`FileTypeError`; its ``message`` is a
  ``normalise.Message`` (English ``str``, translated by the caller with
  ``message.translate(gettext)``).
* ``download_name(original, filetype)`` is a safe name to send a file under: no path, no
  control or quote characters, and an extension that matches the checked content, so
  "page.html" holding plain text goes out as "page.html.txt".

Allowed: PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument text,
spreadsheet and presentation, plain text (UTF-8, UTF-16 with a byte-order mark, or another
encoding that charset-normalizer recognises, with no NUL bytes), PNG and JPEG. Refused
on purpose: anything a browser would run or render as a page (HTML, SVG, XML, scripts),
programs, other archives and the old binary Office formats.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

import charset_normalizer

from netweave.core.lib.normalise import Message, _

__all__ = [
    "ALLOWED",
    "FileType",
    "FileTypeError",
    "Sniffed",
    "check_upload",
    "download_name",
    "sniff",
]

SAMPLE_BYTES = 64 * 1024
# A zip that claims to unpack to more than this, or compresses more than this ratio, is a
# "zip bomb" rather than an office document.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_MEMBERS = 20_000


@dataclass(frozen=True)
class FileType:
    code: str
    label: Message
    content_type: str
    extensions: tuple[str, ...]

    @property
    def extension(self) -> str:
        return self.extensions[0]


def _type(code: str, label: str, content_type: str, *extensions: str) -> FileType:
    return FileType(code, Message(label), content_type, extensions)


ALLOWED: dict[str, FileType] = {
    t.code: t
    for t in (
        _type("pdf", _("a PDF document"), "application/pdf", "pdf"),
        _type(
            "docx",
            _("a Word document"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        _type(
            "xlsx",
            _("an Excel workbook"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        _type(
            "pptx",
            _("a PowerPoint presentation"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "pptx",
        ),
        _type("odt", _("an OpenDocument text"), "application/vnd.oasis.opendocument.text", "odt"),
        _type(
            "ods",
            _("an OpenDocument spreadsheet"),
            "application/vnd.oasis.opendocument.spreadsheet",
            "ods",
        ),
        _type(
            "odp",
            _("an OpenDocument presentation"),
            "application/vnd.oasis.opendocument.presentation",
            "odp",
        ),
        _type("text", _("a plain-text file"), "text/plain", "txt", "csv", "tsv", "md", "text"),
        _type("png", _("a PNG image"), "image/png", "png"),
        _type("jpeg", _("a JPEG image"), "image/jpeg", "jpg", "jpeg"),
    )
}
_BY_EXTENSION = {ext: t for t in ALLOWED.values() for ext in t.extensions}

ALLOWED_TEXT = _(
    "Upload a PDF, Word, Excel, PowerPoint or OpenDocument file, plain text, or a PNG or "
    "JPEG image."
)

# Beginnings of files that are certainly not allowed, with what to call them.
_REFUSED_MAGIC = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        _("an old Word, Excel or PowerPoint file (.doc, .xls, .ppt)"),
        _("Save it in the newer format (.docx, .xlsx, .pptx) and upload that."),
    ),
    (b"MZ", _("a Windows program"), None),
    (b"\x7fELF", _("a program"), None),
    (b"\xca\xfe\xba\xbe", _("a program"), None),
    (b"\xcf\xfa\xed\xfe", _("a program"), None),
    (b"#!", _("a script"), None),
    (b"GIF8", _("a GIF image"), _("Save it as PNG or JPEG and upload that.")),
    (b"RIFF", _("a media file"), None),
    (b"Rar!", _("a RAR archive"), None),
    (b"7z\xbc\xaf\x27\x1c", _("a 7-Zip archive"), None),
    (b"\x1f\x8b", _("a compressed (gzip) file"), None),
    (b"{\\rtf", _("a Rich Text (.rtf) file"), _("Save it as .docx or PDF and upload that.")),
)
# Text that a browser would treat as a page or an image that runs scripts.
_MARKUP = re.compile(
    rb"^\s*(<\?xml|<!doctype|<html|<head|<body|<svg|<script|<iframe|<!--|<\w+[^>]*xmlns)",
    re.IGNORECASE,
)
_MARKUP_ANYWHERE = re.compile(rb"<(script|svg|html|iframe|object|embed)[\s>/]", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}


class FileTypeError(Exception):
    """A file that may not be uploaded; ``message`` says why and what to do."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Sniffed:
    filetype: FileType | None = None
    refusal: Message | None = None
    encoding: str | None = None  # plain text only: how to decode it


def _refuse(what: str, advice: str | None = None) -> Sniffed:
    if advice:
        return Sniffed(
            refusal=Message(
                _("The file is %(what)s, which the library does not take. %(advice)s"),
                what=Message(what),
                advice=Message(advice),
            )
        )
    return Sniffed(
        refusal=Message(
            _("The file is %(what)s, which the library does not take. %(allowed)s"),
            what=Message(what),
            allowed=Message(ALLOWED_TEXT),
        )
    )


def _zip_kind(data: IO[bytes]) -> Sniffed:
    """An office file by the members its zip holds; other zips are refused."""
    try:
        with zipfile.ZipFile(data) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                return _refuse(_("an archive with too many files"))
            unpacked = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
            if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
                return _refuse(_("a compressed file that unpacks to far more than its size"))
            names = {info.filename for info in infos}
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(100).strip()
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        return Sniffed(
            refusal=Message(
                _(
                    "The file looks like a damaged office document or zip archive and "
                    "cannot be read."
                )
            )
        )
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return Sniffed(ALLOWED["docx"])
        if "xl/workbook.xml" in names:
            return Sniffed(ALLOWED["xlsx"])
        if "ppt/presentation.xml" in names:
            return Sniffed(ALLOWED["pptx"])
    if mimetype in _ODF_TYPES:
        return Sniffed(ALLOWED[_ODF_TYPES[mimetype]])
    return _refuse(_("a zip archive"), _("Upload the documents inside it one by one."))


def _text_encoding(sample: bytes, complete: bool) -> str | None:
    """How ``sample`` decodes as text, or ``None`` when it is not text."""
    if not sample:
        return None
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            try:
                text = sample.decode(encoding) if complete else _decode_start(sample, encoding)
            except UnicodeDecodeError:
                return None
            return encoding if not _too_many_controls(text) else None
    if b"\x00" in sample:
        return None
    try:
        text = sample.decode("utf-8") if complete else _decode_start(sample, "utf-8")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(sample).best()
        if best is None or best.encoding is None:
            return None
        text, encoding = str(best), best.encoding
    else:
        encoding = "utf-8"
    return encoding if not _too_many_controls(text) else None


def _decode_start(sample: bytes, encoding: str) -> str:
    # The sample may end inside a multi-byte character: decode what is complete.
    return codecs.getincrementaldecoder(encoding)().decode(sample, final=False)


def _too_many_controls(text: str) -> bool:
    return len(_CONTROL.findall(text)) > max(2, len(text) // 100)


def sniff(data: IO[bytes]) -> Sniffed:
    """What ``data`` is, from its content (see the module docstring)."""
    start = data.tell()
    try:
        data.seek(0)
        sample = data.read(SAMPLE_BYTES)
        complete = not data.read(1)
        data.seek(0)
        if not sample:
            return Sniffed(refusal=Message(_("The file is empty.")))
        if sample.startswith(b"PK\x03\x04"):
            return _zip_kind(data)
        if b"%PDF-" in sample[:1024]:
            return Sniffed(ALLOWED["pdf"])
        if sample.startswith(b"\x89PNG\r\n\x1a\n"):
            return Sniffed(ALLOWED["png"])
        if sample.startswith(b"\xff\xd8\xff"):
            return Sniffed(ALLOWED["jpeg"])
        for magic, what, advice in _REFUSED_MAGIC:
            if sample.startswith(magic):
                return _refuse(what, advice)
        encoding = _text_encoding(sample, complete)
        if encoding is None:
            return _refuse(_("of a kind that is not recognised"))
        head = sample.decode(encoding, errors="ignore").encode("utf-8")[:4096]
        if _MARKUP.search(head) or _MARKUP_ANYWHERE.search(head):
            return _refuse(
                _("a web page, an SVG image or XML"),
                _("Save it as PDF and upload that."),
            )
        return Sniffed(ALLOWED["text"], encoding=encoding)
    finally:
        data.seek(start)


def _extension(filename: str) -> str:
    suffix = PurePath(filename or "").suffix.lower()
    return suffix[1:] if suffix else ""


def check_upload(data: IO[bytes], filename: str = "") -> Sniffed:
    """``sniff`` the file and refuse it, or a name that promises another type, with a reason."""
    sniffed = sniff(data)
    if sniffed.refusal is not None:
        raise FileTypeError(sniffed.refusal)
    assert sniffed.filetype is not None
    named = _BY_EXTENSION.get(_extension(filename))
    if named is not None and named.code != sniffed.filetype.code:
        raise FileTypeError(
            Message(
                _(
                    "«%(name)s» is named like %(named)s, but its content is %(actual)s. "
                    "Rename it with the right extension, or export it again."
                ),
                name=PurePath(filename).name,
                named=named.label,
                actual=sniffed.filetype.label,
            )
        )
    return sniffed


_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def download_name(original: str, filetype: FileType | None, *, fallback: str = "document") -> str:
    """A name to send the file under: the uploader's name made safe, with a true extension."""
    name = PurePath((original or "").replace("\\", "/")).name
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE_NAME.sub("_", name).strip(" ._") or fallback
    if filetype is not None and _extension(name) not in filetype.extensions:
        name = f"{name}.{filetype.extension}"
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 140 - len(ext)]}{dot}{ext}" if dot else name[:150]
    return name
