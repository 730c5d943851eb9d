"""Small display helpers of the directory pages: ``{% load directory_tags %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from netweave.core.templatetags.netweave import colour
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


@register.simple_tag
def sector_badge(sector: Any) -> SafeString | str:
    """A sector's colour swatch and translated name (the colour as SVG fill: no inline style).

    Built in Python rather than from a template: a list page shows one per row, and an
    inclusion tag's template render per row took 7% of the directory's render time.
    """
    if not sector:
        return ""
    return format_html(
        '<span class="sector"><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true" '
        'focusable="false"><rect width="10" height="10" fill="{}"/></svg>{}</span>',
        colour(sector.colour),
        gettext(sector.name),
    )


@register.simple_tag
def choice_inputs(field: Any) -> SafeString:
    """The checkboxes or radio buttons of a choice field, a ``<div class="choice">`` each.

    Written in Python: ``{% for choice in field %}`` built a widget context per choice
    (the directory's sectors and topics), a third of the directory's render time. Ids
    follow Django's own (``<field id>_<index>``), so labels and tests find the same inputs.
    """
    widget = field.field.widget
    value = field.value()
    if value is None:
        value = []
    elif not isinstance(value, list | tuple):
        value = [value]
    selected = {str(item) for item in value}
    attrs = field.build_widget_attrs({})
    flags = SafeString(
        ("" if not attrs.get("required") else " required")
        + ("" if not attrs.get("disabled") else " disabled")
    )
    choices = [
        (f"{field.auto_id}_{index}", str(option), label)
        for index, (option, label) in enumerate(field.field.choices)
    ]
    if any(isinstance(label, list | tuple) for _id, _option, label in choices):
        # Grouped choices: Django's own subwidgets know their nested ids.
        choices = [
            (choice.id_for_label, str(choice.data["value"]), choice.choice_label)
            for choice in field
        ]
    rows = [
        (
            widget.input_type,
            field.html_name,
            option,
            input_id,
            SafeString(" checked") if option in selected else "",
            flags,
            input_id,
            label,
        )
        for input_id, option, label in choices
    ]
    if not rows:
        return format_html('<p class="help">{}</p>', gettext("None to choose from yet."))
    return format_html_join(
        "",
        '<div class="choice"><input type="{}" name="{}" value="{}" id="{}"{}{}> '
        '<label for="{}">{}</label></div>',
        rows,
    )
