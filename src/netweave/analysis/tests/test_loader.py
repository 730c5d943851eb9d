"""The graph sources: each one read from the database, weighted and windowed as documented."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from netweave.analysis import loader
from netweave.analysis.services import AnalysisParams, build_graph
from netweave.analysis.tests.builders import build_small, weights
from netweave.meetings.tests.factories import AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small():
    return build_small()


def graph(small, **query):
    params = AnalysisParams.from_query(query)
    edges, info = build_graph(small.network, params)
    names = {pk: key for key, pk in small.id.items()} | (
        {pk: key for key, pk in small.pid.items()} if params.level == "person" else {}
    )
    return edges, info, names


def org_weights(small, **query) -> dict[str, float]:
    edges, _info, names = graph(small, **query)
    return weights(edges, names)


def node_names(small, **query) -> list[str]:
    edges, _info, names = graph(small, **query)
    return sorted(names[n] for n in edges.nodes.tolist())


class TestAttendance:
    def test_organisation_level_counts_shared_meetings(self, small):
        """Two organisations weigh the number of meetings both attended; non-members are out."""
        assert org_weights(small) == {
            "AB": 2,
            "AC": 1,
            "BC": 2,
            "BD": 1,
            "CD": 1,
            "AD": 1,
            "AF": 1,
            "DF": 1,
        }

    def test_nodes_are_the_members_isolates_included(self, small):
        """Every organisation that was a member at some time is a node, E (never) is not."""
        assert node_names(small) == ["A", "B", "C", "D", "F", "G"]

    def test_window_keeps_the_meetings_and_members_of_the_year(self, small):
        """In 2020 only m1 and m2 count, among the organisations that were members then."""
        assert node_names(small, year="2020") == ["A", "B", "C", "D"]
        assert org_weights(small, year="2020") == {"AB": 2, "AC": 1, "BC": 1}
        assert org_weights(small, since="2021-01-01") == {
            "BC": 1,
            "BD": 1,
            "CD": 1,
            "AD": 1,
            "AF": 1,
            "DF": 1,
        }
        assert org_weights(small, until="2020-06-30") == {"AB": 1, "AC": 1, "BC": 1}

    def test_person_level_links_people_who_met(self, small):
        """People of members and every attendee (e1, x) are nodes; m1's six are all linked."""
        edges, info, names = graph(small, level="person")
        assert sorted(names[n] for n in edges.nodes.tolist()) == [
            "a1",
            "a2",
            "b1",
            "c1",
            "d1",
            "e1",
            "f1",
            "x",
        ]
        w = weights(edges, names)
        assert w["a1-b1"] == 2 and w["b1-c1"] == 2 and w["e1-x"] == 1
        assert w["a2-d1"] == 1 and "a1-d1" not in w
        assert len(w) == 15 + 3 + 3 - 1  # m1 pairs, m3 pairs, m4 pairs; b1-c1 twice
        assert info[small.pid["b1"]]["sector"] == "academia"
        assert info[small.pid["x"]]["sector"] is None
        assert info[small.pid["b1"]]["url"].endswith(f"/people/{small.p['b1'].uid}/")

    def test_node_info(self, small):
        """Labels, sectors and profile links of organisations."""
        _edges, info, _names = graph(small)
        a = info[small.id["A"]]
        assert (a["label"], a["sector"], a["sector_name"]) == ("A", "government", "Government")
        assert a["url"] == f"/networks/small/organisations/{small.o['A'].slug}/"


class TestTaskGroups:
    def test_co_membership(self, small):
        """T1 links A, B and C; T2 links B and D."""
        assert org_weights(small, graph="task_groups") == {"AB": 1, "AC": 1, "BC": 1, "BD": 1}

    def test_membership_period(self, small):
        """B joined T1 in mid-2020 and C dates from the group's start; T1 ended in 2020."""
        assert org_weights(small, graph="task_groups", until="2019-12-31") == {"AC": 1}
        assert org_weights(small, graph="task_groups", since="2021-01-01") == {"BD": 1}

    def test_person_level_links_the_people_sent(self, small):
        """At person level only the people an organisation sends are linked."""
        edges, _info, names = graph(small, level="person", graph="task_groups")
        assert weights(edges, names) == {"a1-b1": 1}


class TestOtherSources:
    def test_activities(self, small):
        assert org_weights(small, graph="activities") == {"AB": 1, "AD": 1, "BD": 1, "CD": 1}
        assert org_weights(small, graph="activities", year="2021") == {"CD": 1}
        assert org_weights(small, graph="activities", year="2020") == {}

    def test_cofinancing_by_activity_and_year(self, small):
        """A and B financed act1 in 2018, D in 2019 (alone that year); C and D act2 in 2021."""
        assert org_weights(small, graph="cofinancing") == {"AB": 1, "CD": 1}
        assert org_weights(small, graph="cofinancing", year="2018") == {"AB": 1}

    def test_relationships_weigh_strength_over_five(self, small):
        """A→B (5) and B→A (3) add up to 1.6; C→D (2) ended in 2017."""
        assert org_weights(small, graph="relationships") == pytest.approx({"AB": 1.6, "CD": 0.4})
        assert org_weights(small, graph="relationships", since="2018-01-01") == pytest.approx(
            {"AB": 1.6}
        )

    def test_partnerships(self, small):
        assert org_weights(small, graph="partnerships") == {"AB": 1, "AC": 1, "BC": 1, "CD": 1}
        assert org_weights(small, graph="partnerships", year="2020") == {"AB": 1, "AC": 1, "BC": 1}

    def test_survey_weighs_mean_score_over_five(self, small):
        """Each rating weighs (frequency + trust + value) / 15, both directions adding up."""
        assert org_weights(small, graph="survey") == pytest.approx(
            {"AB": 1.8, "AC": 0.2, "CD": 0.6, "CF": 1.0}
        )
        assert org_weights(small, graph="survey", year="2021") == pytest.approx(
            {"AB": 1.8, "AC": 0.2}
        )

    def test_sources_combine_with_weights(self, small):
        """attendance:1 + relationships:2 adds 3.2 to AB's two meetings."""
        combined = org_weights(small, graph="attendance,relationships:2")
        assert combined["AB"] == pytest.approx(5.2)
        assert combined["CD"] == pytest.approx(1.8)
        assert combined["DF"] == 1


class TestChecks:
    @pytest.mark.parametrize(
        "source", ["activities", "cofinancing", "relationships", "partnerships", "survey"]
    )
    def test_person_level_refuses_organisation_sources(self, source):
        """The error names the source and the ones available at person level."""
        with pytest.raises(ValidationError) as caught:
            AnalysisParams.from_query({"level": "person", "graph": f"attendance,{source}"})
        message = " ".join(caught.value.messages)
        assert source in message and "attendance, task_groups" in message

    def test_unknown_source(self):
        with pytest.raises(ValidationError, match="Unknown graph source: gossip"):
            AnalysisParams.from_query({"graph": "gossip"})

    def test_a_new_source_plugs_in(self, small, monkeypatch):
        """A source registered under a new name is accepted and built."""

        def load_hosting(network, *, level, since=None, until=None):
            ids = np.array([small.id["A"], small.id["G"]])
            zero = np.zeros(2, dtype=np.int64)
            return loader.SourceRows(
                loader.EVENTS,
                ids,
                np.array([1, 1]),
                zero + loader.OPEN_START,
                zero + loader.OPEN_END,
            )

        monkeypatch.setitem(
            loader.SOURCES,
            "hosting",
            loader.Source("hosting", "hosting", (loader.ORGANISATION,), load_hosting),
        )
        assert org_weights(small, graph="hosting") == {"AG": 1}


def test_queries_do_not_grow_with_the_data(small):
    """Building all sources takes the same queries with 4 meetings as with 24."""
    every = ",".join(loader.SOURCES)
    params = AnalysisParams.from_query({"graph": every})
    with CaptureQueriesContext(connection) as before:
        build_graph(small.network, params)
    people = list(small.p.values())
    for i in range(20):
        meeting = MeetingFactory(
            network=small.network, start=dt.datetime(2019, 1, 1 + i, 9, tzinfo=dt.UTC)
        )
        for person in people[i % 3 : i % 3 + 4]:
            AttendanceFactory(meeting=meeting, person=person)
    with CaptureQueriesContext(connection) as after:
        build_graph(small.network, params)
    assert len(after) == len(before)
    # 2 per source reading events then incidences (attendance, activities), 1 for each other
    # source, memberships, organisations.
    assert len(before) <= 11


def test_person_level_queries_are_constant(small, django_assert_max_num_queries):
    """Person level: meetings, attendance, task groups, memberships, people, node info."""
    params = AnalysisParams.from_query({"level": "person", "graph": "attendance,task_groups"})
    with django_assert_max_num_queries(6):
        build_graph(small.network, params)
