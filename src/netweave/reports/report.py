"""The shape of a report: sections of computed figures, charts and the records behind them.

Every renderer (the HTML page, PDF, XLSX, the API's JSON) reads only these classes, and
every section builder (``netweave.reports.sections``) produces only these, so the two sides
meet here and nowhere else.

Traceability: a figure carries the records it was computed from (``Figure.records``). The
HTML report shows them on a click, the PDF in an annex, the XLSX on an annex sheet. Records
name organisations, meetings, activities, never a person's contact details.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Value = int | float | Decimal | str | None


@dataclass
class Records:
    """A table of the records behind a figure (or a section's extra table)."""

    title: str
    columns: list[str]
    rows: list[list[Any]]

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class Figure:
    """One computed number of a section.

    ``key`` is stable (a template's text names it as ``{key}``); ``value`` is the number
    (``None`` when it cannot be computed, e.g. a share of zero members); ``unit`` is shown
    after it ("%", "EUR"); ``note`` says how it was computed when that is not obvious
    (e.g. "betweenness sampled on 500 nodes").
    """

    key: str
    label: str
    value: Value
    unit: str = ""
    records: Records | None = None
    note: str = ""


@dataclass
class Chart:
    """A chart, drawn by ``netweave.reports.charts`` as SVG for HTML and PDF.

    ``series`` maps a series name to one value per category. ``kind``: ``bar`` (grouped
    vertical bars), ``hbar`` (horizontal bars, long category names), ``stacked`` (stacked
    vertical bars) or ``line`` (years on the x axis).
    """

    key: str
    title: str
    kind: Literal["bar", "hbar", "stacked", "line"]
    categories: list[str]
    series: dict[str, list[float]]
    unit: str = ""


@dataclass
class Section:
    """One part of the report, as computed for a network and a year.

    ``heading`` and ``text`` start as the section's defaults and are replaced by the
    network's template (``services.build_report``). ``image_svg`` is a ready-made picture
    produced by the project's own code (the network map), never user markup.
    """

    key: str
    heading: str
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Records] = field(default_factory=list)
    text: str = ""
    image_svg: str = ""
    image_title: str = ""
    notes: list[str] = field(default_factory=list)
    pending: bool = False  # still being computed in the background: figures are None

    def figure(self, key: str) -> Figure:
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)

    def values(self) -> dict[str, Value]:
        return {figure.key: figure.value for figure in self.figures}


@dataclass
class Report:
    network: Any
    year: int
    title: str
    introduction: str
    closing: str
    sections: list[Section]
    generated: dt.datetime

    @property
    def pending(self) -> bool:
        """Some section is still being computed in the background."""
        return any(section.pending for section in self.sections)

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)
