"""Drawing a report's charts as SVG that can be inlined in HTML and in the PDF.

Matplotlib's object interface is used without pyplot, so no global figure manager or GUI
backend is involved and charts can be drawn from several threads. The output is
deterministic (fixed hash salt, no date), so the same report gives the same bytes.

Text is written as ``<text>`` elements in DejaVu Sans (shipped with matplotlib, found by
WeasyPrint through fontconfig when installed, else the reader's sans-serif): the browser
or WeasyPrint then shapes it, which keeps Cyrillic and Arabic labels readable and
searchable in the PDF.
"""

from __future__ import annotations

import hashlib
import io
import re
import textwrap
from collections.abc import Sequence

import matplotlib
from django.utils.html import escape
from django.utils.translation import gettext as _
from matplotlib.figure import Figure as MplFigure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from netweave.reports import services
from netweave.reports.report import Chart

# Okabe & Ito's palette, which stays distinguishable for the common colour-vision
# deficiencies; blue first because it also reads well in grey.
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#F0E442",
    "#000000",
]
WIDTH_IN = 7.0  # about the text width of an A4 page once trimmed to the drawing
HEIGHT_IN = 3.2
FONT_PT = 9

STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": FONT_PT,
    "svg.fonttype": "none",
    "svg.hashsalt": "netweave-report",
    "text.parse_math": False,  # a "$" in a label is a dollar, not mathematics
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": "#222222",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "axes.titlesize": FONT_PT + 1,
    "legend.frameon": False,
}

_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_STYLE_ELEMENT = re.compile(r"\s*<defs>\s*<style[^>]*>.*?</style>\s*</defs>", re.DOTALL)
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_ID = re.compile(r'\bid="([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")
_HREF = re.compile(r'(xlink:href|href)="#([^"]+)"')
_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")


def chart_svg(chart: Chart) -> str:
    """``chart`` drawn as an ``<svg role="img">`` element with a ``<title>``, no prolog."""
    with matplotlib.rc_context(STYLE):
        figure = draw(chart)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return inline(out.getvalue(), chart)


def draw(chart: Chart) -> MplFigure:
    categories = [str(c) for c in chart.categories]
    series = {str(name): [float(v or 0) for v in values] for name, values in chart.series.items()}
    height = HEIGHT_IN
    if chart.kind == "hbar":
        height = min(9.0, max(1.6, 0.8 + 0.32 * len(categories) * max(1, len(series))))
    figure = MplFigure(figsize=(WIDTH_IN, height))
    ax = figure.add_subplot()
    if not categories or not series:
        ax.set_axis_off()
        ax.text(0.5, 0.5, _("No data for this chart."), ha="center", va="center")
        return figure
    integers = all(float(v).is_integer() for values in series.values() for v in values)
    formatter = FuncFormatter(lambda value, _pos: tick(value, integers))
    if chart.kind == "hbar":
        draw_hbar(ax, categories, series)
        ax.xaxis.set_major_formatter(formatter)
        ax.xaxis.set_major_locator(MaxNLocator(integer=integers))
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    elif chart.kind == "line":
        draw_line(ax, categories, series)
    elif chart.kind == "stacked":
        draw_stacked(ax, categories, series)
    else:
        draw_bars(ax, categories, series)
    if chart.kind != "hbar":
        ax.yaxis.set_major_formatter(formatter)
        ax.yaxis.set_major_locator(MaxNLocator(integer=integers))
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        bottom, top = ax.get_ylim()
        # Headroom for the value labels above the highest bar.
        ax.set_ylim(min(0, bottom), top + (top - min(0, bottom)) * 0.08)
    ax.set_axisbelow(True)
    if chart.unit:
        (ax.set_xlabel if chart.kind == "hbar" else ax.set_ylabel)(chart.unit)
    if len(series) > 1:
        # Above the plot, where wrapped or slanted category names cannot run into it.
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0, 1.02),
            ncols=min(4, len(series)),
            fontsize=FONT_PT - 0.5,
            borderaxespad=0,
        )
    return figure


def draw_bars(ax, categories: list[str], series: dict[str, list[float]]) -> None:
    count = len(series)
    width = 0.8 / count
    positions = range(len(categories))
    for index, (name, values) in enumerate(series.items()):
        offset = (index - (count - 1) / 2) * width
        bars = ax.bar(
            [p + offset for p in positions],
            values,
            width * 0.95,
            label=name,
            color=PALETTE[index % len(PALETTE)],
        )
        if len(categories) * count <= 24:
            ax.bar_label(bars, labels=[label(v) for v in values], fontsize=FONT_PT - 1, padding=2)
    set_categories(ax, categories)


def draw_stacked(ax, categories: list[str], series: dict[str, list[float]]) -> None:
    bottoms = [0.0] * len(categories)
    positions = list(range(len(categories)))
    for index, (name, values) in enumerate(series.items()):
        ax.bar(
            positions,
            values,
            0.7,
            bottom=bottoms,
            label=name,
            color=PALETTE[index % len(PALETTE)],
            edgecolor="white",
            linewidth=0.5,
        )
        bottoms = [b + v for b, v in zip(bottoms, values, strict=False)]
    if len(categories) <= 24:
        for position, total in zip(positions, bottoms, strict=False):
            ax.annotate(
                label(total),
                (position, total),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=FONT_PT - 1,
            )
    set_categories(ax, categories)


def draw_hbar(ax, categories: list[str], series: dict[str, list[float]]) -> None:
    count = len(series)
    height = 0.8 / count
    # The first category at the top, as a reader of a list expects.
    positions = list(range(len(categories) - 1, -1, -1))
    for index, (name, values) in enumerate(series.items()):
        offset = (index - (count - 1) / 2) * height
        bars = ax.barh(
            [p - offset for p in positions],
            values,
            height * 0.95,
            label=name,
            color=PALETTE[index % len(PALETTE)],
        )
        ax.bar_label(bars, labels=[label(v) for v in values], fontsize=FONT_PT - 1, padding=2)
    ax.set_yticks(positions, [wrap(c, 32) for c in categories])
    ax.tick_params(axis="y", length=0)
    ax.margins(x=0.08)


def draw_line(ax, categories: list[str], series: dict[str, list[float]]) -> None:
    positions = list(range(len(categories)))
    for index, (name, values) in enumerate(series.items()):
        ax.plot(
            positions,
            values,
            label=name,
            color=PALETTE[index % len(PALETTE)],
            marker="osD^v<>p"[index % 8],
            markersize=4,
            linewidth=1.6,
        )
    set_categories(ax, categories)


def set_categories(ax, categories: Sequence[str]) -> None:
    longest = max((len(c) for c in categories), default=0)
    crowded = len(categories) > 6 and longest > 8
    ax.set_xticks(
        range(len(categories)),
        [wrap(c, 14 if not crowded else 24) for c in categories],
        rotation=30 if crowded else 0,
        ha="right" if crowded else "center",
    )
    ax.tick_params(axis="x", length=0)


def wrap(text: str, width: int) -> str:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > 3:
        lines = [*lines[:2], textwrap.shorten(" ".join(lines[2:]), width, placeholder="…")]
    return "\n".join(lines)


def label(value: float) -> str:
    return services.format_value(int(value) if float(value).is_integer() else value)


def tick(value: float, integers: bool) -> str:
    if integers or float(value).is_integer():
        return services.format_value(round(value))
    return services.format_value(value)


def attributes(style: str) -> str:
    """``fill: #fff; stroke-width: 2`` as `` fill="#fff" stroke-width="2"``."""
    out = []
    for declaration in style.split(";"):
        name, _colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name and value:
            out.append(f' {name}="{value}"')
    return "".join(out)


def inline(svg: str, chart: Chart) -> str:
    """Matplotlib's SVG made ready for inlining: no prolog, unique ids, role and title."""
    svg = _PROLOG.sub("", svg, count=1).strip()
    svg = _METADATA.sub("", svg, count=1)
    # An inline <style> would apply to the whole page, and an HTML layout engine reads
    # style attributes as CSS it does not know: presentation attributes say the same.
    svg = _STYLE_ELEMENT.sub("", svg, count=1)
    svg = _STYLE_ATTRIBUTE.sub(lambda m: attributes(m.group(1)), svg)
    # Several charts share one HTML page; their ids (clip paths, groups) must not collide.
    digest = hashlib.sha1(  # noqa: S324 — an id prefix, not security
        repr((chart.key, chart.title, chart.kind, chart.categories, chart.series)).encode()
    ).hexdigest()[:8]
    prefix = f"c{digest}-"
    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = _URL.sub(lambda m: f"url(#{prefix}{m.group(1)})", svg)
    # SVG 2's plain href: an HTML parser does not always carry xlink:href into the SVG.
    svg = _HREF.sub(lambda m: f'href="#{prefix}{m.group(2)}"', svg)
    title_id = f"{prefix}title"
    svg = _SVG_OPEN.sub(
        lambda m: (
            f'<svg{m.group(1)} role="img" aria-labelledby="{title_id}" class="chart">'
            f'<title id="{title_id}">{escape(chart.title)}</title>'
        ),
        svg,
        count=1,
    )
    return svg
