"""A one-line progress bar for the terminal, with no Django and no third-party package."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Redraws ``label [#####     ] 1,200/5,000`` in place with ``\\r``.

    Call it as ``progress(done, total)``; it redraws at most ``interval`` times a second
    (and always at the end), and draws nothing when ``stream`` is not a terminal unless
    ``force`` is set, so logs and pipes stay clean. ``close()`` ends the line.
    """

    def __init__(
        self,
        label: str = "",
        *,
        stream: TextIO | None = None,
        width: int = 30,
        interval: float = 0.1,
        force: bool = False,
    ) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.interval = interval
        self.enabled = force or getattr(self.stream, "isatty", lambda: False)()
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < self.interval:
            return
        self._last = now
        self.stream.write("\r" + self.render(done, total))
        self.stream.flush()
        self._drawn = True

    def render(self, done: int, total: int) -> str:
        """The bar as text, without the leading ``\\r``."""
        share = min(1.0, done / total) if total else 0.0
        filled = round(share * self.width)
        bar = "#" * filled + " " * (self.width - filled)
        prefix = f"{self.label} " if self.label else ""
        return f"{prefix}[{bar}] {done:,}/{total:,}"

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
