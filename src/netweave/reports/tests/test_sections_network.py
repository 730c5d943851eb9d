"""The report's network section: the map of the year and its metrics, checked with NetworkX.

Members A (government), B (donor), C (academia), D (government) and E (civil society) since
2010; F joined in 2016; G was a member from 2010 to mid-2014. Meetings and who attended:
m1 2015-03-10 A, B, C (and G, no longer a member); m2 2015-09-10 C, D; m3 2014-05-01 A, E;
m4 2016-02-01 E, F. The graph of 2015 has the nodes A–E and the ties AB, AC, BC, CD: density
4/10, two components (E alone), clustering (1 + 1 + 1/3 + 0 + 0) / 5, all four ties across
sectors (E-I index 1), and C the most central (degree 3).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from unittest import mock

import networkx as nx
import pytest

from netweave.analysis import services as analysis
from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, sector
from netweave.meetings.tests.factories import AttendanceFactory, MeetingFactory
from netweave.networks.tests.factories import MembershipFactory, NetworkFactory
from netweave.reports.registry import section_type
from netweave.reports.sections.network import build_network

pytestmark = pytest.mark.django_db

YEAR = 2015
SECTORS = {
    "A": "government",
    "B": "donor",
    "C": "academia",
    "D": "government",
    "E": "civil-society",
    "F": "media",
    "G": "donor",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    analysis.analysis_cache().clear()
    yield
    analysis.analysis_cache().clear()


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(hour=9, tzinfo=dt.UTC)


def build() -> SimpleNamespace:
    net = NetworkFactory(slug="mapped", name="Mapped network")
    o = {
        key: OrganisationFactory(name=f"Organisation {key}", acronym=key, sector=sector(slug))
        for key, slug in SECTORS.items()
    }
    for key in "ABCDE":
        MembershipFactory(network=net, organisation=o[key], joined=dt.date(2010, 1, 1))
    MembershipFactory(network=net, organisation=o["F"], joined=dt.date(2016, 1, 1))
    MembershipFactory(
        network=net, organisation=o["G"], joined=dt.date(2010, 1, 1), left=dt.date(2014, 6, 30)
    )
    people = {
        key: PersonFactory(name=f"Firstname{key} Lastname{key}", organisation=o[key]) for key in o
    }
    meetings = {
        "m1": ("2015-03-10", "ABCG"),
        "m2": ("2015-09-10", "CD"),
        "m3": ("2014-05-01", "AE"),
        "m4": ("2016-02-01", "EF"),
    }
    for title, (day, keys) in meetings.items():
        meeting = MeetingFactory(network=net, title=title, start=at(day))
        for key in keys:
            AttendanceFactory(meeting=meeting, person=people[key])
    return SimpleNamespace(network=net, o=o, people=people)


@pytest.fixture
def net():
    return build()


def reference_graph(net) -> nx.Graph:
    graph = nx.Graph()
    for key in "ABCDE":
        graph.add_node(net.o[key].pk, sector=SECTORS[key])
    for a, b in ("AB", "AC", "BC", "CD"):
        graph.add_edge(net.o[a].pk, net.o[b].pk, weight=1)
    return graph


def test_metrics_equal_networkx(net):
    section = build_network(net.network, YEAR)
    values = section.values()
    graph = reference_graph(net)
    assert values["organisations"] == 5
    assert values["ties"] == 4
    assert values["density"] == pytest.approx(nx.density(graph)) == pytest.approx(0.4)
    assert values["components"] == nx.number_connected_components(graph) == 2
    assert values["largest_component"] == 4
    assert values["average_clustering"] == pytest.approx(nx.average_clustering(graph))
    assert values["average_clustering"] == pytest.approx((1 + 1 + 1 / 3) / 5)
    assert values["isolates"] == 1
    assert values["ei_index"] == pytest.approx(1.0)
    assert values["assortativity"] == pytest.approx(
        nx.attribute_assortativity_coefficient(graph, "sector")
    )
    assert values["most_central"] == "Organisation C"
    # The communities found, scored by NetworkX.
    rows = section.figure("communities").records.rows
    ids = {net.o[key].name: net.o[key].pk for key in "ABCDE"}
    by_community = {row[0]: {ids[name] for name in row[2].split(", ")} for row in rows}
    assert values["communities"] == len(rows) == len(by_community)
    assert [row[1] for row in rows] == [len(members) for members in by_community.values()]
    assert set().union(*by_community.values()) == {net.o[key].pk for key in "ABCD"}
    assert values["modularity"] == pytest.approx(
        nx.community.modularity(
            graph.subgraph(set().union(*by_community.values())),
            by_community.values(),
            weight="weight",
        )  # fmt: skip
    )


def test_most_central_table(net):
    """Ten at most, by degree then betweenness, with NetworkX's betweenness."""
    section = build_network(net.network, YEAR)
    (top,) = section.tables
    betweenness = nx.betweenness_centrality(reference_graph(net))
    assert [row[0] for row in top.rows] == [f"Organisation {key}" for key in "CABDE"]
    by_key = {row[0][-1]: row for row in top.rows}
    for key in "ABCDE":
        assert by_key[key][3] == pytest.approx(round(betweenness[net.o[key].pk], 3))
    assert by_key["C"][1] == sector("academia").name
    assert by_key["C"][2] == 3
    assert by_key["E"][5] is None  # an isolate belongs to no community
    assert section.figure("most_central").note == ""
    ties = section.figure("ties").records.rows
    assert ties == [
        ["Organisation C", 3, 3.0],
        ["Organisation A", 2, 2.0],
        ["Organisation B", 2, 2.0],
        ["Organisation D", 1, 1.0],
    ]
    assert sum(row[1] for row in ties) == 2 * section.values()["ties"]
    isolates = section.figure("isolates").records.rows
    assert [row[0] for row in isolates] == ["Organisation E"]


def test_map_shows_organisations_not_people(net):
    section = build_network(net.network, YEAR)
    picture = section.image_svg
    assert "<svg" in picture and picture.count("<circle") >= 5
    assert section.image_title == "Mapped network: who works with whom in 2015"
    everything = picture + repr([f.records.rows for f in section.figures if f.records])
    for person in net.people.values():
        assert person.name not in everything
        assert person.email not in everything
    for organisation in net.o.values():
        assert organisation.email not in everything


def test_year_window(net):
    """2014 links A and E (m3) among A–E and G; 2016 links E and F."""
    values_2014 = build_network(net.network, 2014).values()
    assert (values_2014["organisations"], values_2014["ties"]) == (6, 1)
    values_2016 = build_network(net.network, 2016).values()
    assert (values_2016["organisations"], values_2016["ties"]) == (6, 1)


def test_a_year_without_members():
    net = NetworkFactory(slug="empty-map")
    section = build_network(net, YEAR)
    assert section.values()["organisations"] == 0
    assert section.values()["most_central"] is None
    assert section.image_svg == "" and section.tables == []
    assert section.notes


def test_sampled_betweenness_is_noted(net, settings):
    settings.ANALYSIS_EXACT_BETWEENNESS_MAX_NODES = 3
    settings.ANALYSIS_BETWEENNESS_PIVOTS = 4
    section = build_network(net.network, YEAR)
    assert "sample of 4" in section.figure("most_central").note
    assert section.notes == [section.figure("most_central").note]


def test_second_build_comes_from_the_cache(net):
    first = build_network(net.network, YEAR)
    with mock.patch.object(analysis, "analyse_network") as compute:
        second = build_network(net.network, YEAR)
    compute.assert_not_called()
    assert second.values() == first.values()
    assert second.image_svg == first.image_svg


def test_declared_figures(net):
    section = build_network(net.network, YEAR)
    assert set(section.values()) == set(section_type("network").figures)


def test_constant_queries(net, django_assert_max_num_queries):
    """The same bound computing the analysis for 5 or 35 organisations; two from the cache."""
    with django_assert_max_num_queries(40) as first:
        build_network(net.network, YEAR)
    bound = len(first.captured_queries)
    with django_assert_max_num_queries(3):  # the data version, the sectors, the names
        build_network(net.network, YEAR)
    meeting = MeetingFactory(network=net.network, start=at("2015-05-05"))
    for _index in range(30):
        organisation = OrganisationFactory(sector=sector("media"))
        MembershipFactory(network=net.network, organisation=organisation)
        AttendanceFactory(meeting=meeting, person=PersonFactory(organisation=organisation))
    analysis.analysis_cache().clear()
    with django_assert_max_num_queries(bound):
        section = build_network(net.network, YEAR)
    assert section.values()["organisations"] == 35
