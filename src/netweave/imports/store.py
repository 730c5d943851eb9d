"""A scratch store on disk for one import's plan, so memory does not grow with the file.

Planning streams the rows once and keeps, per row, the action it decided and the keys
(normalised name, e-mail …) that later rows are compared against. Both live in a
temporary SQLite file (the standard library's ``sqlite3``, not Django's database), so a
50,000-row file costs disk, not memory, and applying reads the actions back in batches.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from typing import Any


class PlanStore:
    """Row actions and first-seen keys of one plan; ``close()`` deletes the file."""

    def __init__(self) -> None:
        handle, self.path = tempfile.mkstemp(prefix="netweave-import-", suffix=".sqlite3")
        os.close(handle)
        self._db = sqlite3.connect(self.path)
        self._db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -2000;
            CREATE TABLE keys (key TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE actions (row INTEGER PRIMARY KEY, data TEXT NOT NULL);
            """
        )

    def first_row(self, key: str) -> int | None:
        """The row that first claimed ``key``, or ``None``."""
        found = self._db.execute("SELECT row FROM keys WHERE key = ?", (key,)).fetchone()
        return found[0] if found else None

    def claim(self, key: str, row: int) -> None:
        """Remember that ``row`` holds ``key`` (the first claim wins)."""
        self._db.execute("INSERT OR IGNORE INTO keys (key, row) VALUES (?, ?)", (key, row))

    def put(self, row: int, action: dict[str, Any]) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO actions (row, data) VALUES (?, ?)",
            (row, json.dumps(action, default=str)),
        )

    def get(self, row: int) -> dict[str, Any] | None:
        found = self._db.execute("SELECT data FROM actions WHERE row = ?", (row,)).fetchone()
        return json.loads(found[0]) if found else None

    def actions(self, batch: int = 1000) -> Iterator[list[tuple[int, dict[str, Any]]]]:
        """Every stored action in row order, ``batch`` at a time."""
        last = -1
        while True:
            rows = self._db.execute(
                "SELECT row, data FROM actions WHERE row > ? ORDER BY row LIMIT ?", (last, batch)
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [(row, json.loads(data)) for row, data in rows]

    def close(self) -> None:
        self._db.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def __enter__(self) -> PlanStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
