"""Small files made in the tests, and a shortcut to upload them."""

from __future__ import annotations

import io
from typing import Any

from netweave.imports.models import ImportRecord
from netweave.imports.services import create_import


def csv_bytes(rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    lines = [delimiter.join(cell for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(
    network: Any,
    kind: str,
    data: bytes,
    *,
    name: str = "file.csv",
    user: Any = None,
    **options: Any,
) -> ImportRecord:
    return create_import(
        network, kind=kind, file_name=name, data=data, options=options, acting_user=user
    )
