import datetime as dt
import io
import tracemalloc
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netweave.core.lib.tabular import (
    ATTENDANCE_COLUMNS,
    MB,
    ORGANISATION_COLUMNS,
    PEOPLE_COLUMNS,
    TableError,
    _column_key,
    match_columns,
    read_table,
)

# A Cyrillic + Latin sample, as a Central Asian secretariat's list looks.
MIXED = (
    "Название,Sector,E-mail\n"
    "Министерство водного хозяйства,Government,info@water.tj\n"
    "Ассоциация «Обшорон»,NGO,obshoron@mail.tj\n"
    "Société Générale Müller,Private,contact@sgm.fr\n"
)
MIXED_ROWS = [
    (2, {"Название": "Министерство водного хозяйства", "Sector": "Government",
         "E-mail": "info@water.tj"}),
    (3, {"Название": "Ассоциация «Обшорон»", "Sector": "NGO", "E-mail": "obshoron@mail.tj"}),
    (4, {"Название": "Société Générale Müller", "Sector": "Private", "E-mail": "contact@sgm.fr"}),
]  # fmt: skip
CYRILLIC = (
    "Название;Сектор;Website\n"
    "Министерство водного хозяйства;госорган;water.tj\n"
    "Ассоциация Обшорон;НПО;obshoron.tj\n"
)
WESTERN = "Nom,Secteur\nMinistère de l'Eau,gouvernement\nCafé Müller,privé\n"


def read(data: bytes, filename: str = "members.csv", **options):
    with read_table(data, filename=filename, **options) as table:
        return table, list(table.rows())


def xlsx(rows, *, title="Members", extra_sheet=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        workbook.create_sheet(extra_sheet).append(["name"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refusal(data: bytes, filename: str = "members.csv", **options) -> TableError:
    with pytest.raises(TableError) as caught:
        table = read_table(data, filename=filename, **options)
        list(table.rows())
    return caught.value


# --- encodings --------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-32", "utf-32")],
)
def test_unicode_encodings_are_detected(encoding, detected):
    """UTF-8 with and without BOM, UTF-16 and UTF-32 with BOM read back the same rows."""
    table, rows = read(MIXED.encode(encoding))
    assert table.encoding == detected
    assert rows == MIXED_ROWS


def test_cp1251_is_detected_for_cyrillic():
    """A Windows Cyrillic file is read as cp1251."""
    table, rows = read(CYRILLIC.encode("cp1251"))
    assert table.encoding == "cp1251"
    assert table.columns == ["Название", "Сектор", "Website"]
    assert rows[1] == (
        3,
        {"Название": "Ассоциация Обшорон", "Сектор": "НПО", "Website": "obshoron.tj"},
    )


def test_short_cyrillic_file_is_cp1251():
    """Even two Cyrillic words are enough to tell cp1251."""
    table, rows = read("Имя\nВода\n".encode("cp1251"))
    assert table.encoding == "cp1251"
    assert rows == [(2, {"Имя": "Вода"})]


@pytest.mark.parametrize(
    ("text", "detected"),
    [
        (WESTERN, "latin-1"),
        ("name\nCafé\n", "latin-1"),
        ("Nom,Note\n“Société” œuvre,5 €\n", "cp1252"),
    ],
)
def test_western_single_byte_files_are_not_read_as_cyrillic(text, detected):
    """Accented Western text is latin-1 (cp1252 when it has curly quotes, € or œ)."""
    encoding = "latin-1" if detected == "latin-1" else "cp1252"
    table, rows = read(text.encode(encoding))
    assert table.encoding == detected
    assert [value for _n, row in rows for value in row.values()] == [
        value for line in text.splitlines()[1:] for value in line.split(",")
    ]


def test_cyrillic_far_from_the_start_is_still_detected():
    """An ASCII file whose first Cyrillic comes after the sample is not misread."""
    data = b"name\n" + b"Oxfam\n" * 20_000 + "Вода и санитария\n".encode("cp1251")
    table, rows = read(data)
    assert table.encoding == "cp1251"
    assert rows[-1] == (20_002, {"name": "Вода и санитария"})


def test_encoding_can_be_forced():
    """The caller may say which encoding the file uses."""
    table, rows = read(CYRILLIC.encode("cp1251"), encoding="cp1251", delimiter=";")
    assert table.encoding == "cp1251"
    assert rows[0][1]["Сектор"] == "госорган"


def test_forced_utf8_still_drops_the_bom():
    """Forcing UTF-8 on a file with a BOM does not put the BOM into the first column name."""
    table, _rows = read(MIXED.encode("utf-8-sig"), encoding="utf-8")
    assert table.columns[0] == "Название"


def test_wrong_forced_encoding_is_refused_with_advice():
    """Forcing UTF-8 on a cp1251 file gives a message, not mojibake."""
    error = refusal(CYRILLIC.encode("cp1251"), encoding="utf-8")
    assert "CSV UTF-8" in error.message


def test_unknown_encoding_name_is_refused():
    """A made-up encoding name is refused."""
    assert "not a known text encoding" in refusal(b"a\n1\n", encoding="klingon").message


def test_invalid_byte_late_in_a_forced_encoding_names_the_row():
    """A byte that breaks the encoding past the sample is reported with its row."""
    data = b"name\n" + b"Oxfam\n" * 20_000 + b"\xff\xfe\n"
    error = refusal(data, encoding="utf-8")
    assert error.row == 20_002
    assert "Row 20002" in error.message


# --- delimiters and quoting -------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_are_sniffed(delimiter):
    """Comma, semicolon and tab files give the same rows."""
    text = MIXED.replace(",", delimiter)
    table, rows = read(text.encode("utf-8"))
    assert table.delimiter == delimiter
    assert rows == MIXED_ROWS


def test_semicolon_file_with_commas_in_values():
    """Commas inside values of a semicolon file do not split columns."""
    text = "name;sector\nOxfam, GB;ngo\nWater, Sanitation and Hygiene Network;cso\n"
    table, rows = read(text.encode())
    assert table.delimiter == ";"
    assert rows[0][1] == {"name": "Oxfam, GB", "sector": "ngo"}


def test_single_column_file():
    """A file with one column needs no delimiter."""
    table, rows = read(b"name\nOxfam\nUNICEF\n")
    assert table.columns == ["name"]
    assert [row["name"] for _n, row in rows] == ["Oxfam", "UNICEF"]


def test_delimiter_can_be_forced():
    """The caller may say which delimiter the file uses."""
    table, rows = read(b"a|b\n1|2\n", delimiter="|")
    assert rows == [(2, {"a": "1", "b": "2"})]


def test_quoted_fields_hold_delimiters_quotes_and_line_breaks():
    """Quoted values keep commas, doubled quotes and line breaks; row numbers count rows."""
    text = (
        "name,address,notes\n"
        '"Oxfam, GB","12 Main St\nDushanbe","said ""yes"""\n'
        'UNICEF,"Rudaki 1, Dushanbe",\n'
    )
    _table, rows = read(text.encode())
    assert rows == [
        (2, {"name": "Oxfam, GB", "address": "12 Main St\nDushanbe", "notes": 'said "yes"'}),
        (3, {"name": "UNICEF", "address": "Rudaki 1, Dushanbe", "notes": ""}),
    ]


def test_blank_rows_are_skipped_but_counted():
    """Row numbers match what a spreadsheet shows, blank rows included."""
    _table, rows = read(b"\nname,sector\n\nOxfam,ngo\n,\n  ,\nUNICEF,un\n")
    assert [number for number, _row in rows] == [4, 7]


def test_short_rows_are_padded_and_trailing_empty_columns_dropped():
    """Missing cells read as empty; empty header cells at the end are ignored."""
    table, rows = read(b"name,sector,,\nOxfam\nUNICEF,un,,\n")
    assert table.columns == ["name", "sector"]
    assert rows == [(2, {"name": "Oxfam", "sector": ""}), (3, {"name": "UNICEF", "sector": "un"})]


def test_row_with_extra_values_is_refused():
    """More values than columns means an unquoted delimiter; the row is named."""
    error = refusal(b"name,sector\nOxfam,GB,ngo\n")
    assert error.row == 2
    assert "Row 2 has 3 values" in error.message


def test_unpaired_quote_is_refused():
    """A quote without its pair is reported, not swallowed into one giant cell."""
    error = refusal(b'name,sector\n"Oxfam,ngo\nUNICEF,un\n')
    assert "quotation mark" in error.message


def test_header_names_are_trimmed_and_bom_free():
    """Column names lose stray spaces and the UTF-8 BOM."""
    table, _rows = read("\ufeff Name , E-mail \nOxfam,a@b.org\n".encode())
    assert table.columns == ["Name", "E-mail"]


def test_rows_can_be_read_twice():
    """A preview and then the import read the same rows."""
    with read_table(MIXED.encode(), filename="m.csv") as table:
        assert list(table.rows()) == list(table.rows()) == MIXED_ROWS


def test_rows_can_be_read_again_after_stopping_early():
    """Stopping part-way through does not spoil the next reading."""
    with read_table(MIXED.encode(), filename="m.csv") as table:
        iterator = table.rows()
        next(iterator)
        iterator.close()
        assert list(table.rows()) == MIXED_ROWS


def test_file_objects_are_accepted(tmp_path):
    """An open file reads like bytes."""
    path = tmp_path / "m.csv"
    path.write_bytes(MIXED.encode("utf-16"))
    with path.open("rb") as handle, read_table(handle, filename=path.name) as table:
        assert list(table.rows()) == MIXED_ROWS


# --- refusals ---------------------------------------------------------------


def test_file_over_the_size_limit_is_refused():
    """The message gives the file's size and the limit."""
    error = refusal(b"x" * int(23.4 * MB))
    assert error.message == "The file is 23.4 MB; the limit is 20 MB."


def test_stream_over_the_size_limit_is_refused():
    """A stream is measured too, with the caller's limit."""
    error = refusal(io.BytesIO(b"name\n" + b"x" * (3 * MB // 2)), max_bytes=1 * MB)
    assert error.message == "The file is 1.5 MB; the limit is 1 MB."


class _Unseekable(io.RawIOBase):
    """A pipe-like stream that cannot tell its size in advance."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_unseekable_stream_is_measured_while_copied():
    """A stream without seek is still measured and read."""
    error = refusal(_Unseekable(b"name\n" + b"x" * (3 * MB // 2)), max_bytes=1 * MB)
    assert error.message == "The file is 1.5 MB; the limit is 1 MB."
    with read_table(_Unseekable(MIXED.encode()), filename="m.csv") as table:
        assert list(table.rows()) == MIXED_ROWS


def test_too_many_rows_are_refused_when_reached():
    """Rows up to the limit are read; the next one raises, naming its row."""
    table = read_table(b"name\n" + b"Org\n" * 5, filename="m.csv", max_rows=3)
    rows = table.rows()
    assert [next(rows)[0] for _ in range(3)] == [2, 3, 4]
    with pytest.raises(TableError) as caught:
        next(rows)
    assert caught.value.row == 5
    assert "more than 3 rows" in caught.value.message
    table.close()


def test_exactly_max_rows_is_fine():
    """The limit itself is allowed."""
    _table, rows = read(b"name\n" + b"Org\n" * 3, max_rows=3)
    assert len(rows) == 3


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        ("\ufeff".encode(), "empty"),
        (b",,,\n,,\n", "no rows at all"),
        (b"1,2,3\n4,5,6\n", "holds no words"),
        (b"info@oxfam.org,Oxfam\nx@y.org,Y\n", "looks like data"),
        (b"name,,sector\n", "Column B has no name"),
        (b"Name,Sector,NAME\nOxfam,ngo,x\n", "column “NAME” twice (columns A and C)"),
    ],
)
def test_files_without_a_proper_header_are_refused(data, fragment):
    """Empty files and headers that are missing, unnamed or repeated are refused."""
    assert fragment in refusal(data).message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "zip file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "old Excel"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "binary data"),
        (b"name\x00sector\x00\n", "binary data"),
        (bytes(range(1, 32)) * 10, "binary data"),
    ],
)
def test_binary_files_renamed_to_csv_are_refused(data, fragment):
    """Images, PDFs, workbooks and programs named .csv are refused with what they are."""
    assert fragment in refusal(data).message


@pytest.mark.parametrize(
    ("filename", "fragment"),
    [
        ("members.pdf", "Upload a .csv or .xlsx file"),
        ("members", "Upload a .csv or .xlsx file"),
        ("members.xls", "save the file as .xlsx"),
        ("members.ods", "save the file as .xlsx"),
    ],
)
def test_unknown_extensions_are_refused(filename, fragment):
    """Only .csv (.tsv, .txt) and .xlsx files are read."""
    assert fragment in refusal(b"name\nOxfam\n", filename=filename).message


def test_tsv_and_txt_names_read_as_csv():
    """Tab-separated .tsv and .txt files are read like CSV."""
    _table, rows = read(b"name\tsector\nOxfam\tngo\n", filename="members.TSV")
    assert rows == [(2, {"name": "Oxfam", "sector": "ngo"})]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_rows_or_a_table_error(data):
    """Whatever the bytes, reading a .csv yields rows or raises TableError, nothing else."""
    try:
        with read_table(data, filename="x.csv") as table:
            for number, row in table.rows():
                assert number > table.header_row
                assert list(row) == table.columns
    except TableError as error:
        assert str(error)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=4), min_size=1, max_size=6),
    st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]),
)
def test_arbitrary_text_tables_give_rows_or_a_table_error(cells, encoding):
    """Text tables with any characters, quotes and delimiters read or are refused cleanly."""
    text = "\n".join(",".join(row) for row in cells)
    try:
        with read_table(text.encode(encoding, "surrogatepass"), filename="x.csv") as table:
            list(table.rows())
    except (TableError, UnicodeEncodeError):
        pass


def test_reading_streams_in_bounded_memory(tmp_path):
    """A 200,000-row file is read with a small, constant memory peak."""
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("name,sector,email,phone\n")
        for number in range(200_000):
            handle.write(f"Организация {number},government,org{number}@example.org,+992 {number}\n")
    assert path.stat().st_size > 10 * MB
    tracemalloc.start()
    try:
        with (
            path.open("rb") as handle,
            read_table(handle, filename=path.name, max_rows=300_000, max_bytes=50 * MB) as table,
        ):
            count = sum(1 for _row in table.rows())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_000
    assert peak < 4 * MB, f"peak {peak / MB:.1f} MB"


# --- XLSX -------------------------------------------------------------------


def test_openpyxl_parses_xml_with_defusedxml():
    """openpyxl uses defusedxml, so XML entity tricks cannot expand inside a workbook."""
    assert openpyxl.DEFUSEDXML is True


def test_xlsx_is_read_with_dates_numbers_and_row_numbers():
    """Dates become ISO text, whole numbers lose ".0", blank rows are counted."""
    # Spreadsheet cells hold naive date-times; openpyxl refuses aware ones.
    midnight = dt.datetime(2016, 1, 5, 0, 0)  # noqa: DTZ001
    morning = dt.datetime(2016, 1, 5, 10, 30)  # noqa: DTZ001
    data = xlsx(
        [
            ["Name", "Joined", "Staff", "Share", "Phone", "Active"],
            ["Oxfam", dt.date(2015, 7, 21), 12, 0.25, 992900123456, True],
            [],
            ["UNICEF", midnight, 3.0, None, "+992 44 600", False],
            ["Ministry", morning, None, 1.5, None, None],
        ]
    )
    table, rows = read(data, filename="members.xlsx")
    assert table.format == "xlsx"
    assert table.sheet == "Members"
    assert rows == [
        (2, {"Name": "Oxfam", "Joined": "2015-07-21", "Staff": "12", "Share": "0.25",
             "Phone": "992900123456", "Active": "TRUE"}),
        (4, {"Name": "UNICEF", "Joined": "2016-01-05", "Staff": "3", "Share": "",
             "Phone": "+992 44 600", "Active": "FALSE"}),
        (5, {"Name": "Ministry", "Joined": "2016-01-05 10:30", "Staff": "", "Share": "1.5",
             "Phone": "", "Active": ""}),
    ]  # fmt: skip


def test_xlsx_header_below_a_blank_top_keeps_sheet_row_numbers():
    """A sheet whose table starts at row 3 reports the rows the sheet shows."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A3"], sheet["B3"], sheet["A5"], sheet["B7"] = "name", "sector", "Oxfam", "un"
    buffer = io.BytesIO()
    workbook.save(buffer)
    table, rows = read(buffer.getvalue(), filename="m.xlsx")
    assert table.header_row == 3
    assert rows == [(5, {"name": "Oxfam", "sector": ""}), (7, {"name": "", "sector": "un"})]


def test_xlsx_formulas_give_their_saved_values_not_their_text():
    """A formula cell reads as the value a spreadsheet saved, never as "=…" text."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["name", "total"])
    workbook.active.append(["Oxfam", "=1+1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _table, rows = read(buffer.getvalue(), filename="m.xlsx")
    # openpyxl stores no cached value, so the cell is empty rather than "=1+1".
    assert rows == [(2, {"name": "Oxfam", "total": ""})]


def test_xlsx_named_sheet_and_unknown_sheet():
    """A sheet can be chosen by name; an unknown name lists the sheets there are."""
    data = xlsx([["name"], ["Oxfam"]], extra_sheet="People")
    table, rows = read(data, filename="m.xlsx", sheet="People")
    assert table.sheet == "People"
    assert table.sheet_names == ["Members", "People"]
    assert rows == []
    error = refusal(data, filename="m.xlsx", sheet="Attendance")
    assert "Members, People" in error.message


def test_xlsx_header_checks_apply():
    """Duplicate headers in a workbook are refused like in a CSV."""
    assert "twice" in refusal(xlsx([["name", "Name"]]), filename="m.xlsx").message
    assert "no rows at all" in refusal(xlsx([]), filename="m.xlsx").message


def test_xlsx_row_limit():
    """The row limit applies to workbooks too."""
    data = xlsx([["name"], ["a"], ["b"], ["c"]])
    error = refusal(data, filename="m.xlsx", max_rows=2)
    assert error.row == 4


def test_xlsx_values_beyond_the_header_are_refused():
    """A value in an unnamed column is reported, not dropped."""
    error = refusal(xlsx([["name"], ["Oxfam", "stray"]]), filename="m.xlsx")
    assert "beyond the last named column (A)" in error.message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"name,sector\nOxfam,ngo\n", "rename it to .csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel (.xls)"),
        (b"PK\x03\x04" + b"\x00" * 100, "damaged"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(data, fragment):
    """A CSV, an old .xls or a broken zip named .xlsx is refused with advice."""
    assert fragment in refusal(data, filename="m.xlsx").message


def test_zip_that_is_not_a_workbook_is_refused():
    """A .docx or other zip named .xlsx is refused."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "not an Excel workbook" in refusal(buffer.getvalue(), filename="m.xlsx").message


def zip_bomb(size: int) -> bytes:
    """A workbook-looking zip with one member of ``size`` zeros (about size/1000 stored)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            zeros = bytes(MB)
            for _ in range(size // MB):
                member.write(zeros)
    return buffer.getvalue()


def test_zip_bomb_is_refused_by_its_expanded_size():
    """A 300 MB member stored in under a megabyte is refused before openpyxl opens it."""
    data = zip_bomb(300 * MB)
    assert len(data) < 1 * MB
    error = refusal(data, filename="bomb.xlsx")
    assert "would expand to 300 MB" in error.message
    assert "the limit is 200 MB" in error.message


def test_zip_bomb_is_refused_by_its_compression_ratio():
    """A member compressed far more than real sheets is refused even under the size cap."""
    error = refusal(zip_bomb(20 * MB), filename="bomb.xlsx")
    assert "compressed" in error.message and "zip bomb" in error.message


def test_expanded_size_cap_can_be_lowered():
    """The caller can lower the cap on what a workbook may expand to."""
    data = xlsx([["name"], ["Oxfam"]])
    assert read(data, filename="m.xlsx")[1] == [(2, {"name": "Oxfam"})]
    assert "would expand" in refusal(data, filename="m.xlsx", max_uncompressed=100).message


# --- column matching --------------------------------------------------------


def test_match_columns_ignores_case_spaces_and_punctuation():
    """Headers as people write them map to canonical fields; the rest are unknown."""
    columns = ["Organisation Name", "ACRONYM", "E-Mail", "web site", "Member since", "Notes"]
    mapping, unknown = match_columns(columns, ORGANISATION_COLUMNS)
    assert mapping == {
        "name": "Organisation Name",
        "acronym": "ACRONYM",
        "email": "E-Mail",
        "website": "web site",
        "joined": "Member since",
    }
    assert unknown == ["Notes"]


def test_match_columns_reads_russian_headers():
    """Russian headers map too."""
    mapping, unknown = match_columns(
        ["Название", "Сектор", "Эл. почта", "Сайт"], ORGANISATION_COLUMNS
    )
    assert mapping == {
        "name": "Название",
        "sector": "Сектор",
        "email": "Эл. почта",
        "website": "Сайт",
    }
    assert unknown == []


def test_match_columns_accepts_canonical_names():
    """The field names themselves match, e.g. consent_listed."""
    mapping, _unknown = match_columns(["Name", "Consent listed", "consent_contact"], PEOPLE_COLUMNS)
    assert mapping == {
        "name": "Name",
        "consent_listed": "Consent listed",
        "consent_contact": "consent_contact",
    }


def test_match_columns_refuses_two_headers_for_one_field():
    """'Email' and 'E-mail' together are refused rather than one being dropped."""
    with pytest.raises(TableError, match="“Email” and “E-mail”"):
        match_columns(["Email", "E-mail"], ORGANISATION_COLUMNS)


@pytest.mark.parametrize("schema", [ORGANISATION_COLUMNS, PEOPLE_COLUMNS, ATTENDANCE_COLUMNS])
def test_schemas_have_no_alias_in_two_fields(schema):
    """No header could match two fields of one schema."""
    owners: dict[str, str] = {}
    for name, aliases in schema.items():
        for alias in {_column_key(alias) for alias in [name, *aliases]}:
            assert owners.setdefault(alias, name) == name, alias


def test_attendance_schema_matches_the_documented_columns():
    """The attendance columns of DESIGN.md (person, organisation, meeting, date) match."""
    mapping, unknown = match_columns(
        ["person", "organisation", "meeting", "date"], ATTENDANCE_COLUMNS
    )
    assert set(mapping) == {"person", "organisation", "meeting", "date"}
    assert unknown == []
