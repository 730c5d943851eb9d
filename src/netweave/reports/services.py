"""Building a report: compute each section, then dress it in the network's template.

``build_report(network, year)`` is the one entry point of the page, the API, the CLI and the
renderers. Figures are computed from the records every time; the template only supplies
words. Placeholders in the words (``{members_total}``) are checked with
``check_placeholders`` when a template is saved and filled by ``fill``, which never
evaluates anything: only bare names of the section's figures are allowed, so a template
cannot reach attributes or items the way ``str.format`` would.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from string import Formatter
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from netweave.reports.models import ReportTemplate
from netweave.reports.registry import SectionType, section_types
from netweave.reports.report import Report, Value

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from netweave.networks.models import Network

FIRST_YEAR = 1990


def report_years(network: Network, *, today: dt.date | None = None) -> list[int]:
    """The years a report can be asked for: from the network's start to this year, newest first."""
    today = today or timezone.localdate()
    first = network.launched.year if network.launched else None
    joined = network.memberships.order_by("joined").values_list("joined", flat=True)[:1]
    candidates = [y for y in (first, *(day.year for day in joined)) if y]
    start = max(FIRST_YEAR, min(candidates)) if candidates else today.year
    return list(range(today.year, start - 1, -1))


def check_year(network: Network, year: Any) -> int:
    """The year as an int, or a ``ValidationError`` naming the years that can be reported."""
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise ValidationError(_("“%(year)s” is not a year.") % {"year": year}) from None
    years = report_years(network)
    if value not in years:
        raise ValidationError(
            _("There is no report for %(year)s: choose a year from %(first)s to %(last)s.")
            % {"year": value, "first": years[-1], "last": years[0]}
        )
    return value


def format_value(value: Value) -> str:
    """A figure's value as the reader sees it, localised, with thousands separators."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return formats.number_format(value, 0, use_l10n=True, force_grouping=True)
    if isinstance(value, float | Decimal):
        places = 0 if value == int(value) else (1 if abs(value) >= 10 else 2)
        return formats.number_format(value, places, use_l10n=True, force_grouping=True)
    return str(value)


def placeholders(text: str) -> list[str]:
    """The names used as ``{name}`` in ``text``; ``ValueError`` when the braces do not parse."""
    return [name for _literal, name, _spec, _conv in Formatter().parse(text) if name is not None]


def check_placeholders(text: str, allowed: Iterable[str]) -> None:
    """Refuse a text whose placeholders are malformed or name no figure of the section."""
    allowed = list(allowed)
    try:
        names = placeholders(text)
    except ValueError:
        raise ValidationError(
            _("Unbalanced braces: write {figure} to insert a figure, {{ and }} for a brace.")
        ) from None
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise ValidationError(
            _("Unknown figure %(names)s. Available: %(allowed)s.")
            % {
                "names": ", ".join("{" + n + "}" for n in unknown),
                "allowed": ", ".join("{" + n + "}" for n in allowed) or _("none"),
            }
        )


def fill(text: str, values: Mapping[str, Value]) -> str:
    """Put the figures' formatted values into ``text`` (placeholders were checked on save)."""
    out: list[str] = []
    try:
        parts = list(Formatter().parse(text))
    except ValueError:
        return text
    for literal, name, _spec, _conv in parts:
        out.append(literal)
        if name is not None:
            out.append(format_value(values[name]) if name in values else "{" + name + "}")
    return "".join(out)


def template_of(network: Network) -> ReportTemplate | None:
    try:
        return ReportTemplate.objects.prefetch_related("sections").get(network=network)
    except ReportTemplate.DoesNotExist:
        return None


def planned_sections(template: ReportTemplate | None) -> list[tuple[SectionType, str, str]]:
    """The sections to include, in the template's order: (type, heading, text)."""
    types = section_types()
    if template is None:
        return [(t, str(t.heading), "") for t in types]
    settings = {s.key: s for s in template.sections.all()}
    default_position = {t.key: 1000 + t.order for t in types}

    def position(t: SectionType) -> tuple[int, int]:
        chosen = settings.get(t.key)
        return (chosen.position if chosen else default_position[t.key], t.order)

    plan = []
    for t in sorted(types, key=position):
        chosen = settings.get(t.key)
        if chosen is not None and not chosen.enabled:
            continue
        heading = (chosen.heading if chosen else "") or str(t.heading)
        plan.append((t, heading, chosen.text if chosen else ""))
    return plan


def report_title(network: Network, year: int, template: ReportTemplate | None) -> str:
    pattern = template.title if template and template.title else _("Annual report {year}")
    return fill(pattern, {"network": network.name, "year": str(year)})


def build_report(network: Network, year: int, *, only: Iterable[str] | None = None) -> Report:
    """Compute the report of ``network`` for ``year``, dressed in the network's template."""
    template = template_of(network)
    wanted = set(only) if only is not None else None
    sections = []
    for section_type, heading, text in planned_sections(template):
        if wanted is not None and section_type.key not in wanted:
            continue
        section = section_type.build(network, year)
        section.heading = heading
        if text:
            section.text = fill(text, section.values())
        sections.append(section)
    return Report(
        network=network,
        year=year,
        title=report_title(network, year, template),
        introduction=template.introduction if template else "",
        closing=template.closing if template else "",
        sections=sections,
        generated=timezone.now(),
    )
