"""Building weighted actor graphs from incidence pairs and ties, with no database."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netweave.analysis.graphs import (
    WeightedEdges,
    edges_from_pairs,
    merge_edges,
    project_bipartite,
    to_igraph,
    to_networkx,
)


def as_dict(edges: WeightedEdges) -> dict[tuple[int, int], float]:
    return {
        (a, b): w
        for a, b, w in zip(
            edges.src.tolist(), edges.dst.tolist(), edges.weight.tolist(), strict=True
        )
    }


def brute_force_projection(pairs: list[tuple[int, int]]) -> tuple[dict, dict]:
    """Shared events per actor pair and distinct events per actor, by double loop."""
    events_of: dict[int, set[int]] = defaultdict(set)
    for actor, event in pairs:
        events_of[actor].add(event)
    shared = {}
    for a, b in combinations(sorted(events_of), 2):
        common = len(events_of[a] & events_of[b])
        if common:
            shared[(a, b)] = float(common)
    return shared, {actor: len(events) for actor, events in events_of.items()}


def test_project_bipartite_counts_shared_events():
    """Two actors are linked by the number of events both attended; self-links are dropped."""
    pairs = [(1, 10), (2, 10), (3, 10), (1, 11), (2, 11), (4, 12)]
    edges = project_bipartite(pairs)
    assert edges.nodes.tolist() == [1, 2, 3, 4]
    assert as_dict(edges) == {(1, 2): 2.0, (1, 3): 1.0, (2, 3): 1.0}
    assert edges.events_per_node.tolist() == [2, 2, 1, 1]


def test_project_bipartite_counts_a_repeated_attendance_once():
    """Attending the same meeting twice is attending it once, for edges and event counts."""
    edges = project_bipartite([(1, 10), (1, 10), (2, 10), (2, 10), (2, 10)])
    assert as_dict(edges) == {(1, 2): 1.0}
    assert edges.events_per_node.tolist() == [1, 1]


def test_project_bipartite_keeps_lone_attendees_as_isolates():
    """An actor who attended only events nobody else attended is an isolate, not dropped."""
    edges = project_bipartite([(1, 10), (2, 10), (7, 99)])
    assert edges.nodes.tolist() == [1, 2, 7]
    assert edges.events_per_node.tolist() == [1, 1, 1]
    assert as_dict(edges) == {(1, 2): 1.0}


def test_project_bipartite_adds_listed_nodes_without_events():
    """Actors given in `nodes` who attended nothing appear with 0 events and no tie."""
    edges = project_bipartite([(1, 10), (2, 10)], nodes=[5, 1, 2, 9])
    assert edges.nodes.tolist() == [1, 2, 5, 9]
    assert edges.events_per_node.tolist() == [1, 1, 0, 0]
    assert as_dict(edges) == {(1, 2): 1.0}


def test_project_bipartite_refuses_actors_outside_nodes():
    """An incidence for an actor missing from `nodes` is an error, not silently dropped."""
    with pytest.raises(ValueError, match="missing from nodes"):
        project_bipartite([(1, 10), (3, 10)], nodes=[1, 2])


def test_project_bipartite_accepts_arrays():
    """A tuple of (actor ids, event ids) arrays gives the same graph as a list of pairs."""
    pairs = [(3, 1), (4, 1), (3, 2), (5, 2), (4, 2)]
    from_arrays = project_bipartite(
        (np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs]))
    )
    from_list = project_bipartite(pairs)
    assert as_dict(from_arrays) == as_dict(from_list) == {(3, 4): 2.0, (3, 5): 1.0, (4, 5): 1.0}
    assert from_arrays.events_per_node.tolist() == from_list.events_per_node.tolist()


def test_project_bipartite_event_mask_filters_pairs():
    """`event_mask` keeps only the incidences inside a time window."""
    pairs = [(1, 10), (2, 10), (1, 11), (3, 11)]
    edges = project_bipartite(pairs, event_mask=[True, True, False, False])
    assert edges.nodes.tolist() == [1, 2]
    assert as_dict(edges) == {(1, 2): 1.0}


def test_project_bipartite_event_mask_must_match_pairs():
    """A mask of the wrong length is refused."""
    with pytest.raises(ValueError, match="one entry per incidence"):
        project_bipartite([(1, 10), (2, 10)], event_mask=[True])


def test_project_bipartite_weights_events():
    """Event weights add up over shared events; unlisted events weigh 1."""
    pairs = [(1, 10), (2, 10), (1, 11), (2, 11), (1, 12), (3, 12)]
    edges = project_bipartite(pairs, weights={10: 3.0, 12: 0.5, 999: 7.0})
    assert as_dict(edges) == {(1, 2): 4.0, (1, 3): 0.5}


def test_project_bipartite_drops_pairs_sharing_only_zero_weight_events():
    """Actors who share only events weighted 0 have no tie but stay as nodes."""
    edges = project_bipartite([(1, 10), (2, 10)], weights={10: 0.0})
    assert edges.nodes.tolist() == [1, 2]
    assert edges.n_edges == 0


def test_project_bipartite_refuses_negative_weights():
    """A negative event weight is an error."""
    with pytest.raises(ValueError, match="not negative"):
        project_bipartite([(1, 10), (2, 10)], weights={10: -1.0})


def test_project_bipartite_of_nothing_is_empty():
    """No incidences give an empty graph rather than an error."""
    edges = project_bipartite([])
    assert edges.n_nodes == 0 and edges.n_edges == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 8)), max_size=60))
def test_project_bipartite_equals_brute_force(pairs):
    """The sparse projection equals a double loop over actors on random incidence lists."""
    shared, events = brute_force_projection(pairs)
    edges = project_bipartite(pairs)
    assert as_dict(edges) == shared
    assert dict(zip(edges.nodes.tolist(), edges.events_per_node.tolist(), strict=True)) == events
    assert np.all(edges.src < edges.dst)


def test_edges_from_pairs_drops_direction_and_self_ties():
    """Declared ties become undirected; repeats add up; a tie to oneself is dropped."""
    edges = edges_from_pairs([5, 1, 1, 3], [1, 5, 3, 3], weight=[1.0, 2.0, 1.0, 9.0])
    assert edges.nodes.tolist() == [1, 3, 5]
    assert as_dict(edges) == {(1, 3): 1.0, (1, 5): 3.0}
    assert edges.events_per_node.tolist() == [0, 0, 0]


def test_merge_edges_weights_each_source():
    """Merged edges weigh the per-source weighted sum; nodes and events are combined."""
    attendance = project_bipartite([(1, 10), (2, 10), (3, 11)])
    relations = edges_from_pairs([1, 2], [2, 4])
    merged = merge_edges([attendance, relations], weights=[1.0, 2.5])
    assert merged.nodes.tolist() == [1, 2, 3, 4]
    assert as_dict(merged) == {(1, 2): 3.5, (2, 4): 2.5}
    assert merged.events_per_node.tolist() == [1, 1, 1, 0]


def test_merge_edges_with_zero_weight_keeps_nodes_only():
    """A source weighted 0 contributes its actors but none of its ties."""
    merged = merge_edges(
        [edges_from_pairs([1], [2]), edges_from_pairs([2], [3])], weights=[1.0, 0.0]
    )
    assert merged.nodes.tolist() == [1, 2, 3]
    assert as_dict(merged) == {(1, 2): 1.0}


def test_merge_edges_needs_one_weight_per_source():
    """Weights that do not match the sources are refused."""
    with pytest.raises(ValueError, match="one weight per source"):
        merge_edges([edges_from_pairs([1], [2])], weights=[1.0, 2.0])


@pytest.mark.parametrize(
    ("src", "dst", "weight", "message"),
    [
        ([2], [1], [1.0], "src < dst"),
        ([1, 1], [3, 2], [1.0, 1.0], "sorted"),
        ([1, 1], [2, 2], [1.0, 1.0], "unique"),
        ([1], [2], [0.0], "positive"),
        ([1], [7], [1.0], "one of the nodes"),
    ],
)
def test_weighted_edges_refuses_non_canonical_input(src, dst, weight, message):
    """WeightedEdges only holds canonical edges: src < dst, sorted, unique, positive, known."""
    with pytest.raises(ValueError, match=message):
        WeightedEdges(
            nodes=np.array([1, 2, 3]),
            src=np.array(src),
            dst=np.array(dst),
            weight=np.array(weight),
            events_per_node=np.zeros(3),
        )


def test_weighted_edges_are_read_only():
    """The arrays cannot be changed in place, so cached derived graphs stay valid."""
    edges = project_bipartite([(1, 10), (2, 10)])
    with pytest.raises(ValueError, match="read-only"):
        edges.weight[0] = 5.0


def test_index_of_finds_positions_and_refuses_unknown_ids():
    """index_of maps actor ids to positions and raises KeyError for strangers."""
    edges = project_bipartite([(4, 1), (9, 1), (2, 1)])
    assert edges.index_of([9, 2]).tolist() == [2, 0]
    with pytest.raises(KeyError):
        edges.index_of([3])


def test_to_networkx_keeps_nodes_weights_and_attributes():
    """The NetworkX graph has every actor (isolates too) with events, attrs and weights."""
    edges = project_bipartite([(1, 10), (2, 10), (1, 11), (2, 11), (3, 12)])
    graph = to_networkx(edges, {1: {"sector": "ngo"}})
    assert list(graph.nodes) == [1, 2, 3]
    assert graph.nodes[1] == {"events": 2, "sector": "ngo"}
    assert graph.nodes[3] == {"events": 1}
    assert graph[1][2]["weight"] == 2.0
    assert graph.number_of_edges() == 1


def test_to_igraph_keeps_ids_and_weights():
    """The igraph graph has vertex i = nodes[i] with its id, and weighted edges."""
    edges = project_bipartite([(5, 10), (8, 10), (5, 11), (8, 11), (9, 12)])
    graph = to_igraph(edges)
    assert graph.vs["id"] == [5, 8, 9]
    assert graph.vs["events"] == [2, 2, 1]
    assert [e.tuple for e in graph.es] == [(0, 1)]
    assert graph.es["weight"] == [2.0]
