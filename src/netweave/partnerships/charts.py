"""The partnership pictures and the two rules behind their flags, as pure functions.

- Divergence: a partner whose placement lies further than the partnership's threshold
  from the average of all partners' placements (straight-line distance on the −1..1
  plane) is flagged, so its view can be discussed at the next meeting.
- Drop: a health dimension whose average fell by at least the drop threshold since the
  previous round that had enough answers is flagged. Rounds with fewer than
  ``MIN_ANSWERS`` answers show no scores at all and are skipped by the comparison.

The readers that feed these functions live in ``services.py``; everything here works on
plain data and is tested without a database.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from netweave.partnerships.models import DIMENSIONS, MIN_ANSWERS, HealthDimension

INK = "#1d2430"
GRID = "#d9dee5"
ACCENT = "#0b5cad"
FLAG = "#c0392b"
DIMENSION_COLOURS = {
    "trust": "#1f77b4",
    "value": "#ff7f0e",
    "communication": "#2ca02c",
    "equity": "#9467bd",
    "purpose": "#8c564b",
}
EPSILON = 1e-9  # so that a drop of exactly the threshold counts despite float rounding


# Plotting the partnership ----------------------------------------------------------------
@dataclass(frozen=True)
class PlotPoint:
    label: str
    x: float  # service delivery (−1) ↔ policy influence (1)
    y: float  # regulating delivery (−1) ↔ stimulating innovation (1)
    target_x: float | None = None
    target_y: float | None = None
    placed_on: dt.date | None = None
    colour: str = ACCENT


@dataclass(frozen=True)
class PlacedPoint:
    point: PlotPoint
    distance: float
    flagged: bool


@dataclass(frozen=True)
class PlotSummary:
    points: list[PlacedPoint]
    average: tuple[float, float] | None
    threshold: float

    @property
    def flagged(self) -> list[PlacedPoint]:
        return [placed for placed in self.points if placed.flagged]


def divergence(points: Sequence[PlotPoint], threshold: float) -> PlotSummary:
    """Each point's distance from the average, flagged beyond ``threshold``.

    With a single point there is nobody to diverge from, so nothing is flagged.
    """
    if not points:
        return PlotSummary(points=[], average=None, threshold=threshold)
    avg_x = sum(p.x for p in points) / len(points)
    avg_y = sum(p.y for p in points) / len(points)
    placed = []
    for point in points:
        distance = round(math.hypot(point.x - avg_x, point.y - avg_y), 3)
        placed.append(
            PlacedPoint(
                point=point,
                distance=distance,
                flagged=len(points) > 1 and distance > threshold + EPSILON,
            )
        )
    return PlotSummary(
        points=placed, average=(round(avg_x, 3), round(avg_y, 3)), threshold=threshold
    )


def plot_figure(summary: PlotSummary) -> dict:
    """Every partner's point (flagged ones ringed in red), the targets and the average."""
    points = summary.points
    data: list[dict] = [
        {
            "type": "scatter",
            "mode": "markers+text",
            "name": _("Partners"),
            "x": [p.point.x for p in points],
            "y": [p.point.y for p in points],
            "text": [p.point.label for p in points],
            "textposition": "top center",
            "marker": {
                "size": 14,
                "color": [p.point.colour for p in points],
                "line": {
                    "width": [3 if p.flagged else 1 for p in points],
                    "color": [FLAG if p.flagged else INK for p in points],
                },
            },
            "hovertemplate": "%{text}: (%{x:.2f}, %{y:.2f})<extra></extra>",
        }
    ]
    targets = [p.point for p in points if p.point.target_x is not None]
    if targets:
        xs: list[float | None] = []
        ys: list[float | None] = []
        for point in targets:
            xs += [point.x, point.target_x, None]
            ys += [point.y, point.target_y, None]
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": _("Where it should be in a year"),
                "x": xs,
                "y": ys,
                "line": {"dash": "dot", "color": GRID, "width": 2},
                "hoverinfo": "skip",
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": _("Target in a year"),
                "x": [p.target_x for p in targets],
                "y": [p.target_y for p in targets],
                "text": [p.label for p in targets],
                "marker": {
                    "size": 10,
                    "symbol": "circle-open",
                    "color": [p.colour for p in targets],
                },
                "hovertemplate": "%{text} → (%{x:.2f}, %{y:.2f})<extra></extra>",
            }
        )
    if summary.average is not None:
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": _("Average"),
                "x": [summary.average[0]],
                "y": [summary.average[1]],
                "marker": {"size": 18, "symbol": "star", "color": INK},
                "hovertemplate": _("Average") + ": (%{x:.2f}, %{y:.2f})<extra></extra>",
            }
        )
    axis = {"range": [-1.1, 1.1], "zeroline": True, "zerolinecolor": GRID, "gridcolor": GRID}
    return {
        "data": data,
        "layout": {
            "height": 460,
            "margin": {"t": 20, "r": 20, "b": 60, "l": 60},
            "showlegend": True,
            "legend": {"orientation": "h", "y": -0.2},
            "xaxis": {
                **axis,
                "title": {"text": _("Service delivery ← → Policy influence")},
            },
            "yaxis": {
                **axis,
                "title": {"text": _("Regulating delivery ← → Stimulating innovation")},
            },
            "font": {"color": INK},
        },
    }


# Health over time ------------------------------------------------------------------------
@dataclass(frozen=True)
class RoundInput:
    """One round's answer count and, per dimension, the average of its answers."""

    uid: str
    opens: dt.date
    closes: dt.date
    answers: int
    means: Mapping[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class RoundScores:
    uid: str
    opens: dt.date
    closes: dt.date
    answers: int
    shown: bool
    means: dict[str, float | None]  # None for every dimension unless ``shown``
    drops: dict[str, float]  # dimension → how far it fell since the previous shown round

    def rows(self) -> list[tuple[str, str, float | None, float | None]]:
        """(dimension, label, mean, drop) for a table."""
        return [
            (name, str(HealthDimension(name).label), self.means.get(name), self.drops.get(name))
            for name in DIMENSIONS
        ]


def score_rounds(
    rounds: Sequence[RoundInput], *, drop_threshold: float, min_answers: int = MIN_ANSWERS
) -> list[RoundScores]:
    """Rounds in date order with their shown means and flagged drops.

    A round with fewer than ``min_answers`` answers shows no means; each shown round is
    compared with the previous shown round, and a dimension that fell by at least
    ``drop_threshold`` is flagged with the size of its fall.
    """
    result = []
    previous: dict[str, float | None] | None = None
    for item in sorted(rounds, key=lambda r: r.opens):
        shown = item.answers >= min_answers
        means: dict[str, float | None] = {
            name: (
                round(float(item.means[name]), 2)
                if shown and item.means.get(name) is not None
                else None
            )
            for name in DIMENSIONS
        }
        drops: dict[str, float] = {}
        if shown and previous is not None:
            for name in DIMENSIONS:
                before, now = previous.get(name), means.get(name)
                if before is not None and now is not None:
                    fall = round(before - now, 2)
                    if fall + EPSILON >= drop_threshold:
                        drops[name] = fall
        if shown:
            previous = means
        result.append(
            RoundScores(
                uid=item.uid,
                opens=item.opens,
                closes=item.closes,
                answers=item.answers,
                shown=shown,
                means=means,
                drops=drops,
            )
        )
    return result


def health_figure(rounds: Sequence[RoundScores]) -> dict:
    """A line per dimension over the rounds (gaps where too few answered); drops in red."""
    shown = [r for r in rounds if r.shown]
    data: list[dict] = []
    for name in DIMENSIONS:
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": str(HealthDimension(name).label),
                "x": [r.opens.isoformat() for r in shown],
                "y": [r.means[name] for r in shown],
                "line": {"color": DIMENSION_COLOURS[name]},
                "hovertemplate": "%{x}: %{y:.2f}<extra>"
                + str(HealthDimension(name).label)
                + "</extra>",
            }
        )
    drops = [(r, name) for r in shown for name in r.drops]
    if drops:
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": _("Drop to discuss"),
                "x": [r.opens.isoformat() for r, _name in drops],
                "y": [r.means[name] for r, name in drops],
                "marker": {"size": 16, "symbol": "x-open", "color": FLAG, "line": {"width": 2}},
                "hoverinfo": "skip",
            }
        )
    return {
        "data": data,
        "layout": {
            "height": 380,
            "margin": {"t": 20, "r": 20, "b": 60, "l": 50},
            "legend": {"orientation": "h", "y": -0.25},
            "xaxis": {"type": "date", "title": {"text": _("Round opened")}, "gridcolor": GRID},
            "yaxis": {
                "range": [0.8, 5.2],
                "dtick": 1,
                "title": {"text": _("Average score (1–5)")},
                "gridcolor": GRID,
            },
            "font": {"color": INK},
        },
    }


# What partners bring and gain ------------------------------------------------------------
@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    brings: int
    gains: int


@dataclass(frozen=True)
class SphereRow:
    sphere: str
    label: str
    brings: dict[str, int]
    gains: dict[str, int]


def contribution_figure(rows: Sequence[KindCount]) -> dict:
    """For each kind, how many partners bring it and how many expect to gain it."""
    labels = [row.label for row in rows]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "name": _("Brings"),
                "y": labels,
                "x": [row.brings for row in rows],
                "marker": {"color": ACCENT},
            },
            {
                "type": "bar",
                "orientation": "h",
                "name": _("Expects to gain"),
                "y": labels,
                "x": [row.gains for row in rows],
                "marker": {"color": "#ff7f0e"},
            },
        ],
        "layout": {
            "barmode": "group",
            "height": max(220, 60 + 44 * len(rows)),
            "margin": {"t": 10, "r": 10, "b": 40, "l": 10},
            "xaxis": {"title": {"text": _("Partners")}, "rangemode": "tozero", "dtick": 1},
            "yaxis": {"automargin": True, "autorange": "reversed"},
            "legend": {"orientation": "h"},
            "font": {"color": INK},
        },
    }


def sphere_figure(rows: Sequence[SphereRow], kinds: Sequence[tuple[str, str]]) -> dict:
    """Two heatmaps side by side: kinds brought and kinds gained, by sector (sphere)."""
    y = [row.label for row in rows]
    x = [label for _kind, label in kinds]

    def matrix(direction: str) -> list[list[int]]:
        return [[getattr(row, direction).get(kind, 0) for kind, _label in kinds] for row in rows]

    common = {
        "type": "heatmap",
        "x": x,
        "y": y,
        "colorscale": "Blues",
        "showscale": False,
        "texttemplate": "%{z}",
        "hovertemplate": "%{y} · %{x}: %{z}<extra></extra>",
    }
    return {
        "data": [
            {**common, "z": matrix("brings"), "xaxis": "x", "yaxis": "y"},
            {**common, "z": matrix("gains"), "xaxis": "x2", "yaxis": "y2"},
        ],
        "layout": {
            "height": 200 + 40 * len(rows),
            "grid": {"rows": 1, "columns": 2, "pattern": "independent"},
            "margin": {"t": 40, "r": 10, "b": 120, "l": 10},
            "annotations": [
                {
                    "text": _("Brings"),
                    "xref": "x domain",
                    "yref": "y domain",
                    "x": 0.5,
                    "y": 1.15,
                    "showarrow": False,
                },
                {
                    "text": _("Expects to gain"),
                    "xref": "x2 domain",
                    "yref": "y2 domain",
                    "x": 0.5,
                    "y": 1.15,
                    "showarrow": False,
                },
            ],
            "yaxis": {"automargin": True},
            "yaxis2": {"automargin": True, "showticklabels": False},
            "font": {"color": INK},
        },
    }
