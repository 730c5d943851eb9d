"""`netweave analyze --network SLUG [--level organisation|person] [--graph KIND[,KIND]]
[--since DATE] [--until DATE] [--year YYYY] --format json|table`.

JSON is exactly the analysis of ``netweave.analysis.services.analyse_network`` (served
from the cache when the network's records have not changed since); the table is a
summary with the most central nodes.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from netweave.analysis import services
from netweave.networks.models import Network


class Command(BaseCommand):
    help = (
        "Analyse a network's graph (co-attendance by default): node centralities, "
        "communities, sector mixing, growth and diagnostics."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", required=True, help="The network's slug.")
        parser.add_argument(
            "--level", choices=services.LEVELS, default="organisation", help="Nodes."
        )
        parser.add_argument(
            "--graph",
            default="attendance",
            help=(
                "Graph sources, comma separated, each optionally source:weight; "
                f"one or more of: {', '.join(services.SOURCES)} (default attendance)."
            ),
        )
        parser.add_argument("--since", default="", help="Start of the time window, YYYY-MM-DD.")
        parser.add_argument("--until", default="", help="End of the time window, YYYY-MM-DD.")
        parser.add_argument("--year", default="", help="One calendar year, YYYY.")
        parser.add_argument("--format", dest="fmt", choices=["json", "table"], default="table")
        parser.add_argument(
            "--top", type=int, default=15, help="Nodes listed in the table (default 15)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        network = Network.objects.filter(slug=options["network"]).first()
        if network is None:
            raise CommandError(
                f"No network with the slug {options['network']!r}; `netweave network list` "
                "shows them."
            )
        try:
            params = services.AnalysisParams.from_query(
                {key: options[key] for key in ("level", "graph", "since", "until", "year")}
            )
            state = services.get_analysis(network, params, background=False)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        result = state.result
        assert result is not None
        if options["fmt"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, allow_nan=False))
            return
        self.stdout.write(table(result, top=max(options["top"], 0)))


def _number(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(result: dict[str, Any], *, top: int = 15) -> str:
    """A readable summary of an analysis and its ``top`` nodes by betweenness."""
    mixing = result["sector_mixing"]
    diagnostics = result["diagnostics"]
    method = result["betweenness_method"]
    if method == "sampled":
        method = f"sampled from {result['betweenness_samples']} nodes"
    lines = [
        f"Network {result['network']} — {result['level']} level, graph: {result['graph']}",
        f"Window: {result['params'].get('since', '…')} to {result['params'].get('until', '…')}",
        "",
        f"Nodes {result['size']}  ties {result['edges']}  density {_number(result['density'])}"
        f"  components {result['components']}  largest {result['largest_component']}",
        f"Communities {result['communities']}  modularity {_number(result['modularity'])}"
        f"  average clustering {_number(result['average_clustering'])}",
        f"Sector mixing: assortativity {_number(mixing['assortativity'])}"
        f"  E-I index {_number(mixing['ei_index'])}",
        f"Betweenness: {method}",
        "",
        f"Isolates {len(diagnostics['isolates'])}  inactive (12 months) "
        f"{len(diagnostics['inactive'])}  hanging on one broker "
        f"{len(diagnostics['single_broker'])}  introductions to suggest "
        f"{len(diagnostics['introductions'])}",
    ]
    for item in diagnostics["under_represented"]:
        lines.append(
            f"Under-represented: {item['sector']} {item['share']:.0%} (target {item['target']:.0%})"
        )
    if result["growth"]:
        lines.append("")
        lines.append("Year   members   ties")
        for row in result["growth"]:
            lines.append(f"{row['year']:<6} {row['members']:>7} {row['ties']:>6}")
    nodes = sorted(result["nodes"], key=lambda n: (-n["betweenness"], -n["degree"], n["label"]))[
        :top
    ]
    if nodes:
        header = (
            f"{'node':<32} {'sector':<16} {'deg':>5} {'w.deg':>8} {'betw.':>7} "
            f"{'eigen.':>7} {'comm.':>5} {'events':>6} {'engag.':>6}"
        )
        lines += ["", header, "-" * len(header)]
        for node in nodes:
            community = "–" if node["community"] is None else node["community"]
            lines.append(
                f"{node['label'][:32]:<32} {(node['sector'] or '–')[:16]:<16} "
                f"{node['degree']:>5} {node['weighted_degree']:>8.1f} "
                f"{node['betweenness']:>7.3f} {node['eigenvector']:>7.3f} {community:>5} "
                f"{node['events']:>6} {node['engagement']:>6.2f}"
            )
    return "\n".join(lines) + "\n"
