"""Small display helpers of the directory pages: ``{% load directory_tags %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

from netweave.networks.models import MembershipStatus

register = template.Library()


@register.filter
def status_label(value: str | None) -> str:
    """The translated label of a membership status code."""
    if not value:
        return ""
    try:
        return str(MembershipStatus(value).label)
    except ValueError:
        return value


@register.inclusion_tag("directory/_sector.html")
def sector_badge(sector: Any) -> dict[str, Any]:
    """A sector's colour swatch and translated name (the colour as SVG fill: no inline style)."""
    return {"sector": sector, "name": gettext(sector.name) if sector else ""}
