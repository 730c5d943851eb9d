"""Directory exports (CSV, XLSX, JSON) built with tablib, shared by the page and the CLI."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import tablib
from django.utils.translation import gettext

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
# A spreadsheet treats a cell that starts with one of these as a formula (OWASP "CSV
# injection"); tab and carriage return are on OWASP's list as well.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ORGANISATION_COLUMNS = (
    "name",
    "acronym",
    "sector",
    "country",
    "region",
    "website",
    "status",
    "joined",
    "left",
    "topics",
)
CONTACT_COLUMNS = ("email", "phone")


def neutralise(value: Any) -> Any:
    """Prefix ``'`` to text a spreadsheet would run as a formula; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def organisation_rows(
    organisations: Iterable[Any], *, include_contacts: bool
) -> tuple[list[str], Iterable[list[Any]]]:
    """Column names and rows for organisations from ``Organisation.objects.for_directory``.

    ``organisations`` must have ``topics`` prefetched and the sector selected.
    """
    columns = list(ORGANISATION_COLUMNS) + (list(CONTACT_COLUMNS) if include_contacts else [])

    def rows() -> Iterable[list[Any]]:
        for org in organisations:
            row = [
                org.name,
                org.acronym,
                gettext(org.sector.name),
                org.country,
                org.region,
                org.website,
                org.membership_status or "",
                org.joined.isoformat() if org.joined else "",
                org.left.isoformat() if org.left else "",
                "; ".join(topic.name for topic in org.topics.all()),
            ]
            if include_contacts:
                row += [org.email, org.phone]
            yield row

    return columns, rows()


def build_dataset(columns: list[str], rows: Iterable[list[Any]], *, fmt: str) -> tablib.Dataset:
    """A dataset for ``fmt``; spreadsheet formats get formula-like cells neutralised.

    JSON keeps values as they are: it is read by programs, not by spreadsheets, and a
    phone number such as "+992 37 …" should reach them unchanged.
    """
    dataset = tablib.Dataset(headers=columns)
    spreadsheet = fmt in ("csv", "xlsx")
    for row in rows:
        dataset.append([neutralise(value) for value in row] if spreadsheet else row)
    return dataset


def render(dataset: tablib.Dataset, fmt: str) -> bytes:
    """The dataset as the bytes of a file in ``fmt`` (csv, xlsx or json)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if fmt == "xlsx":
        return dataset.export("xlsx")
    # A byte-order mark so that spreadsheet programs read UTF-8 (Cyrillic, Arabic) right.
    text = dataset.export(fmt)
    return ("\ufeff" + text).encode("utf-8") if fmt == "csv" else text.encode("utf-8")


def export_organisations(
    organisations: Iterable[Any], *, fmt: str, include_contacts: bool
) -> bytes:
    columns, rows = organisation_rows(organisations, include_contacts=include_contacts)
    return render(build_dataset(columns, rows, fmt=fmt), fmt)
