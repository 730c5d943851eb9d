"""Text normalisation that needs no Django: names compare the way people read them."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def clean_text(value: str | None) -> str:
    """Trim, NFC-normalise and collapse inner white space."""
    if not value:
        return ""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", value)).strip()


def normalize_name(value: str | None) -> str:
    """A key under which two spellings of one name are equal.

    Ignores case, white space and Unicode form, so "Oxfam  GB", "oxfam gb" and a
    decomposed Cyrillic spelling all give the same key.
    """
    text = unicodedata.normalize("NFKC", value or "")
    return _SPACE.sub(" ", text).strip().casefold()
