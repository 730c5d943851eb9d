"""The network home page's pictures: the stage timeline and two plotly figures.

Readers (``members_by_sector``, ``membership_growth``) issue one query each, whatever the
number of members; the rest are pure functions from plain data to a figure or a drawing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from netweave.networks.models import STAGE_ORDER, Membership, Network, Stage

# Chart text follows the page's colours (netweave.css: --ink, --line).
INK = "#1d2430"
GRID = "#d9dee5"
ACCENT = "#0b5cad"


@dataclass(frozen=True)
class SectorCount:
    slug: str
    name: str
    colour: str
    count: int


@dataclass(frozen=True)
class YearCount:
    year: int
    count: int
    partial: bool  # the current year: counted today, not at its end


def members_by_sector(network: Network) -> list[SectorCount]:
    """Current member organisations per sector, in the taxonomy's order (one query)."""
    rows = (
        Membership.objects.current()
        .filter(network=network)
        .values(
            "organisation__sector__slug",
            "organisation__sector__name",
            "organisation__sector__colour",
            "organisation__sector__position",
        )
        .annotate(count=Count("organisation", distinct=True))
        .order_by("organisation__sector__position", "organisation__sector__name")
    )
    return [
        SectorCount(
            slug=row["organisation__sector__slug"],
            # Sector names are seeded with gettext_noop and translated on display.
            name=_(row["organisation__sector__name"]),
            colour=row["organisation__sector__colour"],
            count=row["count"],
        )
        for row in rows
    ]


def membership_growth(network: Network, *, today: dt.date) -> list[YearCount]:
    """Members at the end of every year since the launch (one query)."""
    periods = list(Membership.objects.filter(network=network).values_list("joined", "left"))
    return count_by_year(periods, launched=network.launched, today=today)


def count_by_year(
    periods: Iterable[tuple[dt.date, dt.date | None]],
    *,
    launched: dt.date | None,
    today: dt.date,
) -> list[YearCount]:
    """How many membership periods were running on 31 December of each year.

    The years run from the launch (or the first join, if earlier or no launch is known)
    to this year, which is counted as of ``today``. A member who left on 31 December is
    no longer counted that day, as ``Membership.objects.as_of`` has it.
    """
    periods = [(joined, left) for joined, left in periods if joined <= today]
    starts = [joined.year for joined, _left in periods]
    if launched:
        starts.append(launched.year)
    if not starts:
        return []
    result = []
    for year in range(min(starts), today.year + 1):
        day = today if year == today.year else dt.date(year, 12, 31)
        count = sum(1 for joined, left in periods if joined <= day and (left is None or left > day))
        result.append(YearCount(year=year, count=count, partial=year == today.year))
    return result


def sector_figure(rows: Sequence[SectorCount]) -> dict:
    """A horizontal bar per sector, coloured with the sector's own colour."""
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [row.count for row in rows],
                "y": [row.name for row in rows],
                "marker": {"color": [row.colour for row in rows]},
                "hovertemplate": "%{y}: %{x}<extra></extra>",
            }
        ],
        "layout": {
            "margin": {"t": 10, "r": 10, "b": 40, "l": 10},
            "height": max(180, 60 + 32 * len(rows)),
            "xaxis": {"title": {"text": _("Member organisations")}, "rangemode": "tozero"},
            "yaxis": {"automargin": True, "autorange": "reversed"},
            "font": {"color": INK},
        },
    }


def growth_figure(rows: Sequence[YearCount]) -> dict:
    """Members at the end of each year as a line with a marker per year."""
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": [row.year for row in rows],
                "y": [row.count for row in rows],
                "line": {"color": ACCENT},
                "hovertemplate": "%{x}: %{y}<extra></extra>",
            }
        ],
        "layout": {
            "margin": {"t": 10, "r": 10, "b": 40, "l": 50},
            "xaxis": {"title": {"text": _("Year")}, "dtick": 1 if len(rows) <= 15 else 5},
            "yaxis": {
                "title": {"text": _("Member organisations")},
                "rangemode": "tozero",
                "gridcolor": GRID,
            },
            "font": {"color": INK},
        },
    }


# The stage timeline ------------------------------------------------------------------

WIDTH = 800
AXIS_Y = 62  # with one row of labels above the axis
ROW_HEIGHT = 34
MARGIN = 60
FUTURE_WIDTH = 150  # room at the end of the axis for stages not reached yet
LABEL_GAP = 150  # labels closer than this on one side of the axis go one row further out


@dataclass(frozen=True)
class TimelinePoint:
    stage: str
    label: str
    date: dt.date | None
    note: str
    x: float
    reached: bool
    current: bool
    label_y: float  # baseline of the stage name; the date sits one line below it
    line_end: float  # where the leader line from the marker to the label ends
    anchor: str


@dataclass(frozen=True)
class TimelineTick:
    x: float
    year: int


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    axis_y: int
    axis_start: float
    axis_end: float
    future_end: float
    points: list[TimelinePoint]
    ticks: list[TimelineTick]


def stage_timeline(
    milestones: Iterable[tuple[str, dt.date, str]],
    *,
    current_stage: str,
    launched: dt.date | None,
    today: dt.date,
) -> Timeline:
    """Lay the four stages out on a time axis: reached ones by date, the rest after today.

    ``milestones`` are (stage, date, note). Labels alternate above and below the axis and
    move one row further out when they would run into their neighbour on the same side.
    """
    dated = {stage: (date, note) for stage, date, note in milestones if stage in STAGE_ORDER}
    reached = sorted(dated, key=lambda stage: (dated[stage][0], STAGE_ORDER.index(stage)))
    pending = [stage for stage in STAGE_ORDER if stage not in dated]

    dates = [dated[stage][0] for stage in reached]
    start = min([*dates, *([launched] if launched else [])], default=today)
    end = max([*dates, today])
    if (end - start).days < 365:
        start = start.replace(month=1, day=1)
        end = max(end, dt.date(start.year, 12, 31))
    axis_start = MARGIN
    future_end = WIDTH - MARGIN
    axis_end = future_end - FUTURE_WIDTH if pending else future_end
    span = max((end - start).days, 1)

    def x_of(day: dt.date) -> float:
        return round(axis_start + (day - start).days / span * (axis_end - axis_start), 1)

    placed: list[tuple[str, float, dt.date | None, str, bool]] = [
        (stage, x_of(dated[stage][0]), dated[stage][0], dated[stage][1], True) for stage in reached
    ]
    if pending:
        step = (future_end - axis_end) / len(pending)
        placed += [
            (stage, round(axis_end + step * (i + 0.5), 1), None, "", False)
            for i, stage in enumerate(pending)
        ]

    rows: list[tuple[int, int]] = []  # (side, row) of each placed point
    last_x: dict[tuple[int, int], float] = {}
    for i, (_stage, x, *_rest) in enumerate(placed):
        side = -1 if i % 2 == 0 else 1  # -1: above the axis
        row = 1 if x - last_x.get((side, 0), -2 * LABEL_GAP) < LABEL_GAP else 0
        last_x[(side, row)] = x
        rows.append((side, row))
    # Only as tall as the rows of labels in use: one row each side, or two.
    axis_y = AXIS_Y + ROW_HEIGHT * max([row for side, row in rows if side < 0], default=0)
    height = axis_y + 58 + ROW_HEIGHT * max([row for side, row in rows if side > 0], default=0)

    points = []
    for (stage, x, date, note, is_reached), (side, row) in zip(placed, rows, strict=True):
        offset = 30 + ROW_HEIGHT * row
        label_y = axis_y - offset - 16 if side < 0 else axis_y + offset + 4
        line_end = axis_y - offset + 2 if side < 0 else axis_y + offset - 8
        if x < MARGIN + 40:
            anchor = "start"
        elif x > WIDTH - MARGIN - 40:
            anchor = "end"
        else:
            anchor = "middle"
        points.append(
            TimelinePoint(
                stage=stage,
                label=str(Stage(stage).label),
                date=date,
                note=note,
                x=x,
                reached=is_reached,
                current=stage == current_stage and is_reached,
                label_y=label_y,
                line_end=line_end,
                anchor=anchor,
            )
        )

    years = list(range(start.year + (start.month > 1 or start.day > 1), end.year + 1))
    every = max(1, -(-len(years) // 10))
    ticks = [TimelineTick(x=x_of(dt.date(y, 1, 1)), year=y) for y in years if y % every == 0]
    return Timeline(
        width=WIDTH,
        height=height,
        axis_y=axis_y,
        axis_start=axis_start,
        axis_end=axis_end,
        future_end=future_end,
        points=points,
        ticks=ticks,
    )
