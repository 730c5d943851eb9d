"""Weighted undirected graphs between actors, built from plain id arrays with no database.

The loader reads attendance, task-group membership, joint-activity participation or
declared relationships with a query or two and passes the ids here. Time windows are the
caller's business: keep only the incidence pairs inside the window, or pass ``event_mask``
to :func:`project_bipartite`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import scipy.sparse as sp

IncidencePairs = Iterable[tuple[int, int]] | tuple[np.ndarray, np.ndarray]


def _int_array(values: Iterable[int] | np.ndarray) -> np.ndarray:
    if not isinstance(values, np.ndarray):
        values = list(values)
    return np.asarray(values, dtype=np.int64).reshape(-1)


def _frozen(values: Any, dtype: type) -> np.ndarray:
    array = np.array(values, dtype=dtype, copy=True).reshape(-1)
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class WeightedEdges:
    """An undirected weighted graph on actor ids, in canonical form.

    ``nodes`` are the actor ids, sorted and unique (isolates included). ``src``, ``dst`` and
    ``weight`` list each edge once with ``src < dst``, sorted by ``(src, dst)``; weights
    are positive. ``events_per_node`` is aligned with ``nodes``: how many distinct events
    (meetings, task groups, activities) each actor took part in. All arrays are read-only.
    """

    nodes: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    events_per_node: np.ndarray

    def __post_init__(self) -> None:
        for name, dtype in (
            ("nodes", np.int64),
            ("src", np.int64),
            ("dst", np.int64),
            ("weight", np.float64),
            ("events_per_node", np.int64),
        ):
            object.__setattr__(self, name, _frozen(getattr(self, name), dtype))
        nodes, src, dst, weight = self.nodes, self.src, self.dst, self.weight
        if np.any(np.diff(nodes) <= 0):
            raise ValueError("nodes must be sorted and unique.")
        if len(self.events_per_node) != len(nodes):
            raise ValueError("events_per_node must have one entry per node.")
        if not len(src) == len(dst) == len(weight):
            raise ValueError("src, dst and weight must have the same length.")
        if np.any(src >= dst):
            raise ValueError("every edge must have src < dst.")
        later = (src[1:] > src[:-1]) | ((src[1:] == src[:-1]) & (dst[1:] > dst[:-1]))
        if not np.all(later):
            raise ValueError("edges must be unique and sorted by (src, dst).")
        if not np.all(np.isfinite(weight)) or np.any(weight <= 0):
            raise ValueError("edge weights must be positive and finite.")
        if len(src) and not (
            np.all(np.isin(src, nodes, assume_unique=False))
            and np.all(np.isin(dst, nodes, assume_unique=False))
        ):
            raise ValueError("every edge end must be one of the nodes.")

    @property
    def n_nodes(self) -> int:
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        return len(self.src)

    @cached_property
    def src_index(self) -> np.ndarray:
        """Positions of ``src`` in ``nodes``."""
        return np.searchsorted(self.nodes, self.src)

    @cached_property
    def dst_index(self) -> np.ndarray:
        """Positions of ``dst`` in ``nodes``."""
        return np.searchsorted(self.nodes, self.dst)

    def index_of(self, ids: Iterable[int] | np.ndarray) -> np.ndarray:
        """Positions of actor ``ids`` in ``nodes``; raises KeyError for an unknown id."""
        ids = _int_array(ids)
        positions = np.searchsorted(self.nodes, ids)
        if len(self.nodes):
            found = self.nodes[np.minimum(positions, len(self.nodes) - 1)] == ids
        else:
            found = np.zeros(len(ids), dtype=bool)
        if not np.all(found):
            raise KeyError(f"not nodes of this graph: {ids[~found].tolist()}")
        return positions

    def adjacency(self, *, weighted: bool = False) -> sp.csr_array:
        """The symmetric ``n × n`` adjacency matrix, rows and columns in ``nodes`` order."""
        n = self.n_nodes
        values = self.weight if weighted else np.ones(self.n_edges)
        rows = np.concatenate([self.src_index, self.dst_index])
        cols = np.concatenate([self.dst_index, self.src_index])
        return sp.csr_array((np.concatenate([values, values]), (rows, cols)), shape=(n, n))


def _incidence_arrays(pairs: IncidencePairs) -> tuple[np.ndarray, np.ndarray]:
    if (
        isinstance(pairs, tuple)
        and len(pairs) == 2
        and all(isinstance(part, np.ndarray) for part in pairs)
    ):
        rows = np.asarray(pairs[0], dtype=np.int64).reshape(-1)
        cols = np.asarray(pairs[1], dtype=np.int64).reshape(-1)
        if len(rows) != len(cols):
            raise ValueError("actor and event arrays must have the same length.")
        return rows, cols
    as_list = pairs if isinstance(pairs, Sequence) else list(pairs)
    array = np.asarray(as_list, dtype=np.int64).reshape(-1, 2)
    return array[:, 0], array[:, 1]


def _node_universe(ids: np.ndarray, nodes: Iterable[int] | np.ndarray | None) -> np.ndarray:
    if nodes is None:
        return np.unique(ids)
    universe = np.unique(_int_array(nodes))
    outside = np.setdiff1d(ids, universe)
    if len(outside):
        raise ValueError(f"actors missing from nodes: {outside[:10].tolist()}")
    return universe


def _canonical(
    nodes: np.ndarray,
    matrix: sp.sparray,
    events_per_node: np.ndarray,
) -> WeightedEdges:
    """WeightedEdges from a symmetric (or upper) matrix in ``nodes`` order; keeps ``i < j``."""
    upper = sp.triu(matrix, k=1).tocoo()
    keep = upper.data > 0
    rows, cols, data = upper.row[keep], upper.col[keep], upper.data[keep]
    order = np.lexsort((cols, rows))
    return WeightedEdges(
        nodes=nodes,
        src=nodes[rows[order]],
        dst=nodes[cols[order]],
        weight=data[order],
        events_per_node=events_per_node,
    )


def project_bipartite(
    pairs: IncidencePairs,
    *,
    weights: Mapping[int, float] | None = None,
    event_mask: np.ndarray | Sequence[bool] | None = None,
    nodes: Iterable[int] | np.ndarray | None = None,
) -> WeightedEdges:
    """Link actors who took part in the same events, weighted by how many events they share.

    ``pairs`` are ``(actor_id, event_id)`` incidences, either an iterable of 2-tuples or a
    tuple of two integer numpy arrays ``(actor_ids, event_ids)``. A duplicated pair counts
    once (attending a meeting twice is attending it). ``weights`` optionally maps event ids
    to a weight (events missing from the map weigh 1), so an edge weighs the sum of its
    shared events' weights. ``event_mask``, aligned with ``pairs``, keeps only the pairs
    where it is true (a time window). ``nodes``, if given, is the full actor set, so actors
    without any incidence appear as isolates with 0 events; an actor outside it is an error.

    The co-occurrence matrix is the sparse product ``B @ W @ B.T`` without its diagonal.
    """
    actors, events = _incidence_arrays(pairs)
    if event_mask is not None:
        mask = np.asarray(event_mask, dtype=bool).reshape(-1)
        if len(mask) != len(actors):
            raise ValueError("event_mask must have one entry per incidence pair.")
        actors, events = actors[mask], events[mask]
    universe = _node_universe(actors, nodes)
    event_ids, event_index = np.unique(events, return_inverse=True)
    incidence = sp.csr_array(
        (np.ones(len(actors)), (np.searchsorted(universe, actors), event_index.reshape(-1))),
        shape=(len(universe), len(event_ids)),
    )
    incidence.sum_duplicates()
    incidence.data[:] = 1.0
    events_per_node = np.diff(incidence.indptr)

    weighted = incidence
    if weights:
        keys = np.fromiter(weights.keys(), dtype=np.int64, count=len(weights))
        values = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            raise ValueError("event weights must be finite and not negative.")
        per_event = np.ones(len(event_ids))
        order = np.argsort(keys)
        keys, values = keys[order], values[order]
        position = np.searchsorted(keys, event_ids)
        known = position < len(keys)
        known[known] = keys[position[known]] == event_ids[known]
        per_event[known] = values[position[known]]
        weighted = incidence @ sp.diags_array(per_event)
    co_occurrence = (weighted @ incidence.T).tocsr()
    return _canonical(universe, co_occurrence, events_per_node)


def edges_from_pairs(
    src: Iterable[int] | np.ndarray,
    dst: Iterable[int] | np.ndarray,
    *,
    weight: Iterable[float] | np.ndarray | None = None,
    nodes: Iterable[int] | np.ndarray | None = None,
) -> WeightedEdges:
    """WeightedEdges from actor–actor ties such as declared relationships.

    Direction is dropped, self-ties are dropped and repeated ties between the same two
    actors add up their weights (default 1 each). ``nodes`` as in :func:`project_bipartite`.
    Every actor has 0 events.
    """
    src, dst = _int_array(src), _int_array(dst)
    if len(src) != len(dst):
        raise ValueError("src and dst must have the same length.")
    if weight is None:
        values = np.ones(len(src))
    else:
        values = np.asarray(
            weight if isinstance(weight, np.ndarray) else list(weight), dtype=np.float64
        ).reshape(-1)
    if len(values) != len(src):
        raise ValueError("weight must have one entry per tie.")
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError("tie weights must be finite and not negative.")
    universe = _node_universe(np.concatenate([src, dst]), nodes)
    low, high = np.minimum(src, dst), np.maximum(src, dst)
    keep = low != high
    n = len(universe)
    matrix = sp.coo_array(
        (
            values[keep],
            (np.searchsorted(universe, low[keep]), np.searchsorted(universe, high[keep])),
        ),
        shape=(n, n),
    ).tocsr()  # the conversion adds up repeated ties
    return _canonical(universe, matrix, np.zeros(n, dtype=np.int64))


def merge_edges(
    sources: Sequence[WeightedEdges], *, weights: Sequence[float] | None = None
) -> WeightedEdges:
    """One graph from several sources, each edge weighing ``sum(weights[k] * weight_k)``.

    Nodes are the union of the sources' nodes. ``events_per_node`` adds up the sources'
    counts (a meeting attended and a task group joined make 2). A source with weight 0
    contributes its nodes but no edges.
    """
    if weights is None:
        weights = [1.0] * len(sources)
    if len(weights) != len(sources):
        raise ValueError("give one weight per source.")
    factors = np.asarray(weights, dtype=np.float64)
    if not np.all(np.isfinite(factors)) or np.any(factors < 0):
        raise ValueError("source weights must be finite and not negative.")
    if not sources:
        return WeightedEdges(
            nodes=np.array([], dtype=np.int64),
            src=np.array([], dtype=np.int64),
            dst=np.array([], dtype=np.int64),
            weight=np.array([]),
            events_per_node=np.array([], dtype=np.int64),
        )
    universe = np.unique(np.concatenate([source.nodes for source in sources]))
    n = len(universe)
    events = np.zeros(n, dtype=np.int64)
    for source in sources:
        events[np.searchsorted(universe, source.nodes)] += source.events_per_node
    rows = np.concatenate([np.searchsorted(universe, s.src) for s in sources])
    cols = np.concatenate([np.searchsorted(universe, s.dst) for s in sources])
    data = np.concatenate([s.weight * f for s, f in zip(sources, factors, strict=True)])
    matrix = sp.coo_array((data, (rows, cols)), shape=(n, n)).tocsr()
    return _canonical(universe, matrix, events)


def to_networkx(
    edges: WeightedEdges, attrs: Mapping[int, Mapping[str, Any]] | None = None
) -> nx.Graph:
    """A NetworkX graph: nodes are actor ids in ``edges.nodes`` order, carrying ``events``
    and any attributes in ``attrs``; edges carry ``weight``."""
    attrs = attrs or {}
    graph = nx.Graph()
    graph.add_nodes_from(
        (node, {"events": events, **attrs.get(node, {})})
        for node, events in zip(edges.nodes.tolist(), edges.events_per_node.tolist(), strict=True)
    )
    graph.add_weighted_edges_from(
        zip(edges.src.tolist(), edges.dst.tolist(), edges.weight.tolist(), strict=True)
    )
    return graph


def to_igraph(edges: WeightedEdges) -> ig.Graph:
    """An igraph graph: vertex ``i`` is ``edges.nodes[i]`` (attribute ``id``), edges in
    ``edges`` order with attribute ``weight``."""
    graph = ig.Graph(
        n=edges.n_nodes,
        edges=list(zip(edges.src_index.tolist(), edges.dst_index.tolist(), strict=True)),
    )
    graph.vs["id"] = edges.nodes.tolist()
    graph.vs["events"] = edges.events_per_node.tolist()
    graph.es["weight"] = edges.weight.tolist()
    return graph
