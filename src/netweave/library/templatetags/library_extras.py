"""Small filters for the library's templates."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: dict | None, key: Any) -> Any:
    """``mapping[key]``, or ``None`` (snippets by document id)."""
    return (mapping or {}).get(key)
