"""Template filters and tags of the report: ``{% load reports %}``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from netweave.reports import services
from netweave.reports.report import Chart, Figure, Records

register = template.Library()


def with_unit(text: str, unit: str) -> str:
    """``12 EUR``, ``45%``: a value and its unit, kept together on one line."""
    if not unit:
        return text
    if unit == "%":
        return f"{text}%"
    return f"{text}\u00a0{unit}"


@register.filter
def figure_value(figure: Figure | Any, unit: str = "") -> str:
    """A figure's value as the reader sees it, with its unit (a bare value takes ``unit``)."""
    if isinstance(figure, Figure):
        if figure.value is None:
            return services.format_value(None)
        return with_unit(services.format_value(figure.value), figure.unit)
    if figure is None:
        return services.format_value(None)
    return with_unit(services.format_value(figure), unit)


@register.filter
def cell(value: Any) -> str:
    """One cell of a records table: numbers localised, dates localised, nothing as a dash.

    Whole numbers under 10,000 are not grouped, as tables usually print them, so that a
    year (2015) or a count reads the same in any column.
    """
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT", use_l10n=True)
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT", use_l10n=True)
    if isinstance(value, int) and abs(value) < 10_000:
        return str(value)
    if isinstance(value, int | float | Decimal):
        return services.format_value(value)
    return str(value)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


@register.filter(is_safe=True)
def chart_svg(chart: Chart) -> SafeString:
    """The chart drawn as inline SVG (markup made by our own code, never by users)."""
    from netweave.reports.charts import chart_svg as draw

    return mark_safe(draw(chart))  # noqa: S308 — matplotlib's output with escaped labels


@register.simple_tag
def records_table(records: Records, caption: bool = True) -> SafeString:
    """The records behind a figure (or a section's extra table) as an HTML table."""
    numeric = [
        bool(records.rows)
        and all(is_number(row[i]) or row[i] is None for row in records.rows if i < len(row))
        for i in range(len(records.columns))
    ]
    head = format_html_join(
        "",
        '<th scope="col"{}>{}</th>',
        ((_num(numeric[i]), str(column)) for i, column in enumerate(records.columns)),
    )
    if records.rows:
        body = format_html_join(
            "",
            "<tr>{}</tr>",
            (
                (
                    format_html_join(
                        "",
                        "<td{}>{}</td>",
                        (
                            (_num(i < len(numeric) and numeric[i]), cell(value))
                            for i, value in enumerate(row)
                        ),
                    ),
                )
                for row in records.rows
            ),
        )
    else:
        body = format_html(
            '<tr><td colspan="{}" class="empty">{}</td></tr>',
            max(len(records.columns), 1),
            _("No records."),
        )
    title = format_html("<caption>{}</caption>", records.title) if caption else ""
    return format_html(
        '<div class="table-wrap"><table class="report-records">{}<thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody></table></div>",
        title,
        head,
        body,
    )


def _num(numeric: bool) -> SafeString:
    return mark_safe(' class="num"' if numeric else "")  # noqa: S308 — a constant


@register.filter
def has_records(report: Any) -> bool:
    """Whether any figure of the report carries records (and so the annex has entries)."""
    return any(
        figure.records is not None for section in report.sections for figure in section.figures
    )


@register.filter(is_safe=True)
def css_string(value: Any) -> SafeString:
    """Text for the inside of a double-quoted CSS string (``content: "…"``)."""
    out = []
    for char in str(value):
        if char.isalnum() or char in " .,-_":
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return mark_safe("".join(out))  # noqa: S308 — every other character is escaped
