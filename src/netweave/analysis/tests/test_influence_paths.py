"""Who can introduce whom: shortest paths from a goal's supporters to its targets."""

import datetime as dt
import random

import networkx as nx
import pytest
from django.urls import reverse

from netweave.analysis.graphs import WeightedEdges
from netweave.analysis.influence import introduction_paths
from netweave.directory.services import declare_relationship
from netweave.directory.tests.factories import OrganisationFactory
from netweave.influence import mapping
from netweave.networks.tests.factories import MembershipFactory


def graph(nodes, edges) -> WeightedEdges:
    """WeightedEdges from ``(a, b, weight)`` triples in any order."""
    canonical = sorted((min(a, b), max(a, b), w) for a, b, w in edges)
    return WeightedEdges(
        nodes=sorted(nodes),
        src=[a for a, _b, _w in canonical],
        dst=[b for _a, b, _w in canonical],
        weight=[w for _a, _b, w in canonical],
        events_per_node=[0] * len(nodes),
    )


#   1 —1— 2 —1— 4 —1— 5 —2— 7        6 (alone)
#   1 —3— 3 —3— 4
DIAMOND = graph(range(1, 8), [(1, 2, 1), (2, 4, 1), (1, 3, 3), (3, 4, 3), (4, 5, 1), (5, 7, 2)])


def test_shortest_path_prefers_the_stronger_ties():
    """Two 2-hop ways from 1 to 4: through 3 (3 + 3) beats through 2 (1 + 1)."""
    paths = introduction_paths(DIAMOND, [1], [4, 5])
    [to_4] = paths[4]
    assert (to_4.nodes, to_4.hops, to_4.weight, to_4.intermediaries) == ((1, 3, 4), 2, 6.0, (3,))
    [to_5] = paths[5]
    assert to_5.nodes == (1, 3, 4, 5) and to_5.weight == 7.0


def test_fewer_hops_win_over_stronger_ties():
    """1–2–3 with weak ties beats 1–4–5–3 with strong ones: hop count comes first."""
    edges = graph(range(1, 6), [(1, 2, 0.1), (2, 3, 0.1), (1, 4, 5), (4, 5, 5), (5, 3, 5)])
    [path] = introduction_paths(edges, [1], [3])[3]
    assert path.nodes == (1, 2, 3)


def test_equal_paths_are_broken_by_lower_ids():
    square = graph(range(1, 5), [(1, 2, 1), (2, 4, 1), (1, 3, 1), (3, 4, 1)])
    assert introduction_paths(square, [1], [4])[4][0].nodes == (1, 2, 4)


def test_nearest_sources_first_and_unreachable_targets_empty():
    """Target 5 is one hop from supporter 7 and three from 1; 6 is alone; 8 is off the map."""
    paths = introduction_paths(DIAMOND, [1, 7], [5, 6, 8], per_target=3)
    assert [p.source for p in paths[5]] == [7, 1]
    assert [p.hops for p in paths[5]] == [1, 3]
    assert paths[6] == [] and paths[8] == []
    assert [p.source for p in introduction_paths(DIAMOND, [1, 7], [5], per_target=1)[5]] == [7]


def test_a_target_that_supports_needs_no_path():
    assert introduction_paths(DIAMOND, [4], [4])[4] == []


@pytest.mark.parametrize("seed", range(25))
def test_paths_agree_with_networkx_on_random_graphs(seed):
    """The chosen path is one of networkx's shortest paths, and none of them is stronger."""
    rng = random.Random(seed)
    n = rng.randint(5, 25)
    g = nx.gnp_random_graph(n, rng.uniform(0.1, 0.4), seed=seed)
    weights = {edge: rng.choice([0.5, 1.0, 2.0, 3.0]) for edge in g.edges}
    edges = graph(range(n), [(a, b, w) for (a, b), w in weights.items()])
    for a, b in g.edges:
        g[a][b]["weight"] = weights[(a, b)]
    sources = rng.sample(range(n), 3)
    targets = [t for t in rng.sample(range(n), 3) if t not in sources]
    found = introduction_paths(edges, sources, targets, per_target=len(sources))
    for target in targets:
        reachable = [s for s in sources if nx.has_path(g, s, target)]
        assert {p.source for p in found[target]} == set(reachable)
        for path in found[target]:
            assert path.hops == nx.shortest_path_length(g, path.source, target)
            options = list(nx.all_shortest_paths(g, path.source, target))
            assert list(path.nodes) in options
            strength = max(
                sum(g[u][v]["weight"] for u, v in zip(p, p[1:], strict=False)) for p in options
            )
            assert path.weight == pytest.approx(strength)
        hops = [p.hops for p in found[target]]
        assert hops == sorted(hops)


# The page ----------------------------------------------------------------------------------
@pytest.fixture
def goal(personas):
    """AWI supports; the Ministry (BM) is influential and opposed; Gamma links them."""
    gamma = OrganisationFactory(name="Gamma NGO", slug="gamma", acronym="GN")
    MembershipFactory(network=personas.network, organisation=gamma)
    for source, target in ((personas.org_a, gamma), (gamma, personas.org_b)):
        declare_relationship(personas.network, source=source, target=target, kind="partners_with")
    outside = OrganisationFactory(name="Parliament Committee", slug="parl")
    goal = mapping.create_goal(personas.network, title="Tariffs", acting_user=personas.fiona)
    day = dt.date(2015, 1, 1)
    for org, influence, position in (
        (personas.org_a, 2, 2),
        (personas.org_b, 5, -1),
        (outside, 4, 0),
    ):
        mapping.record_assessment(
            goal,
            organisation=org,
            influence=influence,
            position=position,
            assessed_on=day,
            acting_user=None,
        )
    return goal


def url(goal, **query) -> str:
    base = reverse("analysis:influence_paths", kwargs={"network": "testnet", "goal": goal.uid})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.django_db
def test_page_shows_who_can_introduce_whom(client, personas, goal):
    """Sam sees AWI → GN → BM; the parliament committee is off the map."""
    client.force_login(personas.sam)
    response = client.get(url(goal))
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row["target"].current.slug == "bm"
    [path] = row["paths"]
    assert [step["label"] for step in path["steps"]] == [
        "Alpha Water Institute (AWI)",
        "Gamma NGO (GN)",
        "Beta Ministry (BM)",
    ]
    assert [s.current.slug for s in response.context["result"].off_map] == ["parl"]
    assert "Gamma NGO" in response.content.decode()


@pytest.mark.django_db
def test_page_with_other_sources_finds_no_path(client, personas, goal):
    """On the attendance map alone nobody has a tie, so BM is unreached."""
    client.force_login(personas.fiona)
    response = client.get(url(goal, source="attendance"))
    [row] = response.context["rows"]
    assert row["paths"] == []


@pytest.mark.django_db
def test_bad_year_is_a_400_with_a_message(client, personas, goal):
    client.force_login(personas.fiona)
    response = client.get(url(goal, year="20x5"))
    assert response.status_code == 400
    assert "YYYY" in response.content.decode()


@pytest.mark.django_db
def test_focal_points_and_observers_are_refused(client, personas, goal):
    for user in (personas.alice, personas.olga, personas.frank):
        client.force_login(user)
        assert client.get(url(goal)).status_code == 404
