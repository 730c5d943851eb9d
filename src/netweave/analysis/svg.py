"""The network map as a still picture for reports: SVG always, PNG where Pillow is present.

Pure functions from the analysis JSON (``services.analyse_network``'s output) to text or
bytes: no database, no browser. Positions come from the nodes' ``x`` and ``y``; colours from
the sector colours the caller passes in, or from a fixed palette for communities.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

# The node metrics a map may size its nodes by, in the order the pages offer them.
SIZE_METRICS = (
    "degree",
    "weighted_degree",
    "betweenness",
    "eigenvector",
    "events",
    "engagement",
)
COLOUR_MODES = ("sector", "community")

# Twelve colours that stay apart for colour-blind readers (Okabe–Ito, then Tol's muted).
PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#332288",
    "#88ccee",
    "#44aa99",
    "#882255",
    "#999933",
)
NO_SECTOR_COLOUR = "#9aa3ad"
EDGE_COLOUR = "#8a94a0"
INK = "#1d2430"
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")

WIDTH = 960
HEIGHT = 640
LEGEND_WIDTH = 240
MARGIN = 28
MIN_RADIUS = 4.0
MAX_RADIUS = 18.0
LABELLED = 15  # the biggest nodes get a label; all of them do in small networks
LABEL_ALL_UP_TO = 40


@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: str


@dataclass(frozen=True)
class PlacedNode:
    id: Any
    label: str
    x: float
    y: float
    radius: float
    colour: str
    group: str  # the legend label of its colour


def metric_value(node: Mapping[str, Any], metric: str) -> float:
    """A node's metric as a number (0 when missing or not numeric)."""
    value = node.get(metric)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return 0.0
    return float(value)


def community_colour(community: Any) -> str:
    if isinstance(community, int) and not isinstance(community, bool) and community >= 0:
        return PALETTE[community % len(PALETTE)]
    return NO_SECTOR_COLOUR


def sector_colour(sector: Any, colours: Mapping[str, str]) -> str:
    colour = colours.get(sector) if sector else None
    return colour if colour and HEX.match(colour) else NO_SECTOR_COLOUR


def place_nodes(
    result: Mapping[str, Any],
    *,
    colour_by: str = "sector",
    size_by: str = "degree",
    sector_colours: Mapping[str, str] | None = None,
    sector_names: Mapping[str, str] | None = None,
    community_label: str = "Community %(number)s",
    no_sector_label: str = "No sector",
    width: float = WIDTH,
    height: float = HEIGHT,
) -> tuple[list[PlacedNode], list[LegendEntry]]:
    """Nodes scaled into the drawing area, with their radius and colour, and the legend."""
    colours = sector_colours or {}
    names = sector_names or {}
    nodes = list(result.get("nodes") or ())
    xs = [metric_value(node, "x") for node in nodes]
    ys = [metric_value(node, "y") for node in nodes]
    sizes = [metric_value(node, size_by) for node in nodes]
    biggest = max(sizes, default=0.0)

    def scale(values: list[float], low: float, high: float) -> list[float]:
        if not values:
            return []
        lo, hi = min(values), max(values)
        if hi - lo < 1e-12:
            return [(low + high) / 2] * len(values)
        return [low + (value - lo) / (hi - lo) * (high - low) for value in values]

    # Crowded maps get smaller circles, so that members stay apart.
    crowd = min(1.0, math.sqrt(150 / max(len(nodes), 1)))
    low_radius = MIN_RADIUS * max(crowd, 0.5)
    high_radius = max(6.0, MAX_RADIUS * crowd)
    pad = MARGIN + MAX_RADIUS
    px = scale(xs, pad, width - pad)
    # Screen y grows downwards; the layout's y grows upwards.
    py = scale(ys, height - pad, pad)
    placed: list[PlacedNode] = []
    legend: dict[str, str] = {}
    for node, x, y, size in zip(nodes, px, py, sizes, strict=True):
        share = math.sqrt(size / biggest) if biggest > 0 else 0.0
        if colour_by == "community":
            colour = community_colour(node.get("community"))
            community = node.get("community")
            group = (
                community_label % {"number": community + 1}
                if isinstance(community, int) and community >= 0
                else no_sector_label
            )
        else:
            sector = node.get("sector")
            colour = sector_colour(sector, colours)
            group = (
                names.get(sector) or node.get("sector_name") or sector
                if sector
                else no_sector_label
            )
        legend.setdefault(str(group), colour)
        placed.append(
            PlacedNode(
                id=node.get("id"),
                label=str(node.get("label") or node.get("id")),
                x=x,
                y=y,
                radius=low_radius + (high_radius - low_radius) * share,
                colour=colour,
                group=str(group),
            )
        )
    entries = [LegendEntry(label, colour) for label, colour in legend.items()]
    if colour_by == "sector":
        entries.sort(key=lambda entry: (entry.label == no_sector_label, entry.label))
    return placed, entries


def _labelled(placed: Sequence[PlacedNode]) -> set[Any]:
    if len(placed) <= LABEL_ALL_UP_TO:
        return {node.id for node in placed}
    biggest = sorted(placed, key=lambda node: -node.radius)[:LABELLED]
    return {node.id for node in biggest}


def _edges(result: Mapping[str, Any]) -> list[tuple[Any, Any, float]]:
    found = []
    for edge in result.get("edge_list") or ():
        weight = metric_value(edge, "weight") or 1.0
        found.append((edge.get("source"), edge.get("target"), weight))
    return found


def _number(value: float) -> str:
    return f"{value:.1f}"


def render_svg(
    result: Mapping[str, Any],
    *,
    colour_by: str = "sector",
    size_by: str = "degree",
    sector_colours: Mapping[str, str] | None = None,
    sector_names: Mapping[str, str] | None = None,
    title: str = "",
    subtitle: str = "",
    legend_title: str = "",
    community_label: str = "Community %(number)s",
    no_sector_label: str = "No sector",
) -> str:
    """The map as a standalone SVG document: edges, nodes with tooltips, labels, legend.

    Edges are ``<line>`` elements inside ``<g class="edges">`` and nodes ``<circle>``
    elements inside ``<g class="nodes">``, one per node and edge of the result.
    """
    top = 56 if title else MARGIN
    placed, legend = place_nodes(
        result,
        colour_by=colour_by,
        size_by=size_by,
        sector_colours=sector_colours,
        sector_names=sector_names,
        community_label=community_label,
        no_sector_label=no_sector_label,
        width=WIDTH,
        height=HEIGHT,
    )
    where = {node.id: node for node in placed}
    edges = _edges(result)
    heaviest = max((weight for _a, _b, weight in edges), default=1.0)
    total_width = WIDTH + LEGEND_WIDTH
    total_height = HEIGHT + top
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_width}" '
        f'height="{total_height}" viewBox="0 0 {total_width} {total_height}" '
        f'font-family="DejaVu Sans, Arial, sans-serif" role="img"'
        + (f" aria-label={quoteattr(title)}" if title else "")
        + ">",
    ]
    if title:
        out.append(f"<title>{escape(title)}</title>")
    out.append(f'<rect width="{total_width}" height="{total_height}" fill="#ffffff"/>')
    if title:
        out.append(f'<text x="{MARGIN}" y="28" font-size="18" fill="{INK}">{escape(title)}</text>')
    if subtitle:
        out.append(
            f'<text x="{MARGIN}" y="46" font-size="12" fill="{INK}">{escape(subtitle)}</text>'
        )
    out.append(f'<g transform="translate(0,{top})">')
    out.append(f'<g class="edges" stroke="{EDGE_COLOUR}" stroke-opacity="0.55">')
    for source, target, weight in edges:
        a, b = where.get(source), where.get(target)
        if a is None or b is None:
            continue
        stroke = 0.6 + 2.4 * (weight / heaviest)
        out.append(
            f'<line x1="{_number(a.x)}" y1="{_number(a.y)}" x2="{_number(b.x)}" '
            f'y2="{_number(b.y)}" stroke-width="{stroke:.2f}"/>'
        )
    out.append("</g>")
    out.append('<g class="nodes" stroke="#ffffff" stroke-width="1">')
    for node in placed:
        out.append(
            f'<circle cx="{_number(node.x)}" cy="{_number(node.y)}" r="{_number(node.radius)}" '
            f"fill={quoteattr(node.colour)} data-id={quoteattr(str(node.id))}>"
            f"<title>{escape(node.label)} — {escape(node.group)}</title></circle>"
        )
    out.append("</g>")
    out.append(f'<g class="labels" font-size="11" fill="{INK}">')
    show = _labelled(placed)
    for node in placed:
        if node.id in show:
            out.append(
                f'<text x="{_number(node.x + node.radius + 3)}" y="{_number(node.y + 4)}">'
                f"{escape(node.label)}</text>"
            )
    out.append("</g>")
    out.append("</g>")
    out.append(f'<g class="legend" transform="translate({WIDTH + 8},{top})" font-size="12">')
    if legend_title:
        out.append(
            f'<text x="0" y="14" font-weight="bold" fill="{INK}">{escape(legend_title)}</text>'
        )
    for index, entry in enumerate(legend):
        y = 34 + index * 20
        out.append(
            f'<circle cx="8" cy="{y - 4}" r="6" fill={quoteattr(entry.colour)}/>'
            f'<text x="20" y="{y}" fill="{INK}">{escape(entry.label)}</text>'
        )
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def _edge_grey(share: float) -> tuple[int, int, int]:
    level = round(215 - 95 * max(0.0, min(1.0, share)))
    return (level, level + 4, level + 10)


def render_png(
    result: Mapping[str, Any],
    *,
    colour_by: str = "sector",
    size_by: str = "degree",
    sector_colours: Mapping[str, str] | None = None,
    sector_names: Mapping[str, str] | None = None,
    title: str = "",
    legend_title: str = "",
    community_label: str = "Community %(number)s",
    no_sector_label: str = "No sector",
    font_path: str | None = None,
    scale: int = 2,
) -> bytes:
    """The same picture as :func:`render_svg`, drawn with Pillow as a PNG.

    ``font_path`` names a TrueType font for the labels (one that covers the labels'
    scripts); without it, Pillow's own font is used.
    """
    from PIL import Image, ImageDraw, ImageFont

    top = 56 if title else MARGIN
    placed, legend = place_nodes(
        result,
        colour_by=colour_by,
        size_by=size_by,
        sector_colours=sector_colours,
        sector_names=sector_names,
        community_label=community_label,
        no_sector_label=no_sector_label,
    )

    def font(size: int) -> Any:
        if font_path:
            try:
                return ImageFont.truetype(font_path, size * scale)
            except OSError:
                pass
        return ImageFont.load_default(size * scale)

    image = Image.new("RGB", ((WIDTH + LEGEND_WIDTH) * scale, (HEIGHT + top) * scale), "white")
    draw = ImageDraw.Draw(image)
    small, big = font(11), font(18)
    if title:
        draw.text((MARGIN * scale, 12 * scale), title, fill=_rgb(INK), font=big)
    where = {node.id: node for node in placed}
    edges = _edges(result)
    heaviest = max((weight for _a, _b, weight in edges), default=1.0)
    for source, target, weight in edges:
        a, b = where.get(source), where.get(target)
        if a is None or b is None:
            continue
        draw.line(
            [(a.x * scale, (a.y + top) * scale), (b.x * scale, (b.y + top) * scale)],
            # Heavier ties are darker rather than wider: Pillow draws wide lines far slower.
            fill=_edge_grey(weight / heaviest),
            width=1,
        )
    for node in placed:
        x, y, r = node.x * scale, (node.y + top) * scale, node.radius * scale
        draw.ellipse([x - r, y - r, x + r, y + r], fill=_rgb(node.colour), outline="white")
    show = _labelled(placed)
    for node in placed:
        if node.id in show:
            draw.text(
                ((node.x + node.radius + 3) * scale, (node.y + top - 7) * scale),
                node.label,
                fill=_rgb(INK),
                font=small,
            )
    left = (WIDTH + 8) * scale
    legend_font = font(12)
    if legend_title:
        draw.text((left, top * scale), legend_title, fill=_rgb(INK), font=legend_font)
    for index, entry in enumerate(legend):
        y = (top + 26 + index * 20) * scale
        draw.ellipse(
            [left + 2 * scale, y, left + 14 * scale, y + 12 * scale], fill=_rgb(entry.colour)
        )
        draw.text((left + 20 * scale, y - 1 * scale), entry.label, fill=_rgb(INK), font=legend_font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
