"""Reading spreadsheets that people upload (CSV or XLSX), with no Django.

The contract for callers (``netweave import …`` and the upload → preview → confirm pages):

* ``read_table(data, filename=...)`` checks the file at once (size, type, encoding,
  delimiter, header) and returns a :class:`Table`, or raises :class:`TableError`. Every
  refusal is a ``TableError`` whose message a secretariat can act on ("The file is 23.4
  MB; the limit is 20 MB."); nothing else escapes for a bad file.
* ``Table.rows()`` streams ``(row_number, {column: text})``: row_number is the row a
  person sees in a spreadsheet program (the header is row 1 when it is the first row),
  blank rows are skipped but still counted, values are the raw cell text (clean them
  with ``normalise.clean_cell``), missing trailing cells are "". Memory does not grow
  with the file.
* Some problems only show while rows are read, so ``rows()`` can raise ``TableError``
  part-way (more than ``max_rows`` rows, a byte that is not valid in the detected
  encoding, a row with more values than the header has columns). A caller that writes
  while it reads must run inside a transaction and roll back on ``TableError``; a
  preview reads everything before anything is written.
* ``rows()`` may be called again to read the file from the start (preview, then
  import). Close the table (or use it as a context manager) to free its temporary file.
* ``match_columns(table.columns, ORGANISATION_COLUMNS)`` maps the file's headers to
  canonical field names, ignoring case, spaces and punctuation.
* Messages are ``normalise.Message`` objects: English ``str`` that a caller translates
  with ``message.translate(gettext)``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import PurePath
from typing import IO, Any

import charset_normalizer

from netweave.core.lib.normalise import Message, _, clean_cell

__all__ = [
    "ATTENDANCE_COLUMNS",
    "ORGANISATION_COLUMNS",
    "PEOPLE_COLUMNS",
    "Table",
    "TableError",
    "match_columns",
    "read_table",
]

MB = 1024 * 1024
SAMPLE_BYTES = 64 * 1024
CHUNK_BYTES = 256 * 1024
SPOOL_BYTES = 1 * MB  # larger uploads go to a temporary file on disk
DELIMITERS = ",;\t"
CSV_EXTENSIONS = {".csv", ".tsv", ".txt"}
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
MAX_UNCOMPRESSED = 200 * MB
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_MEMBERS = 10_000

# Beginnings of files that are certainly not text, with what to call them.
_MAGIC = (
    (b"PK\x03\x04", Message(_("an Excel workbook or another zip file"))),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", Message(_("an old Excel (.xls) or Word file"))),
    (b"%PDF-", Message(_("a PDF document"))),
    (b"\x89PNG\r\n\x1a\n", Message(_("a PNG image"))),
    (b"\xff\xd8\xff", Message(_("a JPEG image"))),
    (b"GIF8", Message(_("a GIF image"))),
    (b"\x7fELF", Message(_("a program"))),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNDECODED = re.compile("[\udc80-\udcff]")


class TableError(Exception):
    """A file that cannot be read as a table; ``message`` says what to do about it."""

    def __init__(self, message: Message, *, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}".removesuffix(".0")


def _column_letter(index: int) -> str:
    """0 → "A", 26 → "AA": how a spreadsheet program names the column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@dataclass
class Table:
    """A checked spreadsheet whose rows can be streamed (see the module docstring)."""

    columns: list[str]
    format: str
    encoding: str | None
    delimiter: str | None
    header_row: int
    max_rows: int
    _records: Callable[[], Iterator[tuple[int, list[str]]]] = field(repr=False)
    _close: Callable[[], None] = field(repr=False)
    sheet: str | None = None
    sheet_names: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """``(row_number, {column: text})`` for every non-blank row after the header.

        Each call reads from the start; read with one iterator at a time.
        """
        width = len(self.columns)
        count = 0
        for number, cells in self._records():
            if number <= self.header_row or not any(cell.strip() for cell in cells):
                continue
            if len(cells) > width and any(cell.strip() for cell in cells[width:]):
                raise TableError(self._too_wide(number, len(cells)), row=number)
            count += 1
            if count > self.max_rows:
                raise TableError(
                    Message(
                        _(
                            "The file has more than %(limit)s rows; the limit is %(limit)s. "
                            "Split it into smaller files."
                        ),
                        limit=f"{self.max_rows:,}",
                    ),
                    row=number,
                )
            cells = cells[:width] + [""] * (width - len(cells))
            yield number, dict(zip(self.columns, cells, strict=True))

    def _too_wide(self, number: int, count: int) -> Message:
        if self.format == "csv":
            return Message(
                _(
                    "Row %(row)s has %(count)s values but the header names %(width)s columns. "
                    "A value probably contains an unquoted “%(delimiter)s”: put the value "
                    "in double quotes, or save the file again from a spreadsheet program."
                ),
                row=number,
                count=count,
                width=len(self.columns),
                delimiter="TAB" if self.delimiter == "\t" else self.delimiter,
            )
        return Message(
            _(
                "Row %(row)s has values beyond the last named column (%(column)s). "
                "Give those columns a name in the header row or delete the values."
            ),
            row=number,
            column=_column_letter(len(self.columns) - 1),
        )

    def close(self) -> None:
        """Free the temporary copy of the file."""
        self._close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def read_table(
    data: bytes | IO[bytes],
    *,
    filename: str,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    max_bytes: int = 20 * MB,
    max_rows: int = 100_000,
    max_uncompressed: int = MAX_UNCOMPRESSED,
) -> Table:
    """Open an uploaded CSV or XLSX file as a :class:`Table`, or raise :class:`TableError`.

    ``encoding`` and ``delimiter`` (CSV) and ``sheet`` (XLSX, else the first sheet) may
    be forced; otherwise they are detected. ``max_uncompressed`` caps what an XLSX may
    expand to, against zip bombs.
    """
    extension = PurePath(filename).suffix.lower()
    if extension not in CSV_EXTENSIONS | XLSX_EXTENSIONS:
        if extension in {".xls", ".ods", ".numbers"}:
            raise TableError(
                Message(
                    _(
                        "“%(extension)s” files cannot be read; save the file as .xlsx "
                        "(Excel workbook) or as .csv and upload that."
                    ),
                    extension=extension,
                )
            )
        raise TableError(
            Message(
                _("Upload a .csv or .xlsx file; “%(filename)s” is neither."),
                filename=PurePath(filename).name,
            )
        )
    stream = _spool(data, max_bytes)
    try:
        if extension in XLSX_EXTENSIONS:
            return _open_xlsx(
                stream, sheet=sheet, max_rows=max_rows, max_uncompressed=max_uncompressed
            )
        return _open_csv(stream, encoding=encoding, delimiter=delimiter, max_rows=max_rows)
    except BaseException:
        stream.close()
        raise


def _spool(data: bytes | IO[bytes], max_bytes: int) -> IO[bytes]:
    """A private seekable copy of the upload, refused when over ``max_bytes``."""
    if isinstance(data, bytes | bytearray | memoryview):
        _check_size(len(data), max_bytes)
        return io.BytesIO(data)
    if data.seekable():  # an uploaded or opened file: measure before copying
        start = data.tell()
        _check_size(data.seek(0, io.SEEK_END) - start, max_bytes)
        data.seek(start)
    stream = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # the Table closes it
    size = 0
    while chunk := data.read(CHUNK_BYTES):
        size += len(chunk)
        if size <= max_bytes:
            stream.write(chunk)
    stream.seek(0)
    try:
        _check_size(size, max_bytes)
    except TableError:
        stream.close()
        raise
    return stream


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise TableError(
            Message(
                _("The file is %(size)s MB; the limit is %(limit)s MB."),
                size=_megabytes(size),
                limit=_megabytes(max_bytes),
            )
        )
    if size == 0:
        raise TableError(Message(_("The file is empty.")))


def _header(
    records: Callable[[], Iterator[tuple[int, list[str]]]], *, where: Message
) -> tuple[int, list[str]]:
    """The header row's number and cleaned column names, checked."""
    rows = records()
    try:
        found = next(
            ((number, cells) for number, cells in rows if any(map(str.strip, cells))), None
        )
    finally:
        rows.close()
    if found is None:
        raise TableError(Message(_("%(where)s has no rows at all."), where=where))
    number, cells = found
    names = [clean_cell(cell) for cell in cells]
    while names and not names[-1]:
        names.pop()  # empty columns at the end are usually leftovers of formatting
    if not any(re.search(r"[^\W\d_]", name) for name in names):
        raise TableError(
            Message(
                _(
                    "Row %(row)s should name the columns (for example name, sector, e-mail) "
                    "but holds no words. Add a header row."
                ),
                row=number,
            )
        )
    if any("@" in name for name in names):
        raise TableError(
            Message(
                _(
                    "Row %(row)s looks like data (it holds an e-mail address), not column names. "
                    "Add a header row."
                ),
                row=number,
            )
        )
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        if not name:
            raise TableError(
                Message(
                    _("Column %(column)s has no name in the header row (row %(row)s)."),
                    column=_column_letter(index),
                    row=number,
                )
            )
        key = name.casefold()
        if key in seen:
            raise TableError(
                Message(
                    _(
                        "The header names the column “%(name)s” twice (columns %(first)s and "
                        "%(second)s). Rename or remove one of them."
                    ),
                    name=name,
                    first=_column_letter(seen[key]),
                    second=_column_letter(index),
                )
            )
        seen[key] = index
    return number, names


# ---------------------------------------------------------------------------
# CSV


def _open_csv(
    stream: IO[bytes], *, encoding: str | None, delimiter: str | None, max_rows: int
) -> Table:
    head = stream.read(SAMPLE_BYTES)
    stream.seek(0)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise TableError(
                Message(
                    _("This is %(kind)s, not a CSV file. Upload a .csv or .xlsx file."),
                    kind=kind,
                )
            )
    if encoding is None:
        encoding = _detect_encoding(stream, head)
    else:
        unknown = Message(_("“%(encoding)s” is not a known text encoding."), encoding=encoding)
        try:
            info = codecs.lookup(encoding)
        except LookupError as exc:
            raise TableError(unknown) from exc
        # Codecs such as base64 or rot13 turn bytes into bytes, not text (as TextIOWrapper checks).
        if not getattr(info, "_is_text_encoding", True):
            raise TableError(unknown)
        if info.name == "utf-8" and head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
    sample = _decode_sample(head, encoding, complete=len(head) < SAMPLE_BYTES)
    control = len(_CONTROL.findall(sample))
    if "\x00" in sample or control > max(2, len(sample) // 50):
        raise TableError(
            Message(
                _(
                    "This does not look like a text (CSV) file: it holds binary data. "
                    "Upload a .csv or .xlsx file."
                )
            )
        )
    if not sample.strip():
        raise TableError(Message(_("The file is empty.")))
    if delimiter is None:
        delimiter = _detect_delimiter(sample)
    elif len(delimiter) != 1:
        raise TableError(
            Message(
                _("The delimiter must be one character, not “%(delimiter)s”."), delimiter=delimiter
            )
        )

    def records() -> Iterator[tuple[int, list[str]]]:
        stream.seek(0)
        # Bad bytes become lone surrogates, so the row that holds them can be named exactly
        # (the decoder works ahead of the rows handed out).
        text = io.TextIOWrapper(stream, encoding=encoding, newline="", errors="surrogateescape")
        number = 0
        try:
            # Count records, not lines: a cell with line breaks is one spreadsheet row.
            reader = csv.reader(text, delimiter=delimiter, strict=True)
            for number, cells in enumerate(reader, start=1):
                if _UNDECODED.search("".join(cells)):
                    raise TableError(
                        Message(
                            _(
                                "Row %(row)s holds characters that are not valid %(encoding)s. "
                                "Save the file as “CSV UTF-8” and upload it again."
                            ),
                            row=number,
                            encoding=encoding,
                        ),
                        row=number,
                    )
                yield number, cells
        except UnicodeError as exc:  # beyond what surrogateescape covers, e.g. a missing BOM
            raise TableError(
                Message(
                    _(
                        "Row %(row)s could not be read as %(encoding)s. Save the file as "
                        "“CSV UTF-8” and upload it again."
                    ),
                    row=number + 1,
                    encoding=encoding,
                ),
                row=number + 1,
            ) from exc
        except csv.Error as exc:
            raise TableError(
                Message(
                    _(
                        "Row %(row)s could not be read (%(detail)s). A quotation mark may be "
                        "missing its pair."
                    ),
                    row=number + 1,
                    detail=str(exc),
                ),
                row=number + 1,
            ) from exc
        finally:
            text.detach()  # leave the stream open for the next reading

    header_row, columns = _header(records, where=Message(_("The file")))
    return Table(
        columns=columns,
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        max_rows=max_rows,
        _records=records,
        _close=stream.close,
    )


def _decode_sample(head: bytes, encoding: str, *, complete: bool) -> str:
    """``head`` decoded; a character cut at the end of an incomplete sample is dropped."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        return decoder.decode(head, final=complete)
    except UnicodeError as exc:  # also "UTF-16 stream does not start with BOM"
        raise TableError(
            Message(
                _(
                    "The file could not be read as %(encoding)s text. Save it as “CSV UTF-8” "
                    "and upload it again."
                ),
                encoding=encoding,
            )
        ) from exc


def _detect_encoding(stream: IO[bytes], head: bytes) -> str:
    """BOM, then strict UTF-8 over the whole file, then cp1251 or a Western code page."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    problem = _first_non_utf8(stream)
    if problem is None:
        return "utf-8"
    # Judge the text around the first byte that is not UTF-8: a mostly-English file
    # may hold its only Cyrillic far from the start.
    stream.seek(max(0, problem - 1024))
    window = stream.read(SAMPLE_BYTES)
    stream.seek(0)
    return _single_byte_encoding(window)


def _first_non_utf8(stream: IO[bytes]) -> int | None:
    """The offset of the first byte that breaks UTF-8, or ``None`` for valid UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    offset = 0
    try:
        while chunk := stream.read(CHUNK_BYTES):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return offset + max(0, exc.start)
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return max(0, offset - 4)
    finally:
        stream.seek(0)
    return None


def _single_byte_encoding(sample: bytes) -> str:
    """cp1251 for Cyrillic text, else cp1252 (or latin-1 when the two do not differ).

    Cyrillic words in cp1251 are runs of bytes above 0xC0, while accented Western
    letters sit one at a time between ASCII letters ("Café", "Müller"). That tells the two
    apart even in a few words; charset-normalizer settles the unclear cases.
    """
    high = [index for index, byte in enumerate(sample) if byte >= 0xC0]
    paired = sum(
        1
        for index in high
        if (index > 0 and sample[index - 1] >= 0x80)
        or (index + 1 < len(sample) and sample[index + 1] >= 0x80)
    )
    share = paired / len(high) if high else 0.0
    if share >= 0.6:
        cyrillic = True
    elif share <= 0.3:
        cyrillic = False
    else:
        best = charset_normalizer.from_bytes(sample, cp_isolation=["cp1251", "cp1252"]).best()
        cyrillic = best is not None and best.encoding == "cp1251"
    if cyrillic and _decodes(sample, "cp1251"):
        return "cp1251"
    if any(0x80 <= byte <= 0x9F for byte in sample) and _decodes(sample, "cp1252"):
        return "cp1252"  # Windows' Western code page: curly quotes, €, œ
    return "latin-1"


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        sample.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _detect_delimiter(sample: str) -> str:
    """Comma, semicolon or tab: ``csv.Sniffer`` checked against the header line."""
    lines = sample.splitlines()[:50]
    header = next((line for line in lines if line.strip()), "")

    def fields(candidate: str) -> int:
        return len(next(csv.reader([header], delimiter=candidate), []))

    try:
        sniffed: str | None = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    best = max(DELIMITERS, key=lambda candidate: (fields(candidate), -DELIMITERS.index(candidate)))
    if sniffed and sniffed in DELIMITERS and (fields(sniffed) > 1 or fields(best) == 1):
        return sniffed
    return best


# ---------------------------------------------------------------------------
# XLSX


def _open_xlsx(
    stream: IO[bytes], *, sheet: str | None, max_rows: int, max_uncompressed: int
) -> Table:
    _check_zip(stream, max_uncompressed)
    import openpyxl  # imported here: CSV-only callers need not load it

    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl fails in many ways on a damaged workbook
        raise TableError(
            Message(
                _(
                    "The workbook could not be opened (%(detail)s). Open it in a spreadsheet "
                    "program, save it again as .xlsx and upload that."
                ),
                detail=type(exc).__name__,
            )
        ) from exc
    try:
        names = list(workbook.sheetnames)
        if not workbook.worksheets:
            raise TableError(Message(_("The workbook has no sheets.")))
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in names:
            worksheet = workbook[sheet]
        else:
            raise TableError(
                Message(
                    _("The workbook has no sheet “%(sheet)s”; its sheets are: %(names)s."),
                    sheet=sheet,
                    names=", ".join(names),
                )
            )
        if not hasattr(worksheet, "reset_dimensions"):
            raise TableError(
                Message(_("“%(sheet)s” is a chart, not a sheet of data."), sheet=worksheet.title)
            )
        # Some programs write a wrong size into the sheet; read what is really there.
        worksheet.reset_dimensions()

        def records() -> Iterator[tuple[int, list[str]]]:
            try:
                for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                    yield number, [_cell_text(value) for value in values]
            except TableError:
                raise
            except Exception as exc:  # a damaged sheet: bad XML, bad zip data, bad numbers
                raise TableError(
                    Message(
                        _(
                            "The sheet “%(sheet)s” could not be read to the end (%(detail)s). "
                            "Open it in a spreadsheet program, save it again and upload that."
                        ),
                        sheet=worksheet.title,
                        detail=type(exc).__name__,
                    )
                ) from exc

        where = Message(_("The sheet “%(sheet)s”"), sheet=worksheet.title)
        header_row, columns = _header(records, where=where)
    except BaseException:
        workbook.close()
        raise

    def close() -> None:
        workbook.close()
        stream.close()

    return Table(
        columns=columns,
        format="xlsx",
        encoding=None,
        delimiter=None,
        header_row=header_row,
        max_rows=max_rows,
        sheet=worksheet.title,
        sheet_names=names,
        _records=records,
        _close=close,
    )


def _check_zip(stream: IO[bytes], max_uncompressed: int) -> None:
    """Refuse what is not a workbook, and zip bombs, before openpyxl sees the file."""
    head = stream.read(8)
    stream.seek(0)
    if not head.startswith(b"PK\x03\x04"):
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            message = Message(
                _("This is an old Excel (.xls) file renamed to .xlsx; save it as .xlsx or .csv.")
            )
        else:
            message = Message(
                _(
                    "This is not an Excel workbook although its name ends in .xlsx. If it is "
                    "a CSV file, rename it to .csv."
                )
            )
        raise TableError(message)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except Exception as exc:  # zipfile raises BadZipFile, NotImplementedError, ValueError, …
        raise TableError(
            Message(_("The workbook is damaged (it is not a complete zip file)."))
        ) from exc
    finally:
        stream.seek(0)
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise TableError(
            Message(_("This zip file is not an Excel workbook; upload a .xlsx or .csv file."))
        )
    total = sum(member.file_size for member in members)
    if total > max_uncompressed or len(members) > MAX_ZIP_MEMBERS:
        raise TableError(
            Message(
                _(
                    "The workbook would expand to %(size)s MB when opened; the limit is "
                    "%(limit)s MB. Copy the data you need into a new workbook or a CSV file."
                ),
                size=_megabytes(total),
                limit=_megabytes(max_uncompressed),
            )
        )
    # Real sheets compress 5 to 20 times; far more means a file built to exhaust memory.
    ratio = max(
        (m.file_size / max(m.compress_size, 1) for m in members if m.file_size > MB), default=0
    )
    if ratio > MAX_COMPRESSION_RATIO:
        raise TableError(
            Message(
                _(
                    "Part of the workbook is compressed %(ratio)s times, far more than a real "
                    "spreadsheet, so it was not opened (it may be a “zip bomb”). Copy the data "
                    "you need into a new workbook or a CSV file."
                ),
                ratio=int(ratio),
            )
        )


def _cell_text(value: Any) -> str:
    """A cell as the text a person sees: dates ISO, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


# ---------------------------------------------------------------------------
# Columns


def _aliases(text: str) -> list[str]:
    return [alias.strip() for alias in text.split("|")]


# Aliases separated by "|"; matching ignores case, spaces and punctuation.
ORGANISATION_COLUMNS: dict[str, list[str]] = {
    "name": _aliases(
        "name | organisation | organization | org | org name | organisation name | "
        "organization name | название | наименование | организация | nom"
    ),
    "acronym": _aliases("acronym | abbreviation | short name | аббревиатура | сокращение | sigle"),
    "sector": _aliases(
        "sector | type | organisation type | organization type | category | сектор | тип | "
        "тип организации | secteur"
    ),
    "country": _aliases("country | страна | pays"),
    "region": _aliases("region | province | district | oblast | регион | область | район | région"),
    "website": _aliases(
        "website | web | url | site | web site | homepage | сайт | веб-сайт | site web"
    ),
    "email": _aliases(
        "email | e-mail | mail | email address | эл. почта | электронная почта | почта | courriel"
    ),
    "phone": _aliases(
        "phone | telephone | tel | phone number | mobile | телефон | тел | téléphone"
    ),
    "topics": _aliases("topics | interests | themes | areas of work | темы | интересы | thèmes"),
    "joined": _aliases(
        "joined | member since | date joined | joined on | membership date | дата вступления | "
        "член с | adhésion"
    ),
}

PEOPLE_COLUMNS: dict[str, list[str]] = {
    "name": _aliases(
        "name | full name | person | contact person | participant | имя | фио | nom | nom complet"
    ),
    "organisation": _aliases(
        "organisation | organization | org | organisation name | organization name | "
        "организация | organisme"
    ),
    "position": _aliases(
        "position | title | job title | role | function | должность | poste | fonction"
    ),
    "email": ORGANISATION_COLUMNS["email"],
    "phone": ORGANISATION_COLUMNS["phone"],
    "languages": _aliases("languages | language | языки | язык | langues"),
    "topics": _aliases("topics | interests | themes | темы | интересы | thèmes"),
    "consent_listed": _aliases(
        "consent listed | listed | list in directory | show in directory | "
        "consent to be listed | согласие на публикацию"
    ),
    "consent_contact": _aliases(
        "consent contact | contact consent | may be contacted | consent to be contacted | "
        "согласие на контакт"
    ),
}

ATTENDANCE_COLUMNS: dict[str, list[str]] = {
    "person": _aliases("person | name | participant | attendee | full name | участник | фио | имя"),
    "organisation": _aliases("organisation | organization | org | организация | organisme"),
    "meeting": _aliases(
        "meeting | event | meeting title | title | встреча | мероприятие | réunion"
    ),
    "date": _aliases("date | meeting date | event date | дата | date de la réunion"),
}


def _column_key(name: str) -> str:
    """Letters and digits only, case-folded: "E-mail", "e mail" and "EMAIL" are one key."""
    return "".join(char for char in clean_cell(name).casefold() if char.isalnum())


def match_columns(
    columns: list[str], schema: dict[str, list[str]]
) -> tuple[dict[str, str], list[str]]:
    """Map a file's headers to the schema's fields: ``({field: header}, [unknown headers])``.

    A header matches a field when, ignoring case, spaces and punctuation, it equals the
    field's name or one of its aliases. Two headers for one field raise ``TableError``
    rather than one being dropped quietly.
    """
    lookup: dict[str, str] = {}
    for name, aliases in schema.items():
        for alias in [name, *aliases]:
            lookup.setdefault(_column_key(alias), name)
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    for column in columns:
        name = lookup.get(_column_key(column))
        if name is None:
            unknown.append(column)
        elif name in mapping:
            raise TableError(
                Message(
                    _(
                        "Both “%(first)s” and “%(second)s” look like the %(field)s column; "
                        "rename or remove one of them."
                    ),
                    first=mapping[name],
                    second=column,
                    field=name,
                )
            )
        else:
            mapping[name] = column
    return mapping, unknown
