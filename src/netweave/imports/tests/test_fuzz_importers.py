"""Fuzzing the three importers: whatever the file holds, the answer is accepted rows or
rejections with reasons, never a crash and never a partial write."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netweave.directory.models import Organisation, Person
from netweave.imports.models import ImportStatus, RowOutcome
from netweave.imports.services import apply_import, plan_import
from netweave.imports.tests.helpers import upload
from netweave.meetings.models import Attendance, Meeting
from netweave.networks.models import Membership

COLUMNS = {
    "organisations": (
        "name", "acronym", "sector", "country", "region", "website", "email", "phone",
        "topics", "joined",
    ),
    "people": (
        "name", "organisation", "position", "email", "phone", "languages", "topics",
        "consent_listed", "consent_contact",
    ),
    "attendance": ("person", "organisation", "meeting", "date"),
}  # fmt: skip
REQUIRED = {"organisations": ("name",), "people": ("name",), "attendance": ("person", "date")}

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Cells that look almost right, and cells that are plain hostile.
tricky = st.sampled_from(
    [
        "", " ", "Alpha Water Institute", "AWI", "government", "ngo", "TJ", "Tajikistan",
        "https://example.org", "not a url", "a@example.org", "not-an-email", "+992 37 221",
        "2024-02-30", "2024-01-15", "31/12/2023", "12/31/2023", "yes", "no", "maybe",
        "water; energy", "en, ru", "=cmd|' /C calc'!A0", "\x00", "a\x00b", "'; drop table x; --",
        "<script>alert(1)</script>", "x" * 300, "Ｗａｔｅｒ", "\u202eevil", "\r\n", '"', "0",
        "-1", "1e309", "NaN",
    ]
)  # fmt: skip
cell = st.one_of(tricky, st.text(max_size=40))


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Organisation, Person, Membership, Meeting, Attendance)
    )


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def sheets(draw):
    kind = draw(st.sampled_from(sorted(COLUMNS)))
    extra = draw(st.lists(st.sampled_from(COLUMNS[kind]), unique=True, max_size=6))
    header = list(dict.fromkeys([*REQUIRED[kind], *extra]))
    if draw(st.booleans()):
        header.append(draw(st.sampled_from(["notes", "Name", "", "name"])))
    rows = draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), max_size=6))
    return kind, _csv(header, rows)


def _attempt(personas, kind: str, data: bytes, *, skip_invalid: bool) -> None:
    before = _counts()
    try:
        record = upload(personas.network, kind, data, name="fuzz.csv")
    except ValidationError as error:
        assert error.messages and all(error.messages)
        assert _counts() == before
        return
    try:
        with plan_import(record) as plan:
            assert plan.rows_total == sum(plan.counts.values())
            for line in plan.report:
                if line["outcome"] == RowOutcome.REJECTED:
                    assert line["reason"], line
    except ValidationError as error:
        assert error.messages and all(error.messages)
    assert _counts() == before, "planning wrote domain rows"
    record.refresh_from_db()
    try:
        apply_import(record, acting_user=personas.fiona, skip_invalid=skip_invalid)
    except ValidationError as error:
        assert error.messages and all(error.messages)
        assert _counts() == before, "a refused import left rows behind"
        record.refresh_from_db()
        assert record.status != ImportStatus.APPLIED


@FUZZ
@given(sheet=sheets(), skip_invalid=st.booleans())
def test_fuzzed_sheets_give_rows_or_reasons(personas, sheet, skip_invalid):
    kind, data = sheet
    _attempt(personas, kind, data, skip_invalid=skip_invalid)


@FUZZ
@given(data=st.binary(max_size=300), kind=st.sampled_from(sorted(COLUMNS)))
def test_random_bytes_give_reasons(personas, data, kind):
    _attempt(personas, kind, data, skip_invalid=False)


@FUZZ
@given(
    prefix=st.sampled_from([b"name\n", b"person,date\n", b"\xef\xbb\xbfname;acronym\n"]),
    data=st.binary(max_size=200),
    kind=st.sampled_from(sorted(COLUMNS)),
)
def test_a_good_header_with_random_bytes_after_it(personas, prefix, data, kind):
    _attempt(personas, kind, prefix + data, skip_invalid=True)
