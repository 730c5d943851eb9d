"""`netweave analyze`: its JSON matches NetworkX on graphs built here, classic data sets
included (Davis's Southern Women as meeting attendance, Zachary's karate club as two-person
meetings); its table; its errors."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import networkx as nx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from netweave.analysis import services
from netweave.directory.sectors import ensure_sectors
from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, sector
from netweave.meetings.tests.factories import AttendanceFactory, MeetingFactory
from netweave.networks.tests.factories import MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db

TOLERANCE = 1e-9
SECTORS = ("government", "civil-society", "academia")


@pytest.fixture(autouse=True)
def _fresh_cache():
    services.analysis_cache().clear()
    yield
    services.analysis_cache().clear()


def attendance_network(
    slug: str,
    people: list[str],
    meetings: list[tuple[dt.date, list[str]]],
    sectors: dict[str, str] | None = None,
) -> dict[int, str]:
    """A network whose members each send one person; ``meetings`` lists who attended
    each. Returns {person id: name}."""
    ensure_sectors()
    net = NetworkFactory(slug=slug)
    ids = {}
    for index, name in enumerate(people):
        slug_sector = (sectors or {}).get(name) or SECTORS[index % len(SECTORS)]
        org = OrganisationFactory(name=f"Org of {name}", acronym="", sector=sector(slug_sector))
        MembershipFactory(network=net, organisation=org, joined=dt.date(2000, 1, 1))
        ids[name] = PersonFactory(name=name, organisation=org)
    for day, names in meetings:
        meeting = MeetingFactory(
            network=net, start=dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
        )
        for name in names:
            AttendanceFactory(meeting=meeting, person=ids[name])
    return {person.pk: name for name, person in ids.items()}


def analyze(*args: str) -> dict:
    out = StringIO()
    call_command("analyze", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def assert_matches_networkx(
    result: dict, names: dict[int, str], graph: nx.Graph, *, eigenvector: bool = True
) -> None:
    """Every metric of ``result`` equals NetworkX's on ``graph`` within 1e-9."""
    nodes = {names[node["id"]]: node for node in result["nodes"]}
    assert set(nodes) == set(graph.nodes)
    edges = {
        frozenset((names[e["source"]], names[e["target"]])): e["weight"]
        for e in result["edge_list"]
    }
    assert edges == {frozenset((a, b)): w for a, b, w in graph.edges(data="weight")}
    assert result["edges"] == graph.number_of_edges()
    assert abs(result["density"] - nx.density(graph)) < TOLERANCE
    assert abs(result["average_clustering"] - nx.average_clustering(graph)) < TOLERANCE
    expected = {
        "degree": dict(graph.degree()),
        "weighted_degree": dict(graph.degree(weight="weight")),
        "degree_centrality": nx.degree_centrality(graph),
        "betweenness": nx.betweenness_centrality(graph),
        "clustering": nx.clustering(graph),
    }
    if eigenvector:
        expected["eigenvector"] = nx.eigenvector_centrality_numpy(graph)
    for metric, values in expected.items():
        for name, value in values.items():
            assert abs(nodes[name][metric] - value) < TOLERANCE, (metric, name)
    groups: dict[int, set[str]] = {}
    for name, node in nodes.items():
        key = node["community"] if node["community"] is not None else f"alone {name}"
        groups.setdefault(key, set()).add(name)
    modularity = nx.community.modularity(graph, list(groups.values()), weight="weight")
    assert abs(result["modularity"] - modularity) < TOLERANCE
    assert result["communities"] == len([k for k in groups if isinstance(k, int)])
    assert result["components"] == nx.number_connected_components(graph)


def test_davis_southern_women_matches_networkx():
    """18 women at 14 events: the person-level co-attendance graph is NetworkX's weighted
    projection, and every metric agrees with NetworkX's."""
    davis = nx.davis_southern_women_graph()
    women = [n for n, side in davis.nodes(data="bipartite") if side == 0]
    events = [n for n, side in davis.nodes(data="bipartite") if side == 1]
    meetings = [
        (dt.date(2020, 1, 1) + dt.timedelta(days=7 * i), sorted(davis.neighbors(event)))
        for i, event in enumerate(events)
    ]
    names = attendance_network("davis", women, meetings)
    result = analyze("--network", "davis", "--level", "person")
    projected = nx.bipartite.weighted_projected_graph(davis, women)
    assert_matches_networkx(result, names, projected)
    nodes = {names[node["id"]]: node for node in result["nodes"]}
    assert {name: node["events"] for name, node in nodes.items()} == dict(davis.degree(women))
    assert (result["level"], result["graph"], result["betweenness_method"]) == (
        "person",
        "attendance",
        "exact",
    )


def test_davis_in_a_time_window_matches_networkx():
    """Only the last seven events fall in 2021: women who attended none are isolates."""
    davis = nx.davis_southern_women_graph()
    women = [n for n, side in davis.nodes(data="bipartite") if side == 0]
    events = [n for n, side in davis.nodes(data="bipartite") if side == 1]
    meetings = [
        (dt.date(2020 + i // 7, 3, 1 + i), sorted(davis.neighbors(event)))
        for i, event in enumerate(events)
    ]
    names = attendance_network("davis-2021", women, meetings)
    result = analyze("--network", "davis-2021", "--level", "person", "--year", "2021")
    later = davis.subgraph(women + events[7:])
    projected = nx.bipartite.weighted_projected_graph(later, women)
    assert nx.number_of_isolates(projected) > 0
    assert_matches_networkx(result, names, projected, eigenvector=False)
    assert sorted(names[i] for i in result["diagnostics"]["isolates"]) == sorted(
        nx.isolates(projected)
    )


def test_karate_club_matches_networkx():
    """Zachary's karate club, each friendship a meeting of two: the graph, its metrics and
    the assortativity of the two factions (as sectors) agree with NetworkX."""
    karate = nx.karate_club_graph()
    people = [f"member {n:02d}" for n in karate.nodes]
    factions = {
        f"member {n:02d}": "government" if club == "Mr. Hi" else "civil-society"
        for n, club in karate.nodes(data="club")
    }
    meetings = [
        (dt.date(1970, 1, 1) + dt.timedelta(days=i), [f"member {a:02d}", f"member {b:02d}"])
        for i, (a, b) in enumerate(karate.edges)
    ]
    names = attendance_network("karate", people, meetings, sectors=factions)
    result = analyze("--network", "karate", "--level", "person")
    graph = nx.Graph()
    graph.add_nodes_from(people)
    graph.add_edges_from(
        (f"member {a:02d}", f"member {b:02d}", {"weight": 1}) for a, b in karate.edges
    )
    assert_matches_networkx(result, names, graph)
    nx.set_node_attributes(graph, factions, "sector")
    assortativity = nx.attribute_assortativity_coefficient(graph, "sector")
    assert abs(result["sector_mixing"]["assortativity"] - assortativity) < TOLERANCE


def test_organisation_level_table():
    """The table names the network, its numbers and its most central nodes."""
    attendance_network(
        "tabled", ["ann", "bob", "cat"], [(dt.date(2020, 1, 1), ["ann", "bob", "cat"])]
    )
    out = StringIO()
    call_command("analyze", "--network", "tabled", "--format", "table", stdout=out)
    text = out.getvalue()
    assert "Network tabled — organisation level, graph: attendance" in text
    assert "Nodes 3  ties 3  density 1.000" in text
    assert "Org of ann" in text and "Betweenness: exact" in text


def test_json_is_the_services_output():
    """The command prints exactly analyse_network's result."""
    attendance_network("same", ["ann", "bob"], [(dt.date(2020, 1, 1), ["ann", "bob"])])
    from netweave.networks.models import Network

    result = analyze("--network", "same", "--graph", "attendance:2")
    expected = services.analyse_network(
        Network.objects.get(slug="same"),
        services.AnalysisParams.from_query({"graph": "attendance:2"}),
    )
    assert result == json.loads(json.dumps(expected))
    assert result["edge_list"][0]["weight"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--network", "nowhere"], "No network with the slug 'nowhere'"),
        (["--network", "errors", "--since", "2020-31-01"], "since must be a date"),
        (["--network", "errors", "--graph", "gossip"], "Unknown graph source: gossip"),
        (
            ["--network", "errors", "--level", "person", "--graph", "partnerships"],
            "Not available at person level: partnerships",
        ),
        (["--network", "errors", "--year", "twenty"], "The year must be written YYYY"),
    ],
)
def test_bad_input_fails_with_a_clear_message(args, message):
    NetworkFactory(slug="errors")
    with pytest.raises(CommandError, match=message):
        call_command("analyze", *args, "--format", "json", stdout=StringIO())


def test_bad_level_is_refused_by_the_parser():
    NetworkFactory(slug="levels")
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("analyze", "--network", "levels", "--level", "planet", stdout=StringIO())
