"""Template filters shared by every app: ``{% load netweave %}``."""

from __future__ import annotations

import re

import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Rich text written by members: structure and links, no images or image maps (they
# would load from other hosts and track readers), no styles or scripts.
ALLOWED_TAGS = nh3.ALLOWED_TAGS - {"img", "area", "map"}
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{3,8}$")


@register.filter(is_safe=True)
def sanitize(value: str | None) -> SafeString:
    """Member-written HTML cleaned by nh3 so that it is safe to show as HTML."""
    if not value:
        return mark_safe("")  # noqa: S308 — empty
    return mark_safe(nh3.clean(str(value), tags=ALLOWED_TAGS))  # noqa: S308 — nh3 cleaned it


@register.filter
def colour(value: str | None) -> str:
    """A hex colour for an SVG ``fill``, or neutral grey for anything else."""
    value = (value or "").strip()
    return value if _HEX_COLOUR.match(value) else "#888888"
