"""Installation-wide pages of the programme learning team: the comparison and the notes search.

Both are for programme staff (``reports.permissions.is_programme_staff``): site staff, or users
with the ``reports.compare_networks`` permission, usually through a group. Others are refused
(403); anonymous visitors are sent to sign in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from netweave.core.access import require
from netweave.networks.models import STAGE_ORDER, Network
from netweave.reports import comparison as data
from netweave.reports.forms_notes import NoteSearchForm, YearRangeForm, apply_errors
from netweave.reports.models import LearningNote
from netweave.reports.notes import highlight, note_snippet, query_words, search_notes
from netweave.reports.permissions import is_programme_staff

PAGE_SIZE = 20

# The aligned timelines, drawn on the server as SVG ----------------------------------------
CHART_WIDTH = 800
LABEL_WIDTH = 190
RIGHT_MARGIN = 30
TOP = 34
ROW_HEIGHT = 36
AXIS_HEIGHT = 44
STAGE_COLOURS = {
    "informal": "#8a94a3",
    "emerging": "#d98a00",
    "formal": "#0b5cad",
    "recognised": "#1e8a5a",
}


@dataclass(frozen=True)
class ChartPoint:
    x: float
    colour: str
    title: str


@dataclass(frozen=True)
class ChartRow:
    name: str
    y: float
    end_x: float
    points: list[ChartPoint]


@dataclass(frozen=True)
class ChartTick:
    x: float
    label: int


@dataclass(frozen=True)
class TimelineChart:
    width: int
    height: int
    left: int
    right: int
    axis_y: float
    rows: list[ChartRow]
    ticks: list[ChartTick]
    legend: list[tuple[float, str, str]]  # (x, colour, stage label)


def timeline_chart(timelines: Sequence[data.AlignedTimeline]) -> TimelineChart:
    """One row per network, its milestones placed by years since its first milestone."""
    span = max([float(t.span) for t in timelines] + [1.0])
    years = max(1, math.ceil(span))
    left, right = LABEL_WIDTH, CHART_WIDTH - RIGHT_MARGIN

    def x_of(value: Decimal | float) -> float:
        return round(left + float(value) / years * (right - left), 1)

    rows = []
    for index, timeline in enumerate(timelines):
        y = TOP + ROW_HEIGHT * index + ROW_HEIGHT / 2
        points = [
            ChartPoint(
                x=x_of(m.years_since),
                colour=STAGE_COLOURS.get(m.stage, "#5a6472"),
                title=_("%(network)s: %(stage)s on %(date)s, year %(year)d")
                % {
                    "network": timeline.network.name,
                    "stage": m.label,
                    "date": date_format(m.date, "DATE_FORMAT"),
                    "year": m.year_number,
                },
            )
            for m in timeline.milestones
        ]
        end_x = points[-1].x if points else left
        rows.append(ChartRow(name=timeline.network.name, y=y, end_x=end_x, points=points))
    axis_y = TOP + ROW_HEIGHT * len(timelines) + 4
    every = 1 if years <= 15 else 5
    ticks = [ChartTick(x=x_of(n), label=n) for n in range(0, years + 1, every)]
    legend = [
        (left + i * 130, STAGE_COLOURS[stage], label)
        for i, (stage, label) in enumerate(data.stages())
    ]
    return TimelineChart(
        width=CHART_WIDTH,
        height=int(axis_y + AXIS_HEIGHT),
        left=left,
        right=right,
        axis_y=axis_y,
        rows=rows,
        ticks=ticks,
        legend=legend,
    )


# Pages -------------------------------------------------------------------------------------
def _programme(request: HttpRequest) -> None:
    require(is_programme_staff(request.user))


@login_required
@require_GET
def comparison(request: HttpRequest) -> HttpResponse:
    """Every network side by side: indicators by year, aligned stage timelines, their notes."""
    _programme(request)
    form = YearRangeForm(request.GET or None)
    networks = list(Network.objects.order_by("name"))
    years: list[int] = []
    indicators: list[data.IndicatorComparison] = []
    try:
        years = data.check_years(request.GET.get("since"), request.GET.get("until"))
    except ValidationError as error:
        form.is_valid()
        apply_errors(form, error)
    else:
        indicators = data.compare_indicators(networks, years)
    timelines = data.aligned_timelines(networks)
    notes = {
        row["network"]: row
        for row in LearningNote.objects.values("network")
        .annotate(count=Count("id"), latest=Max("year"))
        .order_by()
    }
    return render(
        request,
        "reports/programme/comparison.html",
        {
            "form": form,
            "years": years,
            "indicators": indicators,
            "timelines": timelines,
            "chart": timeline_chart(timelines),
            "stages": data.stages(),
            "stage_count": len(STAGE_ORDER),
            "networks": [(network, notes.get(network.pk)) for network in networks],
        },
    )


@login_required
@require_GET
def note_search(request: HttpRequest) -> HttpResponse:
    """Learning notes of every network: words in any field, filters, pages of twenty."""
    _programme(request)
    form = NoteSearchForm(request.GET or None)
    notes = LearningNote.objects.select_related("network").order_by("-year", "network__name", "pk")
    words: list[str] = []
    searching = False
    if form.is_bound and form.is_valid():
        filters: dict[str, Any] = form.cleaned_data
        if filters["network"]:
            notes = notes.filter(network=filters["network"])
        if filters["year"]:
            notes = notes.filter(year=filters["year"])
        if filters["topic"]:
            notes = notes.filter(topics=filters["topic"])
        words = query_words(filters["q"])
        notes = search_notes(notes, filters["q"])
        searching = bool(words) or any(filters[n] for n in ("network", "year", "topic"))
    elif form.is_bound:
        notes = notes.none()
    page = Paginator(notes.prefetch_related("topics"), PAGE_SIZE).get_page(request.GET.get("page"))
    hits = [
        {"note": note, "title": highlight(note.title, words), "snippet": note_snippet(note, words)}
        for note in page.object_list
    ]
    return render(
        request,
        "reports/programme/note_search.html",
        {
            "form": form,
            "page_obj": page,
            "hits": hits,
            "words": words,
            "searching": searching,
            "invalid": form.is_bound and not form.is_valid(),
        },
    )
