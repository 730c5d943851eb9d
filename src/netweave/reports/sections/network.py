"""Report section: the network map of the year and its key metrics.

The graph is the analysis of ``netweave.analysis`` at organisation level with its default
sources (as the map page shows it) over the calendar year: 1 January to 31 December. It
comes from the analysis cache when a page or an earlier report computed it for the same
data; otherwise the command line, the downloads and the API compute it at once, while the
page shows the section as pending and the analysis runs in the background. The map shows
organisations only, never people.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netweave.analysis import svg
from netweave.analysis.loader import ORGANISATION
from netweave.analysis.services import AnalysisParams, get_analysis
from netweave.analysis.views import SOURCE_LABELS
from netweave.directory.models import Organisation, Sector
from netweave.reports.registry import may_wait, section
from netweave.reports.report import Figure, Records, Section

if TYPE_CHECKING:
    from netweave.networks.models import Network

TOP = 10

FIGURES = {
    "organisations": gettext_lazy("Organisations on the map"),
    "ties": gettext_lazy("Ties between organisations"),
    "density": gettext_lazy("Density"),
    "components": gettext_lazy("Connected components"),
    "largest_component": gettext_lazy("Organisations in the largest component"),
    "average_clustering": gettext_lazy("Average clustering"),
    "communities": gettext_lazy("Communities"),
    "modularity": gettext_lazy("Modularity"),
    "ei_index": gettext_lazy("Sector mixing (E-I index)"),
    "assortativity": gettext_lazy("Sector assortativity"),
    "isolates": gettext_lazy("Isolated organisations"),
    "most_central": gettext_lazy("Most central organisation"),
}


def params_for(year: int) -> AnalysisParams:
    """The analysis of the report: organisations, default sources, the calendar year."""
    return AnalysisParams(
        level=ORGANISATION, since=dt.date(year, 1, 1), until=dt.date(year, 12, 31)
    )


def _label(key: str) -> str:
    return str(FIGURES[key])


def _community(node: dict[str, Any]) -> int | None:
    community = node.get("community")
    return community + 1 if isinstance(community, int) else None


def _central_first(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Highest degree first, then highest betweenness, then by name."""
    ordered = sorted(nodes, key=lambda node: str(node.get("label") or "").casefold())
    return sorted(
        ordered,
        key=lambda node: (-(node.get("degree") or 0), -(node.get("betweenness") or 0.0)),
    )


@section("network", heading=gettext_lazy("The network map"), order=90, figures=FIGURES)
def build_network(network: Network, year: int) -> Section:
    """The map of the year as a picture, its metrics, and the ten most central organisations.

    Three queries (the data version, the sectors, the organisations' names) plus the
    analysis's own fixed set when the result is not in the cache yet.
    """
    params = params_for(year)
    state = get_analysis(network, params, background=not may_wait.get())
    if not state.ready:
        return Section(
            key="network",
            heading=_("The network map"),
            figures=[Figure(key, str(label), None) for key, label in FIGURES.items()],
            notes=[
                _(
                    "The network map of %(year)s is being computed in the background; "
                    "it appears here as soon as it is ready."
                )
                % {"year": year}
            ],
            pending=True,
        )
    result: dict[str, Any] = state.result or {}
    sectors = {
        slug: (_(name), colour)
        for slug, name, colour in Sector.objects.values_list("slug", "name", "colour")
    }

    def sector_of(node: dict[str, Any]) -> str:
        slug = node.get("sector")
        if not slug:
            return ""
        return sectors.get(slug, (node.get("sector_name") or slug, ""))[0]

    nodes = list(result.get("nodes") or [])
    by_id = {node["id"]: node for node in nodes}
    # The map labels nodes by acronym; the tables give the full names.
    full_names = dict(Organisation.objects.filter(id__in=list(by_id)).values_list("id", "name"))
    name = {
        node["id"]: full_names.get(node["id"]) or str(node.get("label") or node["id"])
        for node in nodes
    }
    central = _central_first(nodes)
    sampled = result.get("betweenness_method") == "sampled"
    sample_note = (
        _(
            "Betweenness was estimated from a sample of %(pivots)s organisations, "
            "not computed exactly."
        )
        % {"pivots": result.get("betweenness_samples")}
        if sampled
        else ""
    )

    node_columns = [
        _("Organisation"),
        _("Sector"),
        _("Degree"),
        _("Betweenness"),
        _("Clustering"),
        _("Community"),
    ]

    def node_row(node: dict[str, Any]) -> list[Any]:
        return [
            name[node["id"]],
            sector_of(node),
            node.get("degree"),
            round(float(node.get("betweenness") or 0.0), 3),
            round(float(node.get("clustering") or 0.0), 3),
            _community(node),
        ]

    organisations = Records(
        _("Organisations on the map of %(year)s") % {"year": year},
        node_columns,
        [node_row(node) for node in sorted(nodes, key=lambda n: name[n["id"]].casefold())],
    )
    # Each tie counted at both ends, per organisation: the list of every tie of a large
    # network would fill pages of the annex and say less.
    tied = sorted(
        (node for node in nodes if node.get("degree")),
        key=lambda node: (-node["degree"], name[node["id"]].casefold()),
    )
    ties = Records(
        _("Ties per organisation in %(year)s") % {"year": year},
        [_("Organisation"), _("Ties"), _("Weighted ties")],
        [[name[node["id"]], node["degree"], node.get("weighted_degree")] for node in tied],
    )
    members: dict[int, list[str]] = {}
    for node in sorted(nodes, key=lambda n: name[n["id"]].casefold()):
        community = _community(node)
        if community is not None:
            members.setdefault(community, []).append(name[node["id"]])
    communities = Records(
        _("Communities of %(year)s") % {"year": year},
        [_("Community"), _("Organisations"), _("Members")],
        [[number, len(names), ", ".join(names)] for number, names in sorted(members.items())],
    )
    isolates = [
        by_id[i] for i in (result.get("diagnostics") or {}).get("isolates", []) if i in by_id
    ]
    top = Records(
        _("The %(count)s most central organisations (by degree, then betweenness)")
        % {"count": TOP},
        node_columns,
        [node_row(node) for node in central[:TOP]],
    )
    mixing = result.get("sector_mixing") or {}
    figures = [
        Figure(
            "organisations", _label("organisations"), result.get("size", 0), records=organisations
        ),
        Figure(
            "ties",
            _label("ties"),
            result.get("edges", 0),
            records=ties,
            note=_("Each tie counts at both of its ends: the ties listed add up to twice this."),
        ),
        Figure(
            "density",
            _label("density"),
            result.get("density"),
            note=_("The share of all possible ties between the organisations that exist."),
        ),
        Figure("components", _label("components"), result.get("components")),
        Figure("largest_component", _label("largest_component"), result.get("largest_component")),
        Figure(
            "average_clustering",
            _label("average_clustering"),
            result.get("average_clustering"),
            note=_("How often two partners of an organisation also work together, on average."),
        ),
        Figure(
            "communities", _label("communities"), result.get("communities"), records=communities
        ),
        Figure("modularity", _label("modularity"), result.get("modularity")),
        Figure(
            "ei_index",
            _label("ei_index"),
            mixing.get("ei_index"),
            note=_("From −1 (all ties within a sector) to +1 (all ties across sectors)."),
        ),
        Figure(
            "assortativity",
            _label("assortativity"),
            mixing.get("assortativity"),
            note=_("Above 0: organisations tie mostly within their sector; below 0: across."),
        ),
        Figure(
            "isolates",
            _label("isolates"),
            len(isolates),
            records=Records(
                _("Organisations with no tie in %(year)s") % {"year": year},
                node_columns,
                [
                    node_row(node)
                    for node in sorted(isolates, key=lambda n: name[n["id"]].casefold())
                ],
            ),
        ),
        Figure(
            "most_central",
            _label("most_central"),
            name[central[0]["id"]] if central and central[0].get("degree") else None,
            records=top,
            note=sample_note,
        ),
    ]
    notes = [sample_note] if sample_note else []
    image_svg = ""
    title = _("%(network)s: who works with whom in %(year)s") % {
        "network": network.name,
        "year": year,
    }
    if nodes:
        sources = ", ".join(
            str(SOURCE_LABELS.get(source, source)) for source in params.source_names
        )
        picture = svg.render_svg(
            result,
            colour_by="sector",
            size_by="degree",
            sector_colours={slug: colour for slug, (_name, colour) in sectors.items()},
            sector_names={slug: label for slug, (label, _colour) in sectors.items()},
            title=title,
            subtitle=_("Organisations · %(sources)s · %(year)s · node size: degree")
            % {"sources": sources, "year": year},
            legend_title=_("Sector"),
            no_sector_label=_("No sector"),
        )
        # The picture goes inside an HTML page: no XML declaration there.
        image_svg = picture.removeprefix('<?xml version="1.0" encoding="UTF-8"?>').lstrip()
    else:
        notes.append(_("No organisation was a member of the network in %(year)s.") % {"year": year})
    return Section(
        key="network",
        heading=str(_("The network map")),
        figures=figures,
        tables=[top] if nodes else [],
        image_svg=image_svg,
        image_title=title if image_svg else "",
        notes=notes,
    )
