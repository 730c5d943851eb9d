"""A pause point for the tests that kill a process in the middle of a write.

When the environment variable ``NETWEAVE_TEST_PAUSE_AFTER_ROWS`` holds a number, the
importer (after writing that many rows, inside its transaction) and the backup (after
writing its data, before moving the file into place) print ``netweave-paused <where>`` on
standard error and sleep, so a test can send SIGKILL at a known moment. Unset, as in every
real run, ``pause_point`` does nothing.
"""

from __future__ import annotations

import os
import sys
import time

ENV = "NETWEAVE_TEST_PAUSE_AFTER_ROWS"
_paused: set[str] = set()


def pause_point(where: str, done: int) -> None:
    """Sleep for good, once per ``where``, when the environment asks for it."""
    limit = os.environ.get(ENV)
    if not limit or where in _paused or done < int(limit):
        return
    _paused.add(where)
    sys.stderr.write(f"netweave-paused {where}\n")
    sys.stderr.flush()
    time.sleep(600)
