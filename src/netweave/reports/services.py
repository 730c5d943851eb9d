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
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from netweave.reports.models import ReportSection, ReportTemplate
from netweave.reports.registry import SectionType, may_wait, section_types
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


def _built(section_type: SectionType, network: Network, year: int, heading: str, text: str):
    section = section_type.build(network, year)
    section.heading = heading
    if text:
        section.text = fill(text, section.values())
    return section


def build_report(
    network: Network, year: int, *, only: Iterable[str] | None = None, wait: bool = True
) -> Report:
    """Compute the report of ``network`` for ``year``, dressed in the network's template.

    With ``wait=False`` a section whose long work (the year's network analysis) is not done
    yet comes back ``pending``, while that work goes on in the background.
    """
    template = template_of(network)
    wanted = set(only) if only is not None else None
    sections = []
    token = may_wait.set(wait)
    try:
        for section_type, heading, text in planned_sections(template):
            if wanted is not None and section_type.key not in wanted:
                continue
            sections.append(_built(section_type, network, year, heading, text))
    finally:
        may_wait.reset(token)
    # The introduction and closing may name any figure of the report, and the network and year.
    values: dict[str, Value] = {"network": network.name, "year": str(year)}
    for section in sections:
        for key, value in section.values().items():
            values.setdefault(key, value)
    return Report(
        network=network,
        year=year,
        title=report_title(network, year, template),
        introduction=fill(template.introduction, values) if template else "",
        closing=fill(template.closing, values) if template else "",
        sections=sections,
        generated=timezone.now(),
    )


TITLE_PLACEHOLDERS = ("network", "year")


def wording_placeholders() -> list[str]:
    """What the introduction and closing may name: the network, the year, any figure."""
    names = list(TITLE_PLACEHOLDERS)
    for section_type in section_types():
        names.extend(key for key in section_type.figures if key not in names)
    return names


def save_template(
    network: Network,
    *,
    title: str,
    introduction: str,
    closing: str,
    sections: Iterable[Mapping[str, Any]],
    acting_user: Any,
) -> ReportTemplate:
    """Save the network's report wording: everything, or nothing when any part is refused.

    ``sections`` are mappings with ``key``, ``enabled``, ``position``, ``heading`` and
    ``text``; a registered section left out keeps its settings. Errors come back by field:
    ``title``, and ``sections`` as one message per refused section naming it.
    """
    types = {t.key: t for t in section_types()}
    errors: dict[str, list[str]] = {}
    for name, text, allowed in (
        ("title", title, TITLE_PLACEHOLDERS),
        ("introduction", introduction, wording_placeholders()),
        ("closing", closing, wording_placeholders()),
    ):
        try:
            check_placeholders(text, allowed)
        except ValidationError as error:
            errors[name] = error.messages
    items = [dict(item) for item in sections]
    seen: set[str] = set()
    section_errors: list[str] = []
    for item in items:
        key = item.get("key")
        if key not in types:
            section_errors.append(_("There is no report section “%(key)s”.") % {"key": key})
            continue
        if key in seen:
            section_errors.append(_("The section “%(key)s” is given twice.") % {"key": key})
            continue
        seen.add(key)
        try:
            check_placeholders(item.get("text") or "", types[key].figures)
        except ValidationError as error:
            section_errors.extend(
                f"{item.get('heading') or types[key].heading}: {message}"
                for message in error.messages
            )
    if section_errors:
        errors["sections"] = section_errors
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        template, _created = ReportTemplate.objects.select_for_update().get_or_create(
            network=network
        )
        template.title = title
        template.introduction = introduction
        template.closing = closing
        template.save()  # a new modified time: cached reports of the old wording go stale
        existing = {s.key: s for s in template.sections.all()}
        for item in items:
            row = existing.get(item["key"]) or ReportSection(template=template, key=item["key"])
            row.enabled = bool(item.get("enabled", True))
            row.position = int(item.get("position") or 0)
            row.heading = item.get("heading") or ""
            row.text = item.get("text") or ""
            row.save()
    return template


def template_sections(template: ReportTemplate | None) -> list[dict[str, Any]]:
    """Every registered section with the template's settings, in the template's order.

    Unlike ``planned_sections`` this keeps the sections left out of the report, for the
    editor; ``position`` counts from 1 in that order.
    """
    types = section_types()
    settings = {s.key: s for s in template.sections.all()} if template is not None else {}

    def order(t: SectionType) -> tuple[int, int]:
        chosen = settings.get(t.key)
        return (chosen.position if chosen else 1000 + t.order, t.order)

    rows = []
    for position, t in enumerate(sorted(types, key=order), start=1):
        chosen = settings.get(t.key)
        rows.append(
            {
                "key": t.key,
                "type": t,
                "enabled": chosen.enabled if chosen else True,
                "position": position,
                "heading": chosen.heading if chosen else "",
                "text": chosen.text if chosen else "",
            }
        )
    return rows
