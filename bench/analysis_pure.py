"""Time the database-free analysis on a large co-attendance graph.

2,000 actors, 5,000 events, 200,000 random (actor, event) incidence pairs by default:
``.venv/bin/python bench/analysis_pure.py [--actors N] [--events N] [--pairs N]``.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from netweave.analysis import metrics
from netweave.analysis.graphs import project_bipartite, to_igraph

SECTORS = ["government", "un", "donor", "ngo", "academia", "private", "media"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--pairs", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    actors = rng.integers(1, args.actors + 1, args.pairs)
    events = rng.integers(1, args.events + 1, args.pairs)
    attrs = {
        int(a): {"label": f"Actor {a}", "sector": SECTORS[int(a) % len(SECTORS)]}
        for a in range(1, args.actors + 1)
    }
    interests = {
        a: set(rng.choice(40, size=int(rng.integers(1, 6)), replace=False).tolist()) for a in attrs
    }

    timings: dict[str, float] = {}

    def timed(name, function, *a, **kw):
        start = time.perf_counter()
        value = function(*a, **kw)
        timings[name] = time.perf_counter() - start
        return value

    edges = timed("project_bipartite", project_bipartite, (actors, events))
    result = timed(
        "analyse (total)",
        metrics.analyse,
        edges,
        attrs,
        level="person",
        graph="co-attendance",
        network="bench",
        interests=interests,
    )
    # The steps again, one by one; `analyse` has left the igraph twin of `edges` cached.
    sectors = {a: v["sector"] for a, v in attrs.items()}
    timed("  igraph build", to_igraph, edges)
    timed("  betweenness", metrics.betweenness, edges)
    timed("  eigenvector", metrics.eigenvector, edges)
    timed("  communities", metrics.communities, edges)
    timed("  clustering", metrics.clustering, edges)
    timed("  sector_brokerage", metrics.sector_brokerage, edges, sectors)
    timed("  interest_gaps", metrics.interest_gaps, edges, interests)
    timed("  articulation_points", metrics.articulation_points, edges)

    print(
        f"{edges.n_nodes} nodes, {edges.n_edges} edges, density {result['density']:.3f}, "
        f"{result['communities']} communities, betweenness {result['betweenness_method']}"
    )
    for name, seconds in timings.items():
        print(f"{name:<24}{seconds:7.2f} s")
    print(f"{'JSON size':<24}{len(json.dumps(result)) / 1e6:7.2f} MB")


if __name__ == "__main__":
    main()
