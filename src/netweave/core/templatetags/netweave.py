"""Template filters shared by every app: ``{% load netweave %}``."""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from netweave.core import pagecache

register = template.Library()
register.tag("cached_part", pagecache.cached_part)

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


# The network menu: (view name, the access property that shows it or None for everyone).
NETWORK_MENU = (
    ("directory:organisation_list", None),
    ("directory:person_list", None),
    ("meetings:calendar", None),
    ("governance:task_group_list", None),
    ("activities:list", None),
    ("library:list", None),
    ("consultations:list", "has_role"),
    ("influence:outcome_list", "has_role"),
    ("analysis:dashboard", "can_view_dashboards"),
    ("reports:index", "can_view_dashboards"),
    ("meetings:offer_list", "has_role"),
    ("partnerships:list", "has_role"),
    ("networks:role_list", "can_manage_roles"),
    ("imports:list", "can_manage_roles"),
    ("core:network_audit", "can_manage_roles"),
)


def _menu_labels() -> dict[str, str]:
    return {
        "directory:organisation_list": _("Directory"),
        "directory:person_list": _("People"),
        "meetings:calendar": _("Meetings"),
        "governance:task_group_list": _("Governance"),
        "activities:list": _("Activities"),
        "library:list": _("Library"),
        "consultations:list": _("Consultations"),
        "influence:outcome_list": _("Outcomes"),
        "analysis:dashboard": _("Analysis"),
        "reports:index": _("Reports"),
        "meetings:offer_list": _("Agenda offers"),
        "partnerships:list": _("Partnerships"),
        "networks:role_list": _("Roles"),
        "imports:list": _("Imports"),
        "core:network_audit": _("Audit"),
    }


@lru_cache(maxsize=512)
def _menu_paths(slug: str, prefix: str, urlconf: str) -> dict[str, str]:
    """The addresses of a network's menu, reversed once per network (they never change
    while the process runs; the script prefix and URL configuration are part of the key)."""
    names = ("networks:detail", *(name for name, _condition in NETWORK_MENU))
    return {name: reverse(name, kwargs={"network": slug}, urlconf=urlconf) for name in names}


@register.simple_tag
def network_menu(network, access) -> SafeString:
    """The links of a network's menu that ``access`` may follow.

    Built in Python from addresses reversed once per network: seventeen ``{% url %}``
    tags on every page of a network were a tenth of a list page's render time.
    """
    paths = _menu_paths(network.slug, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    labels = _menu_labels()
    links = [
        (paths[name], labels[name])
        for name, condition in NETWORK_MENU
        if condition is None or getattr(access, condition, False)
    ]
    return format_html(
        '<a href="{}" class="network-name">{}</a>\n{}',
        paths["networks:detail"],
        network.name,
        format_html_join("\n", '<a href="{}">{}</a>', links),
    )
