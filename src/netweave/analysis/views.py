"""Pages of the network analysis: the dashboard, the interactive map and its still picture.

Every page asks ``services.get_analysis`` for the result. A result still being computed in
the background shows a progress box that polls ``analysis_status`` until the result is
ready, so no page waits on a long computation. The pages are for those who may read the
network's dashboards (facilitators and the steering committee), as is the analysis API:
404 when the network is not visible to the user, 403 when it is but the dashboards are not.
"""

from __future__ import annotations

import math
import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from netweave.analysis import services, svg
from netweave.analysis.svg import COLOUR_MODES, PALETTE, SIZE_METRICS
from netweave.core.access import NetworkAccess, network_for, require
from netweave.directory.models import Sector
from netweave.networks.models import Network

SOURCE_LABELS = {
    "attendance": gettext_lazy("Meeting attendance"),
    "task_groups": gettext_lazy("Task groups"),
    "activities": gettext_lazy("Joint activities"),
    "cofinancing": gettext_lazy("Co-financing"),
    "relationships": gettext_lazy("Declared relationships"),
    "partnerships": gettext_lazy("Partnerships"),
    "survey": gettext_lazy("Network survey"),
}
LEVEL_LABELS = {
    "organisation": gettext_lazy("Organisations"),
    "person": gettext_lazy("People"),
}
METRIC_LABELS = {
    "degree": gettext_lazy("Degree"),
    "weighted_degree": gettext_lazy("Weighted degree"),
    "betweenness": gettext_lazy("Betweenness"),
    "eigenvector": gettext_lazy("Eigenvector"),
    "events": gettext_lazy("Events"),
    "engagement": gettext_lazy("Engagement"),
    "brokerage": gettext_lazy("Brokerage"),
}
# Decimal places shown per metric; counts are whole numbers.
METRIC_DIGITS = {
    "degree": 0,
    "weighted_degree": 1,
    "betweenness": 3,
    "eigenvector": 3,
    "events": 0,
    "engagement": 2,
    "brokerage": 0,
}
# The two ways the network survey and the records can disagree about a pair.
DISAGREEMENT_KINDS = {
    "recorded_not_perceived": gettext_lazy("Recorded tie the survey does not confirm"),
    "perceived_not_recorded": gettext_lazy("Strong tie in the survey with no record"),
}
TOP_METRICS = (
    "degree",
    "weighted_degree",
    "betweenness",
    "eigenvector",
    "brokerage",
    "engagement",
)
# The browser draws at most this many ties (the strongest); the picture and API have all.
MAP_MAX_EDGES = 20_000
TOP_COUNT = 10
SORTABLE = ("label", "sector", "community", *SIZE_METRICS)
PAGES = ("map", "dashboard")


# Reading the request ----------------------------------------------------------------------


@dataclass(frozen=True)
class Display:
    """How the map shows a result: none of this changes what is computed."""

    colour: str = "sector"
    size: str = "degree"
    sectors: tuple[str, ...] = ()
    sort: str = "degree"
    descending: bool = True

    def as_query(self) -> dict[str, Any]:
        query: dict[str, Any] = {"colour": self.colour, "size": self.size}
        if self.sectors:
            query["sector"] = list(self.sectors)
        return query


@dataclass
class FormState:
    """The filter form as the user filled it in (also when it did not validate)."""

    level: str = "organisation"
    year: str = ""
    since: str = ""
    until: str = ""
    sources: dict[str, str] = field(default_factory=dict)  # checked source → weight text


def analysis_query(data: QueryDict) -> dict[str, str]:
    """The analysis parameters of a request, as ``AnalysisParams.from_query`` reads them.

    The filter form sends one ``source`` per ticked box and a ``weight_<source>`` each;
    links and the API send the same choice as ``graph=attendance:1,survey:2``.
    """
    query = {
        key: data[key].strip()
        for key in ("level", "graph", "since", "until", "year")
        if data.get(key, "").strip()
    }
    chosen = [source for source in data.getlist("source") if source.strip()]
    if chosen and "graph" not in query:
        parts = []
        for source in chosen:
            weight = data.get(f"weight_{source}", "").strip()
            parts.append(f"{source}:{weight}" if weight else source)
        query["graph"] = ",".join(parts)
    return query


def _form_state(data: QueryDict, params: services.AnalysisParams | None) -> FormState:
    if params is not None:
        query = params.as_query()
        return FormState(
            level=params.level,
            year=data.get("year", "").strip(),
            since="" if data.get("year") else query.get("since", ""),
            until="" if data.get("year") else query.get("until", ""),
            sources={source: _weight_text(weight) for source, weight in params.sources},
        )
    raw = analysis_query(data)
    sources: dict[str, str] = {}
    for part in raw.get("graph", "").split(","):
        name, _sep, weight = part.partition(":")
        if name.strip():
            sources[name.strip()] = weight.strip()
    if not sources:
        sources = {
            source: _weight_text(weight) for source, weight in services.AnalysisParams().sources
        }
    return FormState(
        level=raw.get("level", "organisation"),
        year=raw.get("year", ""),
        since=raw.get("since", ""),
        until=raw.get("until", ""),
        sources=sources,
    )


def _weight_text(weight: float) -> str:
    return f"{weight:g}"


def parse_display(data: QueryDict, sector_slugs: Sequence[str]) -> Display:
    """The map's display options, or a ValidationError naming each bad one."""
    errors = []
    colour = data.get("colour", "sector").strip() or "sector"
    if colour not in COLOUR_MODES:
        errors.append(
            _("Colour must be one of: %(choices)s.") % {"choices": ", ".join(COLOUR_MODES)}
        )
    size = data.get("size", "degree").strip() or "degree"
    if size not in SIZE_METRICS:
        errors.append(_("Size must be one of: %(choices)s.") % {"choices": ", ".join(SIZE_METRICS)})
    sectors = tuple(dict.fromkeys(s.strip() for s in data.getlist("sector") if s.strip()))
    unknown = [slug for slug in sectors if slug not in sector_slugs]
    if unknown:
        errors.append(_("Unknown sector: %(sectors)s.") % {"sectors": ", ".join(unknown)})
    sort = data.get("sort", "").strip() or f"-{size}"
    descending = sort.startswith("-")
    sort = sort.removeprefix("-")
    if sort not in SORTABLE:
        errors.append(_("Sort must be one of: %(choices)s.") % {"choices": ", ".join(SORTABLE)})
    if errors:
        raise ValidationError(errors)
    return Display(colour=colour, size=size, sectors=sectors, sort=sort, descending=descending)


@dataclass
class Prepared:
    network: Network
    access: NetworkAccess
    sectors: dict[str, tuple[str, str]]  # slug → (translated name, colour)
    form: FormState
    display: Display
    errors: list[str]
    params: services.AnalysisParams | None = None
    state: services.AnalysisState | None = None

    @property
    def query(self) -> dict[str, Any]:
        """The canonical query of this view of the analysis (for links and polling)."""
        if self.params is None:
            return {}
        query: dict[str, Any] = dict(self.params.as_query())
        if self.form.year:
            query.pop("since", None)
            query.pop("until", None)
            query["year"] = self.form.year
        return {**query, **self.display.as_query()}

    @property
    def result(self) -> dict[str, Any] | None:
        if self.state is not None and self.state.status == "ready":
            return self.state.result
        return None


def _sectors() -> dict[str, tuple[str, str]]:
    # Sector names are seeded with gettext_noop and translated on display.
    return {
        slug: (_(name), colour)
        for slug, name, colour in Sector.objects.values_list("slug", "name", "colour")
    }


def prepare(request: HttpRequest, network: str, *, compute: bool = True) -> Prepared:
    """Check access, read the filters and, when they are valid, ask for the analysis."""
    net, access = network_for(request, network)
    require(access.can_view_dashboards)
    sectors = _sectors()
    errors: list[str] = []
    params = None
    try:
        params = services.AnalysisParams.from_query(analysis_query(request.GET))
    except ValidationError as error:
        errors.extend(error.messages)
    try:
        display = parse_display(request.GET, list(sectors))
    except ValidationError as error:
        errors.extend(error.messages)
        display = Display()
    prepared = Prepared(
        network=net,
        access=access,
        sectors=sectors,
        form=_form_state(request.GET, params),
        display=display,
        errors=errors,
        params=params if not errors else None,
    )
    if compute and prepared.params is not None:
        prepared.state = services.get_analysis(net, prepared.params)
    return prepared


# Shaping a result for the pages ---------------------------------------------------------


def _number(value: Any, digits: int) -> str:
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    if isinstance(value, float) and not math.isfinite(value):
        return "—"
    return number_format(round(value, digits), decimal_pos=digits)


def _visible_nodes(result: Mapping[str, Any], display: Display) -> list[dict[str, Any]]:
    nodes = list(result.get("nodes") or ())
    if display.sectors:
        chosen = set(display.sectors)
        nodes = [node for node in nodes if node.get("sector") in chosen]
    return nodes


def _sector_name(node: Mapping[str, Any], sectors: Mapping[str, tuple[str, str]]) -> str:
    slug = node.get("sector")
    if not slug:
        return ""
    return sectors.get(slug, (node.get("sector_name") or slug, ""))[0]


def node_rows(
    nodes: Sequence[Mapping[str, Any]], display: Display, sectors: Mapping[str, tuple[str, str]]
) -> list[dict[str, Any]]:
    """The table alternative of the map: one row per node, sorted as asked."""

    def key(node: Mapping[str, Any]) -> Any:
        if display.sort == "label":
            return str(node.get("label") or "").casefold()
        if display.sort == "sector":
            return _sector_name(node, sectors).casefold()
        if display.sort == "community":
            community = node.get("community")
            return community if isinstance(community, int) else -1
        return svg.metric_value(node, display.sort)

    ordered = sorted(nodes, key=lambda node: str(node.get("label") or "").casefold())
    ordered.sort(key=key, reverse=display.descending)
    rows = []
    for node in ordered:
        community = node.get("community")
        rows.append(
            {
                "id": node.get("id"),
                "label": node.get("label") or node.get("id"),
                "url": node.get("url") or "",
                "sector": _sector_name(node, sectors),
                "community": community + 1 if isinstance(community, int) else None,
                "metrics": [
                    {
                        "key": metric,
                        "value": svg.metric_value(node, metric),
                        "text": _number(node.get(metric), METRIC_DIGITS[metric]),
                    }
                    for metric in SIZE_METRICS
                ],
            }
        )
    return rows


def map_payload(
    result: Mapping[str, Any], display: Display, sectors: Mapping[str, tuple[str, str]]
) -> dict[str, Any]:
    """What the map's script draws: nodes, edges between shown nodes, colours and labels."""
    nodes = _visible_nodes(result, display)
    index = {node.get("id"): position for position, node in enumerate(nodes)}
    edges = []
    for edge in result.get("edge_list") or ():
        a, b = index.get(edge.get("source")), index.get(edge.get("target"))
        if a is not None and b is not None:
            edges.append([a, b, svg.metric_value(edge, "weight") or 1.0])
    total = len(edges)
    if total > MAP_MAX_EDGES:
        edges.sort(key=lambda edge: -edge[2])
        del edges[MAP_MAX_EDGES:]
    # Where the latest survey round and the records disagree, between shown members.
    disagreements = []
    for item in result.get("survey_disagreements") or ():
        a, b = index.get(item.get("a")), index.get(item.get("b"))
        if a is not None and b is not None and item.get("kind") in DISAGREEMENT_KINDS:
            disagreements.append([a, b, item["kind"]])
    shown = []
    for node in nodes:
        community = node.get("community")
        item = {
            "id": node.get("id"),
            "label": str(node.get("label") or node.get("id")),
            "sector": node.get("sector") or "",
            "sector_name": _sector_name(node, sectors),
            "community": community if isinstance(community, int) else None,
            "url": node.get("url") or "",
            "x": svg.metric_value(node, "x"),
            "y": svg.metric_value(node, "y"),
        }
        for metric in SIZE_METRICS:
            item[metric] = svg.metric_value(node, metric)
        shown.append(item)
    return {
        "level": result.get("level"),
        "nodes": shown,
        "edges": edges,
        "edges_total": total,
        "survey": "survey_disagreements" in result,
        "disagreements": disagreements,
        "colour": display.colour,
        "size": display.size,
        "sectors": {
            slug: {"name": name, "colour": svg.sector_colour(slug, {slug: colour})}
            for slug, (name, colour) in sectors.items()
        },
        "palette": list(PALETTE),
        "no_sector_colour": svg.NO_SECTOR_COLOUR,
        "digits": METRIC_DIGITS,
        "labels": {
            **{metric: str(METRIC_LABELS[metric]) for metric in SIZE_METRICS},
            "sector": _("Sector"),
            "community": _("Community"),
            "community_n": _("Community %(number)s"),
            "no_sector": _("No sector"),
            "no_community": _("No community"),
            "ties": _("Ties"),
            "open_profile": _("Open the profile"),
            "computing": _("Computing the analysis of %(year)s…"),
            "failed": _("The analysis could not be computed."),
            "all_years": _("All years"),
            "empty": _("No members match these filters."),
            **{kind: str(label) for kind, label in DISAGREEMENT_KINDS.items()},
        },
    }


def _by_id(result: Mapping[str, Any]) -> dict[Any, Mapping[str, Any]]:
    return {node.get("id"): node for node in result.get("nodes") or ()}


def _ref(nodes: Mapping[Any, Mapping[str, Any]], node_id: Any) -> dict[str, Any]:
    node = nodes.get(node_id, {})
    return {"id": node_id, "label": node.get("label") or node_id, "url": node.get("url") or ""}


def dashboard_context(
    result: Mapping[str, Any], sectors: Mapping[str, tuple[str, str]]
) -> dict[str, Any]:
    """Numbers, charts, top nodes and diagnostics of one result, ready for the template."""
    nodes = _by_id(result)
    mixing = result.get("sector_mixing") or {}
    diagnostics = result.get("diagnostics") or {}
    top = []
    for metric in TOP_METRICS:
        ranked = sorted(
            (node for node in nodes.values() if svg.metric_value(node, metric) > 0),
            key=lambda node, metric=metric: (
                -svg.metric_value(node, metric),
                str(node.get("label")).casefold(),
            ),
        )[:TOP_COUNT]
        top.append(
            {
                "metric": metric,
                "label": METRIC_LABELS[metric],
                "rows": [
                    {
                        **_ref(nodes, node.get("id")),
                        "value": svg.metric_value(node, metric),
                        "text": _number(node.get(metric), METRIC_DIGITS[metric]),
                    }
                    for node in ranked
                ],
            }
        )
    under = [
        {
            "sector": sectors.get(row.get("sector"), (row.get("sector") or _("No sector"), ""))[0],
            "share": row.get("share"),
            "target": row.get("target"),
            "share_percent": _percent(row.get("share")),
            "target_percent": _percent(row.get("target")),
        }
        for row in diagnostics.get("under_represented") or ()
    ]
    growth = list(result.get("growth") or ())
    brokers = _rows_of(top, "betweenness")
    return {
        "figures": [
            (_("Members"), _number(result.get("size", len(nodes)), 0), "size"),
            (_("Ties"), _number(result.get("edges"), 0), "edges"),
            (_("Density"), _number(result.get("density"), 3), "density"),
            (_("Components"), _number(result.get("components"), 0), "components"),
            (
                _("Average clustering"),
                _number(result.get("average_clustering"), 3),
                "average_clustering",
            ),
            (_("Communities"), _number(result.get("communities"), 0), "communities"),
            (_("Modularity"), _number(result.get("modularity"), 3), "modularity"),
            (
                _("Sector assortativity"),
                _number(mixing.get("assortativity"), 3),
                "assortativity",
            ),
            (_("E-I index of sectors"), _number(mixing.get("ei_index"), 3), "ei_index"),
        ],
        "betweenness_method": result.get("betweenness_method"),
        "betweenness_samples": result.get("betweenness_samples"),
        "top": top,
        "growth": growth,
        "growth_figure": growth_figure(growth) if growth else None,
        "brokers_figure": brokers_figure(brokers) if brokers else None,
        "isolates": [_ref(nodes, node_id) for node_id in diagnostics.get("isolates") or ()],
        "inactive": [_ref(nodes, node_id) for node_id in diagnostics.get("inactive") or ()],
        "under_represented": under,
        "single_broker": [
            {"member": _ref(nodes, row.get("id")), "broker": _ref(nodes, row.get("broker"))}
            for row in diagnostics.get("single_broker") or ()
        ],
        "introductions": [
            {
                "a": _ref(nodes, row.get("a")),
                "b": _ref(nodes, row.get("b")),
                "topics": [str(topic) for topic in row.get("shared_topics") or ()],
            }
            for row in diagnostics.get("introductions") or ()
        ],
        "has_survey": "survey_disagreements" in result,
        "disagreements": disagreement_rows(result),
    }


def disagreement_rows(
    result: Mapping[str, Any], shown: Collection[Any] | None = None
) -> list[dict[str, Any]]:
    """The pairs on which the latest survey round and the records disagree, for a table;
    ``shown`` keeps the pairs whose two members are among these ids."""
    nodes = _by_id(result)
    rows = []
    for row in result.get("survey_disagreements") or ():
        if shown is not None and (row.get("a") not in shown or row.get("b") not in shown):
            continue
        rows.append(
            {
                "a": _ref(nodes, row.get("a")),
                "b": _ref(nodes, row.get("b")),
                "kind": row.get("kind"),
                "kind_label": DISAGREEMENT_KINDS.get(row.get("kind"), ""),
                "recorded": _number(row.get("recorded"), 2),
                "perceived": _number(row.get("perceived"), 2),
            }
        )
    return rows


def _rows_of(top: Sequence[Mapping[str, Any]], metric: str) -> list[dict[str, Any]]:
    return next((block["rows"] for block in top if block["metric"] == metric), [])


def _percent(value: Any) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "—"
    return number_format(round(100 * value, 1), decimal_pos=1) + " %"


def growth_figure(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Members and ties at the end of each year, as two lines on two axes."""
    years = [row.get("year") for row in rows]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": _("Members"),
                "x": years,
                "y": [row.get("members") for row in rows],
                "line": {"color": PALETTE[0]},
                "hovertemplate": "%{x}: %{y}<extra>" + _("Members") + "</extra>",
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": _("Ties"),
                "x": years,
                "y": [row.get("ties") for row in rows],
                "yaxis": "y2",
                "line": {"color": PALETTE[1], "dash": "dot"},
                "hovertemplate": "%{x}: %{y}<extra>" + _("Ties") + "</extra>",
            },
        ],
        "layout": {
            "margin": {"t": 10, "r": 50, "b": 40, "l": 50},
            "legend": {"orientation": "h", "y": 1.12},
            "xaxis": {"title": {"text": _("Year")}, "dtick": 1 if len(rows) <= 15 else 5},
            "yaxis": {"title": {"text": _("Members")}, "rangemode": "tozero"},
            "yaxis2": {
                "title": {"text": _("Ties")},
                "rangemode": "tozero",
                "overlaying": "y",
                "side": "right",
            },
        },
    }


def brokers_figure(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The top brokers by betweenness as horizontal bars."""
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [str(row["label"]) for row in rows],
                "x": [row["value"] for row in rows],
                "marker": {"color": PALETTE[0]},
                "hovertemplate": "%{y}: %{x}<extra></extra>",
            }
        ],
        "layout": {
            "margin": {"t": 10, "r": 10, "b": 40, "l": 10},
            "height": max(200, 60 + 28 * len(rows)),
            "xaxis": {"title": {"text": _("Betweenness")}, "rangemode": "tozero"},
            "yaxis": {"automargin": True, "autorange": "reversed"},
        },
    }


# The pages ---------------------------------------------------------------------------------


def _years(net: Network, result: Mapping[str, Any] | None) -> list[int]:
    this_year = timezone.localdate().year
    first = net.launched.year if net.launched else None
    if result:
        known = [row.get("year") for row in result.get("growth") or () if row.get("year")]
        if known:
            first = min([*known, *([first] if first else [])])
    if first is None or first > this_year:
        return [this_year]
    return list(range(first, this_year + 1))


def _urls(prepared: Prepared) -> dict[str, str]:
    slug = prepared.network.slug
    query = urlencode(prepared.query, doseq=True)
    suffix = f"?{query}" if query else ""
    return {
        "dashboard": reverse("analysis:dashboard", kwargs={"network": slug}) + suffix,
        "map": reverse("analysis:map", kwargs={"network": slug}) + suffix,
        "svg": reverse("analysis:map_svg", kwargs={"network": slug}) + suffix,
        "png": reverse("analysis:map_png", kwargs={"network": slug}) + suffix,
        "json": reverse("analysis:map_json", kwargs={"network": slug}),
        "query": query,
    }


def _sort_links(prepared: Prepared, base: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the link that sorts by it, and its aria-sort state."""
    links = {}
    for column in SORTABLE:
        current = prepared.display.sort == column
        descending = not prepared.display.descending if current else column in SIZE_METRICS
        query = {**prepared.query, "sort": ("-" if descending else "") + column}
        state = "none"
        if current:
            state = "descending" if prepared.display.descending else "ascending"
        links[column] = {"url": f"{base}?{urlencode(query, doseq=True)}", "state": state}
    return links


def _sector_choices(prepared: Prepared, result: Mapping[str, Any] | None) -> list[tuple]:
    """The sectors to filter the map by: those of the members, and any already chosen."""
    present = set(prepared.display.sectors)
    if result is not None:
        present |= {node.get("sector") for node in result.get("nodes") or ()}
    return [
        (slug, name)
        for slug, (name, _colour) in prepared.sectors.items()
        if result is None or slug in present
    ]


def _page_context(prepared: Prepared, page: str) -> dict[str, Any]:
    result = prepared.result
    urls = _urls(prepared)
    context: dict[str, Any] = {
        "network": prepared.network,
        "access": prepared.access,
        "page": page,
        "form": prepared.form,
        "display": prepared.display,
        "errors": prepared.errors,
        "state": prepared.state,
        "result": result,
        "urls": urls,
        "years": _years(prepared.network, result),
        "sources": [(source, SOURCE_LABELS.get(source, source)) for source in services.SOURCES],
        "levels": [(level, LEVEL_LABELS.get(level, level)) for level in services.LEVELS],
        "metrics": [(metric, METRIC_LABELS[metric]) for metric in SIZE_METRICS],
        "colour_modes": [("sector", _("Sector")), ("community", _("Community"))],
        "sector_choices": _sector_choices(prepared, result),
        "png_available": _png_available(),
    }
    if prepared.state is not None:
        context["percent"] = round(100 * max(0.0, min(1.0, prepared.state.progress or 0.0)))
    if result is not None:
        if page == "map":
            nodes = _visible_nodes(result, prepared.display)
            base = reverse("analysis:map", kwargs={"network": prepared.network.slug})
            context.update(
                payload=map_payload(result, prepared.display, prepared.sectors),
                rows=node_rows(nodes, prepared.display, prepared.sectors),
                sort_links=(links := _sort_links(prepared, base)),
                metric_columns=[
                    {"key": metric, "label": label, **links[metric]}
                    for metric, label in METRIC_LABELS.items()
                    if metric in SIZE_METRICS
                ],
                shown_count=len(nodes),
                has_survey="survey_disagreements" in result,
                disagreements=disagreement_rows(result, {node.get("id") for node in nodes}),
            )
        else:
            context.update(dashboard_context(result, prepared.sectors))
        context["source_names"] = [
            SOURCE_LABELS.get(source, source) for source, _weight in prepared.params.sources
        ]
    return context


def _render_page(request: HttpRequest, network: str, page: str) -> HttpResponse:
    prepared = prepare(request, network)
    status = 400 if prepared.errors else 200
    return render(request, f"analysis/{page}.html", _page_context(prepared, page), status=status)


@require_GET
def analysis_dashboard(request: HttpRequest, network: str) -> HttpResponse:
    """The network's metrics, growth, top members and diagnostics to act on."""
    return _render_page(request, network, "dashboard")


@require_GET
def analysis_map(request: HttpRequest, network: str) -> HttpResponse:
    """The interactive map of who works with whom, with its table alternative."""
    return _render_page(request, network, "map")


@require_GET
def analysis_status(request: HttpRequest, network: str) -> HttpResponse:
    """The progress box while the analysis runs, and the result's page body once ready."""
    page = request.GET.get("page", "dashboard")
    if page not in PAGES:
        page = "dashboard"
    prepared = prepare(request, network)
    context = _page_context(prepared, page)
    if prepared.errors:
        return render(request, "analysis/_errors.html", context, status=400)
    if prepared.result is None:
        return render(request, "analysis/_progress.html", context)
    return render(request, f"analysis/_{page}_body.html", context)


@require_GET
def analysis_map_json(request: HttpRequest, network: str) -> JsonResponse:
    """The map's data for the time slider: the status, and the nodes and edges when ready."""
    prepared = prepare(request, network)
    if prepared.errors:
        return JsonResponse({"status": "invalid", "errors": prepared.errors}, status=400)
    state = prepared.state
    body: dict[str, Any] = {
        "status": state.status,
        "progress": state.progress,
        "error": state.error,
        "query": _urls(prepared)["query"],
    }
    if prepared.result is not None:
        payload = map_payload(prepared.result, prepared.display, prepared.sectors)
        payload["labels"] = {}  # the page has them already
        body["map"] = payload
    return JsonResponse(body)


def _not_ready(prepared: Prepared) -> HttpResponse | None:
    if prepared.errors:
        return HttpResponse(
            "\n".join(prepared.errors), status=400, content_type="text/plain; charset=utf-8"
        )
    if prepared.state.status == "failed":
        return HttpResponse(
            _("The analysis could not be computed: %(error)s") % {"error": prepared.state.error},
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    if prepared.result is None:
        response = HttpResponse(
            _("The analysis is still being computed; try again in a moment."),
            status=202,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = "2"
        return response
    return None


def _picture_options(prepared: Prepared) -> dict[str, Any]:
    result = prepared.result or {}
    sources = ", ".join(
        str(SOURCE_LABELS.get(source, source)) for source, _weight in prepared.params.sources
    )
    period = prepared.form.year or _("all years")
    return {
        "colour_by": prepared.display.colour,
        "size_by": prepared.display.size,
        "sector_colours": {slug: colour for slug, (_name, colour) in prepared.sectors.items()},
        "sector_names": {slug: name for slug, (name, _colour) in prepared.sectors.items()},
        "title": _("%(network)s: who works with whom") % {"network": prepared.network.name},
        "legend_title": _("Sector") if prepared.display.colour == "sector" else _("Community"),
        "community_label": _("Community %(number)s"),
        "no_sector_label": _("No sector")
        if prepared.display.colour == "sector"
        else _("No community"),
        "_subtitle": _("%(level)s · %(sources)s · %(period)s · node size: %(metric)s")
        % {
            "level": LEVEL_LABELS.get(result.get("level"), result.get("level")),
            "sources": sources,
            "period": period,
            "metric": METRIC_LABELS[prepared.display.size],
        },
    }


def _filename(prepared: Prepared, extension: str) -> str:
    parts = [prepared.network.slug, "map", prepared.form.year or "all"]
    return slugify("-".join(parts)) + f".{extension}"


def _shown(prepared: Prepared) -> dict[str, Any]:
    result = dict(prepared.result or {})
    result["nodes"] = _visible_nodes(result, prepared.display)
    return result


@require_GET
def analysis_map_svg(request: HttpRequest, network: str) -> HttpResponse:
    """The map as an SVG picture for reports, drawn on the server from the same layout."""
    prepared = prepare(request, network)
    refused = _not_ready(prepared)
    if refused is not None:
        return refused
    options = _picture_options(prepared)
    subtitle = options.pop("_subtitle")
    picture = svg.render_svg(_shown(prepared), subtitle=subtitle, **options)
    response = HttpResponse(picture, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{_filename(prepared, "svg")}"'
    return response


def _png_available() -> bool:
    try:
        import PIL  # noqa: F401
    except ImportError:
        return False
    return True


# A font with Latin, Cyrillic and Armenian letters for the labels of the PNG, when installed.
PNG_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)


@require_GET
def analysis_map_png(request: HttpRequest, network: str) -> HttpResponse:
    """The same picture as a PNG, for word processors that do not take SVG."""
    prepared = prepare(request, network)
    refused = _not_ready(prepared)
    if refused is not None:
        return refused
    if not _png_available():
        return HttpResponse(
            _("PNG pictures need the Pillow package; the SVG picture is available."),
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    options = _picture_options(prepared)
    options.pop("_subtitle")
    font = next((path for path in PNG_FONTS if os.path.exists(path)), None)
    picture = svg.render_png(_shown(prepared), font_path=font, **options)
    response = HttpResponse(picture, content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{_filename(prepared, "png")}"'
    return response
