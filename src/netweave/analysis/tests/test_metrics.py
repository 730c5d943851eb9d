"""Network metrics on WeightedEdges, checked against NetworkX and hand counts, no database."""

from __future__ import annotations

import json
import math
import random
from itertools import combinations

import networkx as nx
import numpy as np
import pytest

from netweave.analysis import metrics
from netweave.analysis.graphs import WeightedEdges, edges_from_pairs, project_bipartite, to_networkx

TOLERANCE = 1e-9


def from_networkx(graph: nx.Graph, *, weighted: bool = False, seed: int = 0) -> WeightedEdges:
    """WeightedEdges with the same nodes and ties (random integer weights if asked)."""
    rng = random.Random(seed)
    ties = list(graph.edges())
    weight = [float(rng.randint(1, 5)) for _ in ties] if weighted else None
    return edges_from_pairs(
        [a for a, _ in ties], [b for _, b in ties], weight=weight, nodes=list(graph.nodes)
    )


def disconnected_graph() -> nx.Graph:
    """A random component, a path, a triangle and three isolates."""
    graph = nx.gnp_random_graph(40, 0.15, seed=11)
    graph = nx.disjoint_union(graph, nx.path_graph(5))
    graph = nx.disjoint_union(graph, nx.complete_graph(3))
    graph.add_nodes_from([100, 101, 102])
    return graph


GRAPHS = {
    "karate": nx.karate_club_graph,
    "sparse random": lambda: nx.gnp_random_graph(120, 0.03, seed=1),
    "dense random": lambda: nx.gnp_random_graph(60, 0.6, seed=2),
    "preferential attachment": lambda: nx.barabasi_albert_graph(200, 2, seed=3),
    "small world": lambda: nx.connected_watts_strogatz_graph(80, 6, 0.2, seed=4),
    "star": lambda: nx.star_graph(9),
    "path": lambda: nx.path_graph(12),
    "complete bipartite": lambda: nx.complete_bipartite_graph(4, 6),
    "disconnected with isolates": disconnected_graph,
    "only isolates": lambda: nx.empty_graph(5),
}


@pytest.fixture(params=list(GRAPHS), ids=list(GRAPHS))
def pair(request) -> tuple[WeightedEdges, nx.Graph]:
    edges = from_networkx(GRAPHS[request.param](), weighted=True)
    return edges, to_networkx(edges)


def aligned(edges: WeightedEdges, values: dict) -> np.ndarray:
    return np.array([values[node] for node in edges.nodes.tolist()], dtype=float)


def assert_close(mine: np.ndarray, reference: np.ndarray) -> None:
    assert mine.shape == reference.shape
    np.testing.assert_allclose(mine, reference, rtol=0, atol=TOLERANCE)


def test_degree_and_weighted_degree_match_networkx(pair):
    """Degree and weighted degree equal NetworkX's G.degree() and G.degree(weight=...)."""
    edges, graph = pair
    assert_close(metrics.degree(edges), aligned(edges, dict(graph.degree())))
    assert_close(
        metrics.weighted_degree(edges), aligned(edges, dict(graph.degree(weight="weight")))
    )


def test_degree_centrality_and_density_match_networkx(pair):
    """Degree centrality and density equal nx.degree_centrality and nx.density."""
    edges, graph = pair
    assert_close(metrics.degree_centrality(edges), aligned(edges, nx.degree_centrality(graph)))
    assert metrics.density(edges) == pytest.approx(nx.density(graph), abs=TOLERANCE)


def test_betweenness_matches_networkx(pair):
    """Exact betweenness equals nx.betweenness_centrality(G): unweighted, normalised."""
    edges, graph = pair
    result = metrics.betweenness(edges)
    assert (result.method, result.pivots) == ("exact", None)
    assert_close(result.values, aligned(edges, nx.betweenness_centrality(graph)))


def test_sampled_betweenness_matches_networkx_with_same_pivots(pair):
    """Beyond the node threshold, k pivots give nx.betweenness_centrality(G, k, seed)."""
    edges, graph = pair
    k = min(15, graph.number_of_nodes() - 1)
    result = metrics.betweenness(edges, exact_max_nodes=3, pivots=k, seed=42)
    assert (result.method, result.pivots) == ("sampled", k)
    expected = nx.betweenness_centrality(graph, k=k, seed=42)
    assert_close(result.values, aligned(edges, expected))


def test_sampled_betweenness_differs_from_exact():
    """Sampling really is an estimate: on a big enough graph it moves away from exact."""
    edges = from_networkx(nx.barabasi_albert_graph(300, 2, seed=5))
    exact = metrics.betweenness(edges).values
    sampled = metrics.betweenness(edges, exact_max_nodes=100, pivots=20, seed=1).values
    assert np.abs(exact - sampled).max() > 1e-3


def test_clustering_matches_networkx(pair):
    """Local and average clustering equal nx.clustering and nx.average_clustering."""
    edges, graph = pair
    assert_close(metrics.clustering(edges), aligned(edges, nx.clustering(graph)))
    assert metrics.average_clustering(edges) == pytest.approx(
        nx.average_clustering(graph), abs=TOLERANCE
    )


def test_clustering_on_the_sparse_path_matches_networkx(monkeypatch):
    """Triangle counts are the same when the dense matrix product is ruled out."""
    monkeypatch.setattr(metrics, "_DENSE_MAX_NODES", 0)
    edges = from_networkx(nx.gnp_random_graph(60, 0.5, seed=6))
    graph = to_networkx(edges)
    assert_close(metrics.clustering(edges), aligned(edges, nx.clustering(graph)))


def test_components_and_isolates_match_networkx(pair):
    """Component count and isolates equal NetworkX's."""
    edges, graph = pair
    count, labels = metrics.components(edges)
    assert count == nx.number_connected_components(graph)
    for component in nx.connected_components(graph):
        assert len(set(labels[edges.index_of(sorted(component))].tolist())) == 1
    assert metrics.isolates(edges).tolist() == sorted(nx.isolates(graph))


def test_eigenvector_matches_networkx_on_the_leading_component(pair):
    """Eigenvector centrality equals nx.eigenvector_centrality_numpy on the component with
    the largest spectral radius (the whole graph when connected) and is 0 elsewhere."""
    edges, graph = pair
    mine = metrics.eigenvector(edges)
    if graph.number_of_edges() == 0:
        assert_close(mine, np.zeros(edges.n_nodes))
        return
    radius = {
        frozenset(c): max(nx.adjacency_spectrum(graph.subgraph(c)).real)
        for c in nx.connected_components(graph)
    }
    leading = max(radius, key=radius.get)
    expected = dict.fromkeys(graph, 0.0)
    if len(leading) > 1:
        expected |= nx.eigenvector_centrality_numpy(graph.subgraph(leading))
    assert_close(mine, aligned(edges, expected))
    assert np.linalg.norm(mine) == pytest.approx(1.0)


def test_eigenvector_ignores_weights():
    """Eigenvector centrality is unweighted: reweighting ties leaves it unchanged."""
    graph = nx.gnp_random_graph(50, 0.2, seed=8)
    plain = metrics.eigenvector(from_networkx(graph))
    reweighted = metrics.eigenvector(from_networkx(graph, weighted=True, seed=3))
    assert_close(plain, reweighted)


def test_eigenvector_shares_norm_between_tied_components():
    """Two identical triangles, where NetworkX refuses to choose, each get 1/sqrt(6)."""
    edges = edges_from_pairs([1, 1, 2, 4, 4, 5], [2, 3, 3, 5, 6, 6], nodes=[1, 2, 3, 4, 5, 6, 7])
    assert_close(metrics.eigenvector(edges), np.array([1 / math.sqrt(6)] * 6 + [0.0]))


def test_eigenvector_of_a_graph_without_ties_is_zero():
    """A graph of isolates has zero eigenvector centrality instead of an error."""
    edges = edges_from_pairs([], [], nodes=[1, 2, 3])
    assert metrics.eigenvector(edges).tolist() == [0.0, 0.0, 0.0]


def test_communities_modularity_matches_networkx(pair):
    """The reported modularity equals nx.community.modularity of the weighted partition."""
    edges, graph = pair
    found = metrics.communities(edges)
    if graph.number_of_edges() == 0:
        assert (found.count, found.modularity) == (0, 0.0)
        assert found.membership.tolist() == [-1] * edges.n_nodes
        return
    parts = [set(edges.nodes[found.membership == c].tolist()) for c in range(found.count)]
    parts += [{node} for node in metrics.isolates(edges).tolist()]
    expected = nx.community.modularity(graph, parts, weight="weight")
    assert found.modularity == pytest.approx(expected, abs=TOLERANCE)


def test_communities_are_numbered_by_size_and_skip_isolates():
    """Community 0 is the largest; isolates get -1 and are not counted."""
    graph = nx.disjoint_union(nx.complete_graph(3), nx.complete_graph(6))
    graph.add_node(50)
    found = metrics.communities(from_networkx(graph))
    assert found.count == 2
    assert found.membership.tolist() == [1] * 3 + [0] * 6 + [-1]


def test_communities_are_repeatable_with_a_seed():
    """The same seed gives the same communities."""
    edges = from_networkx(nx.gnp_random_graph(300, 0.03, seed=9))
    runs = {tuple(metrics.communities(edges, seed=7).membership.tolist()) for _ in range(3)}
    assert len(runs) == 1


def test_karate_club_matches_published_values():
    """Zachary's karate club: node 0's betweenness, and communities splitting the 2 factions."""
    graph = nx.karate_club_graph()
    edges = from_networkx(graph)
    between = metrics.betweenness(edges).values
    assert between[0] == pytest.approx(0.43763528138528146, abs=TOLERANCE)
    assert between[33] == pytest.approx(0.30407497594997596, abs=TOLERANCE)
    found = metrics.communities(edges, seed=0)
    assert found.count >= 2
    assert found.modularity > 0.3
    mr_hi = np.array([graph.nodes[n]["club"] == "Mr. Hi" for n in edges.nodes.tolist()])
    for community in range(found.count):
        share = mr_hi[found.membership == community].mean()
        assert share >= 0.8 or share <= 0.2  # each community sits in one faction


SECTORS = {1: "gov", 2: "gov", 3: "ngo", 4: "ngo", 5: "donor", 6: None}


def tiny_sector_graph() -> WeightedEdges:
    # gov: 1, 2; ngo: 3, 4; donor: 5; 6 unknown. Ties: 1-2 (in), 1-3 (ex), 2-3 (ex),
    # 3-4 (in), 4-5 (ex), 5-6 (unknown, left out).
    return edges_from_pairs([1, 1, 2, 3, 4, 5], [2, 3, 3, 4, 5, 6], weight=[4, 1, 1, 2, 1, 1])


def test_ei_index_hand_computed():
    """E-I = (3 external - 2 internal) / 5 ties between actors of known sector."""
    assert metrics.ei_index(tiny_sector_graph(), SECTORS) == pytest.approx(0.2)


def test_weighted_ei_index_hand_computed():
    """Weighted E-I = (1+1+1 external - 4+2 internal) / 9."""
    result = metrics.ei_index(tiny_sector_graph(), SECTORS, weighted=True)
    assert result == pytest.approx(-3 / 9)


def test_ei_index_is_none_without_known_ties():
    """Without a tie between actors of known sector the index is undefined."""
    edges = edges_from_pairs([1], [2])
    assert metrics.ei_index(edges, {1: "gov"}) is None


def test_assortativity_matches_networkx_on_known_sectors():
    """Sector assortativity equals NetworkX's on the actors whose sector is known."""
    graph = nx.gnp_random_graph(80, 0.1, seed=12)
    rng = random.Random(1)
    sectors = {n: rng.choice(["gov", "ngo", "un", "media", None]) for n in graph}
    edges = from_networkx(graph)
    known = to_networkx(edges, {n: {"sector": s} for n, s in sectors.items()}).subgraph(
        [n for n, s in sectors.items() if s is not None]
    )
    expected = nx.attribute_assortativity_coefficient(known, "sector")
    assert metrics.sector_assortativity(edges, sectors) == pytest.approx(expected, abs=TOLERANCE)


def test_assortativity_is_none_for_a_single_sector():
    """With everyone in one sector assortativity is undefined, reported as None."""
    edges = edges_from_pairs([1, 2], [2, 3])
    assert metrics.sector_assortativity(edges, dict.fromkeys([1, 2, 3], "ngo")) is None


def test_sector_brokerage_hand_computed():
    """Brokerage counts a node's unlinked neighbour pairs that sit in different sectors."""
    result = dict(
        zip(
            tiny_sector_graph().nodes.tolist(),
            metrics.sector_brokerage(tiny_sector_graph(), SECTORS).tolist(),
            strict=True,
        )
    )
    # 3 links 1/2 (gov, tied to each other) and 4 (ngo): open pairs 1-4 and 2-4 -> 2
    # (1-2 is the same sector anyway). 4 links 3 (ngo) and 5 (donor), untied -> 1.
    # 5's other neighbour 6 has no known sector. 1 and 2: neighbours 2/1 and 3 are tied.
    assert result == {1: 0, 2: 0, 3: 2, 4: 1, 5: 0, 6: 0}


def brute_force_brokerage(graph: nx.Graph, sectors: dict) -> dict:
    result = {}
    for node in graph:
        result[node] = sum(
            1
            for a, b in combinations(graph[node], 2)
            if sectors[a] is not None
            and sectors[b] is not None
            and sectors[a] != sectors[b]
            and not graph.has_edge(a, b)
        )
    return result


@pytest.mark.parametrize("dense", [True, False], ids=["dense product", "sparse product"])
def test_sector_brokerage_equals_brute_force(monkeypatch, dense):
    """Brokerage equals a loop over each node's neighbour pairs on a random graph."""
    if not dense:
        monkeypatch.setattr(metrics, "_DENSE_MAX_NODES", 0)
    graph = nx.gnp_random_graph(70, 0.3, seed=13)
    rng = random.Random(2)
    sectors = {n: rng.choice(["gov", "ngo", "un", None]) for n in graph}
    edges = from_networkx(graph)
    assert_close(
        metrics.sector_brokerage(edges, sectors).astype(float),
        aligned(edges, brute_force_brokerage(graph, sectors)),
    )


def test_dependants_and_articulation_points():
    """Pendants are listed with their only contact; cut vertices match NetworkX."""
    # 1-2-3 triangle; 4 hangs on 3; 5 hangs on 4; 6 hangs on 1; 7 is an isolate.
    edges = edges_from_pairs([1, 1, 2, 3, 4, 1], [2, 3, 3, 4, 5, 6], nodes=range(1, 8))
    assert metrics.dependants(edges) == [(5, 4), (6, 1)]
    assert metrics.articulation_points(edges).tolist() == [1, 3, 4]
    assert metrics.isolates(edges).tolist() == [7]


def test_articulation_points_match_networkx(pair):
    """Articulation points equal nx.articulation_points on every test graph."""
    edges, graph = pair
    assert metrics.articulation_points(edges).tolist() == sorted(nx.articulation_points(graph))


def test_interest_gaps_rank_untied_pairs_by_jaccard():
    """Pairs sharing interests but no tie come first by Jaccard; tied pairs are left out."""
    edges = edges_from_pairs([1], [2], nodes=[1, 2, 3, 4, 5])
    interests = {
        1: {"water", "schools"},
        2: {"water", "schools"},  # tied to 1: never a gap
        3: {"water", "schools", "health"},
        4: {"health"},
        5: set(),
        99: {"water"},  # not in the graph
    }
    gaps = metrics.interest_gaps(edges, interests, top=3)
    assert [(g.a, g.b) for g in gaps] == [(1, 3), (2, 3), (3, 4)]
    assert gaps[0].jaccard == pytest.approx(2 / 3)
    assert gaps[0].shared == ("schools", "water")
    assert gaps[2].jaccard == pytest.approx(1 / 3)


def test_interest_gaps_equal_brute_force_across_blocks():
    """Block-wise sparse products give the brute-force top pairs on random interests."""
    graph = nx.gnp_random_graph(90, 0.05, seed=14)
    rng = random.Random(3)
    interests = {n: set(rng.sample(range(12), rng.randint(0, 4))) for n in graph}
    edges = from_networkx(graph)
    expected = []
    for a, b in combinations(sorted(graph), 2):
        common = interests[a] & interests[b]
        if common and not graph.has_edge(a, b):
            jaccard = len(common) / len(interests[a] | interests[b])
            expected.append((-jaccard, -len(common), a, b))
    expected = [(a, b) for _, _, a, b in sorted(expected)[:25]]
    gaps = metrics.interest_gaps(edges, interests, top=25, block=7)
    assert [(g.a, g.b) for g in gaps] == expected


def test_analyse_produces_the_design_json_shape():
    """analyse returns DESIGN.md's analysis JSON, serialisable, with metrics per node."""
    pairs = [(1, 10), (2, 10), (3, 10), (1, 11), (2, 11), (4, 12), (5, 12), (3, 13)]
    edges = project_bipartite(pairs, nodes=[1, 2, 3, 4, 5, 6])
    attrs = {1: {"label": "WaterAid", "sector": "ngo"}, 2: {"label": "Ministry", "sector": "gov"}}
    result = metrics.analyse(
        edges,
        attrs,
        level="organisation",
        graph="co-attendance",
        network="wash",
        interests={1: {"water"}, 4: {"water"}},
    )
    json.dumps(result)
    required = {"network", "level", "graph", "nodes", "edges", "density"}
    assert required | {"communities", "modularity"} <= set(result)
    assert (result["network"], result["level"], result["graph"]) == (
        "wash",
        "organisation",
        "co-attendance",
    )
    node_keys = {
        "id",
        "label",
        "sector",
        "degree",
        "weighted_degree",
        "degree_centrality",
        "betweenness",
        "eigenvector",
        "community",
        "events",
    }
    assert all(node_keys <= set(node) for node in result["nodes"])
    by_id = {node["id"]: node for node in result["nodes"]}
    assert by_id[1]["label"] == "WaterAid" and by_id[1]["sector"] == "ngo"
    assert by_id[3]["label"] == "3" and by_id[3]["sector"] is None
    assert by_id[1]["weighted_degree"] == 3.0 and by_id[1]["events"] == 2
    assert by_id[6]["community"] is None and by_id[6]["events"] == 0
    assert result["edges"] == 4 and result["size"] == 6
    assert result["communities"] == 2
    assert result["isolates"] == [6]
    assert result["interest_gaps"] == [{"a": 1, "b": 4, "jaccard": 1.0, "shared": ["water"]}]
    assert result["density"] == pytest.approx(4 / 15)


def test_analyse_handles_an_empty_graph():
    """A network with no actors yet gives zeros, not an error."""
    edges = project_bipartite([])
    result = metrics.analyse(edges, {}, level="person", graph="co-attendance")
    json.dumps(result)
    assert result["nodes"] == [] and result["edges"] == 0 and result["communities"] == 0
