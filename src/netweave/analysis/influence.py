"""Who can introduce whom: paths on the network map from a goal's supporters to its targets.

For an influencing goal, the *sources* are member organisations that support it (position
≥ 1) and the *targets* are influential actors (influence ≥ 4) that are undecided or
opposed. For each target the shortest chains of ties lead from the nearest supporters to
it: each intermediary can introduce the next. Length is the number of ties (hops); among
chains of the same length the one with the stronger ties wins (the higher sum of tie
weights), then the one through lower node ids, so the answer is always the same.

:func:`introduction_paths` is pure (a ``WeightedEdges`` graph and two id lists in, paths
out); :func:`goal_paths` reads the goal's current stances and the network map through the
analysis engine's ``build_graph``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from netweave.analysis.graphs import WeightedEdges

EPSILON = 1e-9


@dataclass(frozen=True)
class IntroductionPath:
    source: int
    target: int
    nodes: tuple[int, ...]  # source first, target last
    weight: float  # sum of the tie weights along the path

    @property
    def hops(self) -> int:
        return len(self.nodes) - 1

    @property
    def intermediaries(self) -> tuple[int, ...]:
        return self.nodes[1:-1]


def to_networkx(edges: WeightedEdges) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(int(node) for node in edges.nodes)
    graph.add_weighted_edges_from(
        (int(a), int(b), float(w))
        for a, b, w in zip(edges.src, edges.dst, edges.weight, strict=True)
    )
    return graph


def _best_paths_to(graph: nx.Graph, target: int) -> tuple[dict[int, int], dict[int, tuple]]:
    """From every node that reaches ``target``: the hop count and the best shortest path.

    Breadth-first distances from the target, then, layer by layer outwards, each node's
    best path is its strongest step to a node one hop closer followed by that node's best.
    """
    distance = nx.single_source_shortest_path_length(graph, target)
    best: dict[int, tuple[float, tuple[int, ...]]] = {target: (0.0, (target,))}
    for node in sorted(distance, key=lambda n: (distance[n], n)):
        if node == target:
            continue
        choices = []
        for neighbour, data in graph[node].items():
            if distance.get(neighbour) == distance[node] - 1:
                weight, path = best[neighbour]
                choices.append((weight + data.get("weight", 1.0), (node, *path)))
        # Stronger first; on equal strength the path through the lower ids.
        choices.sort(key=lambda choice: (-round(choice[0] / EPSILON), choice[1]))
        best[node] = choices[0]
    return distance, best


def introduction_paths(
    edges: WeightedEdges,
    sources: Iterable[int],
    targets: Iterable[int],
    *,
    per_target: int = 3,
) -> dict[int, list[IntroductionPath]]:
    """For each target, the best paths from up to ``per_target`` of the nearest sources.

    Sorted by hops, then by strength (sum of weights, higher first), then by source id. A
    target that is a source itself, outside the graph or unreachable gets an empty list.
    """
    graph = to_networkx(edges)
    source_set = {int(s) for s in sources if int(s) in graph}
    result: dict[int, list[IntroductionPath]] = {}
    for target in targets:
        target = int(target)
        result[target] = []
        if target not in graph or target in source_set:
            continue
        distance, best = _best_paths_to(graph, target)
        found = [
            IntroductionPath(source=s, target=target, nodes=best[s][1], weight=best[s][0])
            for s in source_set
            if s in distance
        ]
        found.sort(key=lambda p: (p.hops, -round(p.weight / EPSILON), p.source))
        result[target] = found[:per_target]
    return result


# The loader ------------------------------------------------------------------------------
@dataclass
class GoalPaths:
    """What the paths page shows for a goal."""

    targets: list[Any]  # Stances of influential undecided or opposed actors
    supporters: list[Any]  # Stances of supportive members on the map
    paths: dict[int, list[IntroductionPath]]
    info: Mapping[int, Mapping[str, Any]]
    off_map: list[Any] = field(default_factory=list)  # targets not on the network map
    supporters_off_map: list[Any] = field(default_factory=list)

    def label(self, node: int) -> str:
        return str(self.info.get(node, {}).get("label", node))


def goal_paths(goal: Any, params: Any, *, per_target: int = 3) -> GoalPaths:
    """The goal's current stances joined with the network map of ``params``."""
    from netweave.analysis.services import build_graph
    from netweave.influence.mapping import goal_stances

    stances = goal_stances(goal)
    edges, info = build_graph(goal.network, params)
    on_map = {int(node) for node in edges.nodes}
    supporters = [s for s in stances if s.is_supportive]
    targets = [s for s in stances if s.is_target]
    paths = introduction_paths(
        edges,
        [s.organisation_id for s in supporters if s.organisation_id in on_map],
        [s.organisation_id for s in targets if s.organisation_id in on_map],
        per_target=per_target,
    )
    return GoalPaths(
        targets=[s for s in targets if s.organisation_id in on_map],
        supporters=[s for s in supporters if s.organisation_id in on_map],
        paths=paths,
        info=info,
        off_map=[s for s in targets if s.organisation_id not in on_map],
        supporters_off_map=[s for s in supporters if s.organisation_id not in on_map],
    )
