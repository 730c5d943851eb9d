"""Network metrics computed from :class:`WeightedEdges`, as pure functions with no database.

Every node metric is a numpy array aligned with ``edges.nodes``. The heavy parts
(betweenness, communities, eigenvector centrality, articulation points) run in igraph and
triangle counts in sparse or dense matrix products, scaled so that the numbers equal
NetworkX's defaults on the same graph (the tests check each within 1e-9):

- degree, degree centrality, density and clustering as ``nx.degree``,
  ``nx.degree_centrality``, ``nx.density`` and ``nx.clustering`` (all unweighted);
  weighted degree as ``G.degree(weight="weight")``.
- betweenness: unweighted and normalised, exactly as ``nx.betweenness_centrality(G)``.
  Beyond ``EXACT_BETWEENNESS_MAX_NODES`` nodes it is estimated from ``k`` random pivots,
  equal to ``nx.betweenness_centrality(G, k=k, seed=seed)`` (NetworkX 3.6 scaling).
- eigenvector centrality: unweighted (a tie counts once however many meetings it rests
  on, so one pair meeting weekly does not dominate), unit Euclidean norm, equal to
  ``nx.eigenvector_centrality_numpy(G)`` on a connected graph. NetworkX refuses
  disconnected graphs; here the leading eigenvector of the whole adjacency matrix is
  used: the component with the largest spectral radius gets its Perron vector and the
  other components (and every isolate) get 0. Should several components tie for the
  largest spectral radius, they share the unit norm equally.
- sector mixing and brokerage: see :func:`sector_assortativity`, :func:`ei_index` and
  :func:`sector_brokerage`; actors of unknown sector are left out of all three.
- communities: Louvain on the weighted graph (igraph's multilevel algorithm, seeded so
  that the same input gives the same communities), with its weighted modularity, equal to
  ``nx.community.modularity(G, communities, weight="weight")``. Isolates belong to no
  community (id -1 here, ``None`` in :func:`analyse`) and are not counted.
"""

from __future__ import annotations

import random
import threading
import weakref
from collections.abc import Collection, Hashable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import igraph as ig
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from netweave.analysis.graphs import WeightedEdges, to_igraph

EXACT_BETWEENNESS_MAX_NODES = 3000
BETWEENNESS_PIVOTS = 500
# Relative tolerance when comparing the spectral radii of two components.
_EIGENVALUE_TIE = 1e-9
# Largest graph for which triangle counts may use dense n × n float32 matrices (64 MB each).
_DENSE_MAX_NODES = 4000

_igraph_cache: weakref.WeakKeyDictionary[WeightedEdges, ig.Graph] = weakref.WeakKeyDictionary()
_igraph_rng_lock = threading.Lock()


@dataclass(frozen=True)
class Betweenness:
    """Normalised betweenness per node; ``method`` says whether it was exact or estimated
    from ``pivots`` sampled source nodes."""

    values: np.ndarray
    method: Literal["exact", "sampled"]
    pivots: int | None


@dataclass(frozen=True)
class Communities:
    """Community id per node (0 = largest community, -1 = isolate), how many communities
    there are and the partition's weighted modularity."""

    membership: np.ndarray
    count: int
    modularity: float


@dataclass(frozen=True)
class InterestGap:
    """Two actors with shared interests and no tie yet."""

    a: int
    b: int
    jaccard: float
    shared: tuple[Hashable, ...]


def _graph(edges: WeightedEdges) -> ig.Graph:
    """The igraph twin of ``edges``, built once per WeightedEdges (they are immutable)."""
    graph = _igraph_cache.get(edges)
    if graph is None:
        graph = _igraph_cache[edges] = to_igraph(edges)
    return graph


@contextmanager
def _igraph_seed(seed: int) -> Iterator[None]:
    """Make igraph's random choices repeatable; igraph's generator is process-wide."""
    with _igraph_rng_lock:
        ig.set_random_number_generator(random.Random(seed))  # noqa: S311 (not a secret)
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


# ---------------------------------------------------------------------------------------
# Network-level counts


def degree(edges: WeightedEdges) -> np.ndarray:
    """Number of neighbours of each node."""
    ends = np.concatenate([edges.src_index, edges.dst_index])
    return np.bincount(ends, minlength=edges.n_nodes).astype(np.int64)


def weighted_degree(edges: WeightedEdges) -> np.ndarray:
    """Sum of the weights of each node's ties."""
    ends = np.concatenate([edges.src_index, edges.dst_index])
    weights = np.concatenate([edges.weight, edges.weight])
    return np.bincount(ends, weights=weights, minlength=edges.n_nodes).astype(np.float64)


def degree_centrality(edges: WeightedEdges) -> np.ndarray:
    """Degree divided by ``n - 1``; 1 for the single node of a one-node graph."""
    n = edges.n_nodes
    if n <= 1:
        return np.ones(n)
    return degree(edges) / (n - 1)


def density(edges: WeightedEdges) -> float:
    """Share of the possible ties that exist."""
    n, m = edges.n_nodes, edges.n_edges
    if n <= 1 or m == 0:
        return 0.0
    return 2 * m / (n * (n - 1))


def components(edges: WeightedEdges) -> tuple[int, np.ndarray]:
    """Number of connected components (an isolate is one) and a component label per node."""
    if edges.n_nodes == 0:
        return 0, np.array([], dtype=np.int64)
    count, labels = connected_components(edges.adjacency(), directed=False)
    return int(count), labels.astype(np.int64)


def isolates(edges: WeightedEdges) -> np.ndarray:
    """Ids of the actors with no tie."""
    return edges.nodes[degree(edges) == 0]


def clustering(edges: WeightedEdges) -> np.ndarray:
    """Local clustering coefficient (unweighted); 0 for nodes with fewer than 2 neighbours.

    Triangles come from :func:`_closed_pairs`, which on dense graphs is several times faster
    than igraph's triangle listing.
    """
    adjacency = edges.adjacency()
    degrees = degree(edges).astype(np.float64)
    triangles = _closed_pairs(adjacency, adjacency)
    possible = degrees * (degrees - 1) / 2
    result = np.zeros(edges.n_nodes)
    np.divide(triangles, possible, out=result, where=possible > 0)
    return result


def average_clustering(edges: WeightedEdges) -> float:
    """Mean local clustering over all nodes, isolates included (``nx.average_clustering``)."""
    values = clustering(edges)
    return float(values.mean()) if len(values) else 0.0


# ---------------------------------------------------------------------------------------
# Centrality


def betweenness(
    edges: WeightedEdges,
    *,
    exact_max_nodes: int = EXACT_BETWEENNESS_MAX_NODES,
    pivots: int = BETWEENNESS_PIVOTS,
    seed: int = 0,
) -> Betweenness:
    """Unweighted normalised betweenness, exact up to ``exact_max_nodes`` nodes.

    Beyond that, shortest paths are counted from ``pivots`` source nodes drawn as
    ``random.Random(seed).sample(nodes, pivots)``, the draw NetworkX makes, and scaled as
    NetworkX 3.6 does (a pivot's own score is averaged over the other pivots).
    """
    n = edges.n_nodes
    sampled = n > exact_max_nodes and pivots < n
    if sampled and pivots < 2:
        raise ValueError("sampled betweenness needs at least 2 pivots.")
    if n < 3 or edges.n_edges == 0:
        values = np.zeros(n)
        return Betweenness(values, "sampled" if sampled else "exact", pivots if sampled else None)
    graph = _graph(edges)
    pairs = n - 1  # possible targets other than the source
    if not sampled:
        # igraph counts each unordered pair once; NetworkX counts (s, t) and (t, s).
        raw = 2 * np.asarray(graph.betweenness(directed=False), dtype=float)
        return Betweenness(raw / (pairs * (pairs - 1)), "exact", None)
    sources = random.Random(seed).sample(range(n), pivots)  # noqa: S311 (not a secret)
    raw = 2 * np.asarray(graph.betweenness(directed=False, sources=sources), dtype=float)
    scale = np.full(n, 1 / (pivots * (pairs - 1)))
    scale[sources] = 1 / ((pivots - 1) * (pairs - 1))
    return Betweenness(raw * scale, "sampled", pivots)


def eigenvector(edges: WeightedEdges) -> np.ndarray:
    """Unweighted eigenvector centrality with unit norm; see the module docstring for
    disconnected graphs. All zeros when there is no tie."""
    n = edges.n_nodes
    result = np.zeros(n)
    if edges.n_edges == 0:
        return result
    count, labels = components(edges)
    degrees = degree(edges)
    # A component's spectral radius is at most its largest degree: visit components by that
    # bound and stop once no remaining one can reach the best radius found.
    bound = np.zeros(count)
    np.maximum.at(bound, labels, degrees)
    by_label = np.argsort(labels, kind="stable")
    starts = np.searchsorted(labels[by_label], np.arange(count + 1))
    graph = _graph(edges)
    best = 0.0
    chosen: list[tuple[np.ndarray, np.ndarray]] = []
    for label in np.argsort(-bound, kind="stable"):
        if bound[label] == 0 or bound[label] < best * (1 - _EIGENVALUE_TIE):
            break
        members = by_label[starts[label] : starts[label + 1]]
        if len(members) == 2:
            vector, radius = np.ones(2), 1.0
        else:
            component = graph if len(members) == n else graph.induced_subgraph(members)
            values, radius = component.eigenvector_centrality(weights=None, return_eigenvalue=True)
            vector = np.abs(np.asarray(values, dtype=float))
        if radius > best * (1 + _EIGENVALUE_TIE):
            best, chosen = radius, [(members, vector)]
        elif radius >= best * (1 - _EIGENVALUE_TIE):
            chosen.append((members, vector))
    for members, vector in chosen:
        result[members] = vector / np.linalg.norm(vector)
    return result / np.linalg.norm(result)


# ---------------------------------------------------------------------------------------
# Communities


def communities(edges: WeightedEdges, *, seed: int = 0, resolution: float = 1.0) -> Communities:
    """Louvain communities on the weighted graph, numbered by size (largest first)."""
    n = edges.n_nodes
    if edges.n_edges == 0:
        return Communities(np.full(n, -1, dtype=np.int64), 0, 0.0)
    graph = _graph(edges)
    with _igraph_seed(seed):
        found = graph.community_multilevel(weights="weight", resolution=resolution)
    raw = np.asarray(found.membership, dtype=np.int64)
    modularity = graph.modularity(raw.tolist(), weights="weight", resolution=resolution)
    tied = degree(edges) > 0
    labels = raw[tied]
    positions = np.flatnonzero(tied)
    sizes = np.bincount(labels, minlength=raw.max() + 1)
    first = np.full(len(sizes), n)
    np.minimum.at(first, labels, positions)
    present = np.flatnonzero(sizes)
    ranked = present[np.lexsort((first[present], -sizes[present]))]
    renumber = np.full(len(sizes), -1, dtype=np.int64)
    renumber[ranked] = np.arange(len(ranked))
    membership = np.full(n, -1, dtype=np.int64)
    membership[tied] = renumber[labels]
    return Communities(membership, len(ranked), float(modularity))


# ---------------------------------------------------------------------------------------
# Sectors


def _sector_codes(edges: WeightedEdges, sectors: Mapping[int, Hashable | None]) -> np.ndarray:
    """A sector code per node; -1 where the sector is unknown (missing, None or "")."""
    codes: dict[Hashable, int] = {}
    result = np.full(edges.n_nodes, -1, dtype=np.int64)
    for position, node in enumerate(edges.nodes.tolist()):
        sector = sectors.get(node)
        if sector is not None and sector != "":
            result[position] = codes.setdefault(sector, len(codes))
    return result


def sector_assortativity(
    edges: WeightedEdges, sectors: Mapping[int, Hashable | None]
) -> float | None:
    """Newman's attribute assortativity of sector over the ties between actors of known
    sector (``nx.attribute_assortativity_coefficient`` on that subgraph); None when
    undefined (no such tie, or a single sector)."""
    codes = _sector_codes(edges, sectors)
    a, b = codes[edges.src_index], codes[edges.dst_index]
    known = (a >= 0) & (b >= 0)
    if not np.any(known):
        return None
    g = codes.max() + 1
    mixing = np.zeros((g, g))
    np.add.at(mixing, (a[known], b[known]), 1)
    mixing = mixing + mixing.T
    mixing /= mixing.sum()
    expected = float(mixing.sum(axis=0) @ mixing.sum(axis=1))
    if np.isclose(expected, 1.0):
        return None
    return (float(np.trace(mixing)) - expected) / (1 - expected)


def ei_index(
    edges: WeightedEdges, sectors: Mapping[int, Hashable | None], *, weighted: bool = False
) -> float | None:
    """Krackhardt's E-I index of sector: (external - internal) / (external + internal) ties,
    from -1 (all ties within a sector) to +1 (all across); ties touching an actor of
    unknown sector are left out; None when no tie is left."""
    codes = _sector_codes(edges, sectors)
    a, b = codes[edges.src_index], codes[edges.dst_index]
    known = (a >= 0) & (b >= 0)
    values = edges.weight if weighted else np.ones(edges.n_edges)
    external = float(values[known & (a != b)].sum())
    internal = float(values[known & (a == b)].sum())
    if external + internal == 0:
        return None
    return (external - internal) / (external + internal)


def _closed_pairs(adjacency: sp.csr_array, among: sp.csr_array) -> np.ndarray:
    """For each node v, the number of ties in ``among`` between two neighbours of v:
    the diagonal of ``A @ among @ A`` halved, dense when that is cheaper."""
    n = adjacency.shape[0]
    degrees = np.diff(adjacency.indptr).astype(np.float64)
    sparse_work = float(degrees @ degrees)
    if n <= _DENSE_MAX_NODES and n**3 / 64 < sparse_work:
        # float32 holds each path count exactly (at most n < 2**24); row sums, which may
        # reach n², are taken in float64.
        dense = adjacency.toarray().astype(np.float32)
        paths = dense @ among.toarray().astype(np.float32)
        paths *= dense
        return np.rint(paths.sum(axis=1, dtype=np.float64) / 2).astype(np.int64)
    paths = (adjacency @ among).multiply(adjacency)
    return np.rint(np.asarray(paths.sum(axis=1)).reshape(-1) / 2).astype(np.int64)


def sector_brokerage(edges: WeightedEdges, sectors: Mapping[int, Hashable | None]) -> np.ndarray:
    """For each actor, the pairs of its neighbours that sit in different sectors and have no
    tie to each other: introductions across sectors that run through this actor.

    This is the undirected form of Gould and Fernandez's liaison and representative roles
    combined (Burt's open cross-group triads); neighbours of unknown sector are left out.
    """
    n = edges.n_nodes
    if edges.n_edges == 0:
        return np.zeros(n, dtype=np.int64)
    codes = _sector_codes(edges, sectors)
    known = np.flatnonzero(codes >= 0)
    g = int(codes.max()) + 1 if len(known) else 0
    one_hot = sp.csr_array((np.ones(len(known)), (known, codes[known])), shape=(n, max(g, 1)))
    adjacency = edges.adjacency()
    per_sector = (adjacency @ one_hot).toarray()
    neighbours = per_sector.sum(axis=1)
    cross_pairs = np.rint((neighbours**2 - (per_sector**2).sum(axis=1)) / 2).astype(np.int64)
    a, b = codes[edges.src_index], codes[edges.dst_index]
    across = (a >= 0) & (b >= 0) & (a != b)
    rows = np.concatenate([edges.src_index[across], edges.dst_index[across]])
    cols = np.concatenate([edges.dst_index[across], edges.src_index[across]])
    cross_ties = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    return cross_pairs - _closed_pairs(adjacency, cross_ties)


# ---------------------------------------------------------------------------------------
# Diagnostics


def dependants(edges: WeightedEdges) -> list[tuple[int, int]]:
    """``(actor, broker)`` for every actor whose only tie is to ``broker``."""
    ends = np.concatenate([edges.src_index, edges.dst_index])
    others = np.concatenate([edges.dst_index, edges.src_index])
    alone = degree(edges)[ends] == 1
    order = np.argsort(ends[alone], kind="stable")
    actors = edges.nodes[ends[alone][order]]
    brokers = edges.nodes[others[alone][order]]
    return list(zip(actors.tolist(), brokers.tolist(), strict=True))


def articulation_points(edges: WeightedEdges) -> np.ndarray:
    """Ids of the actors whose removal splits their component (cut vertices), sorted."""
    if edges.n_edges == 0:
        return np.array([], dtype=np.int64)
    points = np.asarray(_graph(edges).articulation_points(), dtype=np.int64)
    return np.sort(edges.nodes[points])


def interest_gaps(
    edges: WeightedEdges,
    interests: Mapping[int, Collection[Hashable]],
    *,
    top: int = 20,
    block: int = 2000,
) -> list[InterestGap]:
    """The ``top`` pairs of actors with no tie, ranked by the Jaccard similarity of their
    interests (then by how many they share, then by id).

    Only actors in ``edges.nodes`` are considered. Intersections come from the sparse
    product of the actor–topic matrix with itself, ``block`` rows at a time so memory stays
    bounded on large graphs.
    """
    n = edges.n_nodes
    topic_codes: dict[Hashable, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for position, node in enumerate(edges.nodes.tolist()):
        for topic in interests.get(node, ()):
            rows.append(position)
            cols.append(topic_codes.setdefault(topic, len(topic_codes)))
    if top <= 0 or not topic_codes:
        return []
    topics = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, len(topic_codes)))
    topics.sum_duplicates()
    topics.data[:] = 1.0
    sizes = np.diff(topics.indptr)
    tied = edges.src_index * n + edges.dst_index  # sorted, since edges are canonical
    best = np.empty((0, 4))  # columns: jaccard, shared count, i, j
    for start in range(0, n, block):
        shared = (topics[start : start + block] @ topics.T).tocoo()
        i = shared.row.astype(np.int64) + start
        j = shared.col.astype(np.int64)
        keep = j > i
        i, j, count = i[keep], j[keep], shared.data[keep]
        keep = ~np.isin(i * n + j, tied)
        i, j, count = i[keep], j[keep], count[keep]
        jaccard = count / (sizes[i] + sizes[j] - count)
        candidates = np.vstack([best, np.column_stack([jaccard, count, i, j])])
        order = np.lexsort(
            (candidates[:, 3], candidates[:, 2], -candidates[:, 1], -candidates[:, 0])
        )
        best = candidates[order[:top]]
    result = []
    for jaccard, _count, i, j in best.tolist():
        a, b = int(edges.nodes[int(i)]), int(edges.nodes[int(j)])
        common = set(interests[a]) & set(interests[b])
        result.append(InterestGap(a, b, float(jaccard), tuple(_sorted(common))))
    return result


def _sorted(values: Collection[Hashable]) -> list[Hashable]:
    try:
        return sorted(values)  # type: ignore[type-var]
    except TypeError:
        return sorted(values, key=repr)


# ---------------------------------------------------------------------------------------
# Everything at once


def analyse(
    edges: WeightedEdges,
    node_attrs: Mapping[int, Mapping[str, Any]],
    *,
    level: str,
    graph: str,
    network: str = "",
    seed: int = 0,
    interests: Mapping[int, Collection[Hashable]] | None = None,
    top_gaps: int = 20,
    exact_betweenness_max_nodes: int = EXACT_BETWEENNESS_MAX_NODES,
    betweenness_pivots: int = BETWEENNESS_PIVOTS,
) -> dict[str, Any]:
    """All metrics in the analysis JSON shape of DESIGN.md, plus extra fields.

    ``node_attrs`` maps actor ids to ``{"label": ..., "sector": ...}``; a missing label
    falls back to the id, a missing sector to None. ``network`` is the network's slug.
    Only plain ints, floats, strings, lists and None come out, ready for ``json.dumps``.
    """
    ids = edges.nodes.tolist()
    sectors = {node: node_attrs.get(node, {}).get("sector") for node in ids}
    found = communities(edges, seed=seed)
    between = betweenness(
        edges, exact_max_nodes=exact_betweenness_max_nodes, pivots=betweenness_pivots, seed=seed
    )
    count, labels = components(edges)
    local_clustering = clustering(edges)
    columns = zip(
        ids,
        degree(edges).tolist(),
        weighted_degree(edges).tolist(),
        degree_centrality(edges).tolist(),
        between.values.tolist(),
        eigenvector(edges).tolist(),
        found.membership.tolist(),
        edges.events_per_node.tolist(),
        local_clustering.tolist(),
        sector_brokerage(edges, sectors).tolist(),
        strict=True,
    )
    nodes = []
    for node, deg, wdeg, dcent, betw, eig, community, events, clust, brokerage in columns:
        attrs = node_attrs.get(node, {})
        nodes.append(
            {
                "id": node,
                "label": str(attrs.get("label") or node),
                "sector": sectors[node],
                "degree": deg,
                "weighted_degree": wdeg,
                "degree_centrality": dcent,
                "betweenness": betw,
                "eigenvector": eig,
                "community": community if community >= 0 else None,
                "events": events,
                "clustering": clust,
                "brokerage": brokerage,
            }
        )
    result: dict[str, Any] = {
        "network": network,
        "level": level,
        "graph": graph,
        "nodes": nodes,
        "size": edges.n_nodes,
        "edges": edges.n_edges,
        "density": density(edges),
        "communities": found.count,
        "modularity": found.modularity,
        "components": count,
        "largest_component": int(np.bincount(labels).max()) if count else 0,
        "average_clustering": float(local_clustering.mean()) if len(local_clustering) else 0.0,
        "assortativity": sector_assortativity(edges, sectors),
        "ei_index": ei_index(edges, sectors),
        "betweenness_method": between.method,
        "betweenness_pivots": between.pivots,
        "isolates": isolates(edges).tolist(),
        "dependants": [{"id": a, "via": b} for a, b in dependants(edges)],
        "articulation_points": articulation_points(edges).tolist(),
    }
    if interests is not None:
        result["interest_gaps"] = [
            {"a": gap.a, "b": gap.b, "jaccard": gap.jaccard, "shared": list(gap.shared)}
            for gap in interest_gaps(edges, interests, top=top_gaps)
        ]
    return result
