"""Netweave's whole analysis path against igraph alone, on the same co-attendance graph.

Run in a scratch data directory (SQLite) or against PostgreSQL with DATABASE_URL::

    NETWEAVE_DATA_DIR=$(mktemp -d) .venv/bin/python bench/analysis.py \
        [--orgs 2000] [--meetings 5000] [--attendance 200000] [--repeat 1]

It migrates, seeds one network with ``netweave seed-scale`` (organisations, five people
each, meetings, skewed attendance), then in the same process:

- **Netweave**: ``analyse_network`` at organisation level on the co-attendance graph,
  from the database to every metric, diagnostic, the growth per year and the map layout
  (the exact path of the CLI, the API and the pages on a cache miss);
- **igraph**: the same metrics from a prepared edge list (the graph Netweave built, as
  plain Python lists, prepared before the clock starts): degree, strength, degree
  centrality, density, components, local clustering, betweenness (exact or from the same
  number of pivots as Netweave at this size), eigenvector centrality, Louvain
  communities with modularity, sector assortativity and articulation points.

Prints a JSON report with both times and their ratio.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netweave.settings")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def igraph_metrics(n: int, edge_list: list, weights: list, sectors: list, pivots: int | None):
    """The metrics Netweave reports, computed by igraph from an edge list."""
    import igraph as ig

    timings = {}
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        timings[name] = now - started
        started = now

    graph = ig.Graph(n=n, edges=edge_list)
    graph.es["weight"] = weights
    lap("graph")
    degree = graph.degree()
    graph.strength(weights="weight")
    [d / (n - 1) for d in degree]
    graph.density()
    graph.connected_components()
    lap("degree, strength, density, components")
    local = graph.transitivity_local_undirected(mode="zero")
    sum(local) / n
    lap("clustering")
    if pivots:
        sources = random.Random(0).sample(range(n), pivots)  # noqa: S311
        graph.betweenness(directed=False, sources=sources)
    else:
        graph.betweenness(directed=False)
    lap("betweenness")
    graph.eigenvector_centrality(weights=None)
    lap("eigenvector")
    communities = graph.community_multilevel(weights="weight")
    graph.modularity(communities.membership, weights="weight")
    lap("communities")
    codes: dict[str, int] = {}
    graph.vs["sector"] = [codes.setdefault(sector, len(codes)) for sector in sectors]
    graph.assortativity_nominal("sector", directed=False)
    graph.articulation_points()
    lap("assortativity, articulation points")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--meetings", type=int, default=5000)
    parser.add_argument("--attendance", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=1, help="time each side N times")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from netweave.networks.models import Network

    slug = "bench-analysis-1"
    if not Network.objects.filter(slug=slug).exists():
        started = time.perf_counter()
        call_command(
            "seed_scale",
            orgs=args.orgs,
            people=5 * args.orgs,
            meetings=args.meetings,
            attendance=args.attendance,
            prefix="bench-analysis",
            focal_points=0,
            verbosity=0,
            stdout=io.StringIO(),
        )
        seeded = time.perf_counter() - started
    else:
        seeded = 0.0
    network = Network.objects.get(slug=slug)

    from django.urls import reverse

    from netweave.analysis import metrics, services
    from netweave.meetings.models import Attendance

    # A web process or task worker has its URL configuration loaded already (profile links
    # are reversed from it); load it here too so that importing every view is not timed.
    reverse("directory:organisation_detail", kwargs={"network": slug, "slug": "warm-up"})
    params = services.AnalysisParams()
    netweave_times, igraph_times = [], []
    result = None
    for _round in range(args.repeat):
        metrics._igraph_cache.clear()
        started = time.perf_counter()
        result = services.analyse_network(network, params)
        netweave_times.append(time.perf_counter() - started)

    # The same graph as a prepared edge list for igraph, outside the clock.
    edges, info = services.build_graph(network, params)
    edge_list = list(zip(edges.src_index.tolist(), edges.dst_index.tolist(), strict=True))
    weights = edges.weight.tolist()
    sectors = [info[node]["sector"] or "" for node in edges.nodes.tolist()]
    pivots = result["betweenness_samples"]
    steps = {}
    for _round in range(args.repeat):
        steps = igraph_metrics(edges.n_nodes, edge_list, weights, sectors, pivots)
        igraph_times.append(sum(steps.values()))

    # Netweave's steps, one by one, for the record.
    parts = {}
    started = time.perf_counter()
    version = services.data_version(network)
    parts["data version (1 query)"] = time.perf_counter() - started
    started = time.perf_counter()
    edges, info = services.build_graph(network, params)
    parts["database to graph"] = time.perf_counter() - started

    netweave_best, igraph_best = min(netweave_times), min(igraph_times)
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "database": connection.vendor,
        "seeded_seconds": round(seeded, 1),
        "organisations": result["size"],
        "attendance_rows": Attendance.objects.filter(meeting__network=network).count(),
        "edges": result["edges"],
        "density": round(result["density"], 4),
        "betweenness": f"{result['betweenness_method']} ({pivots or 'all'} sources)",
        "exact_max_nodes": getattr(settings, "ANALYSIS_EXACT_BETWEENNESS_MAX_NODES", 1000),
        "netweave_seconds": [round(t, 2) for t in netweave_times],
        "igraph_seconds": [round(t, 2) for t in igraph_times],
        "ratio": round(netweave_best / igraph_best, 2),
        "igraph_steps": {k: round(v, 2) for k, v in steps.items()},
        "netweave_steps": {k: round(v, 2) for k, v in parts.items()},
        "data_version": version,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
