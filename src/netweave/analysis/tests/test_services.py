"""The analysis services: parameters, the full analysis, its diagnostics, cache and tasks."""

from __future__ import annotations

import datetime as dt
import json
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from netweave.analysis import services
from netweave.analysis.services import AnalysisParams, analyse_network, get_analysis
from netweave.analysis.tests.builders import build_small, d
from netweave.directory.models import OrganisationInterest, Relationship
from netweave.directory.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    TopicFactory,
    sector,
)
from netweave.governance.models import Body, TaskGroupMember
from netweave.meetings.models import Attendance
from netweave.meetings.tests.factories import AttendanceFactory, MeetingFactory
from netweave.networks.models import Membership
from netweave.networks.tests.factories import MembershipFactory, NetworkFactory
from netweave.partnerships.models import Partner
from netweave.surveys.models import SurveyResponse, TieRating

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2022, 6, 30, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_cache():
    services.analysis_cache().clear()
    yield
    services.analysis_cache().clear()


@pytest.fixture
def small():
    return build_small()


def by_key(small, result) -> dict[str, dict]:
    names = {pk: key for key, pk in small.id.items()}
    return {names[node["id"]]: node for node in result["nodes"]}


class TestParams:
    def test_defaults(self):
        params = AnalysisParams.from_query({})
        assert params == AnalysisParams()
        assert params.as_query() == {"level": "organisation", "graph": "attendance"}

    def test_full_query_round_trips(self):
        """Sources with weights, a window; as_query gives back an equal object."""
        params = AnalysisParams.from_query(
            {
                "level": "organisation",
                "graph": "attendance, survey:2.5",
                "since": "2020-01-01",
                "until": "2021-06-30",
            }
        )
        assert params.sources == (("attendance", 1.0), ("survey", 2.5))
        assert params.since == dt.date(2020, 1, 1) and params.until == dt.date(2021, 6, 30)
        assert params.graph == "attendance,survey:2.5"
        assert AnalysisParams.from_query(params.as_query()) == params

    def test_year_is_a_calendar_year(self):
        params = AnalysisParams.from_query({"year": "2021"})
        assert (params.since, params.until) == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ({"level": "planet"}, "Unknown level"),
            ({"since": "2020-02-30"}, "since must be a date"),
            ({"until": "yesterday"}, "until must be a date"),
            ({"since": "2021-01-01", "until": "2020-01-01"}, "comes after its end"),
            ({"year": "20"}, "The year must be written YYYY"),
            ({"year": "2020", "since": "2020-01-01"}, "either a year or since/until"),
            ({"graph": "attendance:heavy"}, "must be a number"),
            ({"graph": "attendance:0"}, "must be a positive number"),
            ({"graph": "attendance:nan"}, "must be a positive number"),
            ({"graph": "attendance,attendance:2"}, "each graph source once"),
            ({"graph": "friendship"}, "Unknown graph source"),
        ],
    )
    def test_bad_input_is_refused_clearly(self, query, message):
        with pytest.raises(ValidationError, match=message):
            AnalysisParams.from_query(query)


class TestAnalysis:
    @pytest.fixture(autouse=True)
    def _today(self, time_machine):
        time_machine.move_to(TODAY, tick=False)

    def test_shape_follows_the_contract(self, small):
        """Every field of DESIGN.md and the contract is there and the JSON is plain."""
        result = analyse_network(small.network, AnalysisParams())
        json.dumps(result, allow_nan=False)
        for key in (
            "network",
            "level",
            "graph",
            "nodes",
            "edges",
            "density",
            "communities",
            "modularity",
            "edge_list",
            "components",
            "average_clustering",
            "sector_mixing",
            "betweenness_method",
            "betweenness_samples",
            "growth",
            "diagnostics",
            "params",
            "data_version",
        ):
            assert key in result
        node = result["nodes"][0]
        for key in (
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
            "sector_name",
            "url",
            "brokerage",
            "engagement",
            "x",
            "y",
        ):
            assert key in node
        assert result["network"] == "small" and result["graph"] == "attendance"
        assert result["edges"] == 8 and len(result["edge_list"]) == 8
        assert result["betweenness_method"] == "exact"
        assert result["betweenness_samples"] is None
        assert set(result["sector_mixing"]) == {"assortativity", "ei_index"}
        assert result["sector_mixing"]["ei_index"] == 1.0  # every tie crosses sectors

    def test_events_count_meetings_attended_in_the_window(self, small):
        """Events are meetings attended, whatever the graph's sources."""
        nodes = by_key(small, analyse_network(small.network, AnalysisParams()))
        assert {k: n["events"] for k, n in nodes.items()} == {
            "A": 3,
            "B": 3,
            "C": 2,
            "D": 2,
            "F": 1,
            "G": 0,
        }
        nodes = by_key(
            small,
            analyse_network(
                small.network, AnalysisParams.from_query({"graph": "survey", "year": "2020"})
            ),
        )
        assert {k: n["events"] for k, n in nodes.items()} == {"A": 2, "B": 2, "C": 1, "D": 0}

    def test_engagement_follows_the_documented_formula(self, small):
        """(2a + c + p + s + r) / 6 over July 2021 – June 2022, in which only m4 was held."""
        nodes = by_key(small, analyse_network(small.network, AnalysisParams()))
        assert nodes["A"]["engagement"] == pytest.approx((2 + 0 + 0 + 0.75 + 1) / 6)
        assert nodes["D"]["engagement"] == pytest.approx((2 + 0.5 + 0.5 + 0 + 1) / 6)
        assert nodes["B"]["engagement"] == pytest.approx((0 + 0 + 0 + 0.25 + 1) / 6)
        assert nodes["G"]["engagement"] == 0

    def test_engagement_at_person_level(self, small):
        """(2a + r) / 3: a2 attended m4; b1 nothing recent; a1 nothing recent."""
        result = analyse_network(small.network, AnalysisParams(level="person"))
        names = {pk: key for key, pk in small.pid.items()}
        nodes = {names[n["id"]]: n for n in result["nodes"]}
        assert nodes["a2"]["engagement"] == pytest.approx(1)
        assert nodes["b1"]["engagement"] == 0
        assert nodes["a2"]["events"] == 2 and nodes["x"]["events"] == 1

    def test_diagnostics(self, small):
        """G is isolated and inactive; A and G share interests and have no tie."""
        result = analyse_network(small.network, AnalysisParams())
        diagnostics = result["diagnostics"]
        assert diagnostics["isolates"] == [small.id["G"]]
        assert diagnostics["inactive"] == [small.id["G"]]
        (first, *_rest) = diagnostics["introductions"]
        assert {first["a"], first["b"]} == {small.id["A"], small.id["G"]}
        assert first["shared_topics"] == ["sanitation", "water"]
        assert diagnostics["single_broker"] == []
        # No steering target: equal shares across the six sectors present, all equal.
        assert diagnostics["under_represented"] == []

    def test_under_represented_against_the_steering_committee_mix(self, small):
        """Target shares come from the steering body's minimum seats per sector."""
        Body.objects.create(
            network=small.network,
            name="Steering committee",
            kind="steering",
            sector_mix={"government": 2, "academia": 1, "parliament": 1},
        )
        flagged = analyse_network(small.network, AnalysisParams())["diagnostics"][
            "under_represented"
        ]
        assert [(f["sector"], f["share"], f["target"], f["basis"]) for f in flagged] == [
            ("academia", pytest.approx(1 / 6), 0.25, "steering"),
            ("government", pytest.approx(1 / 6), 0.5, "steering"),
            ("parliament", 0.0, 0.25, "steering"),
        ]

    def test_under_represented_against_equal_shares(self):
        """Without a target mix, a sector below half an equal share is flagged."""
        net = NetworkFactory(slug="lopsided")
        for _i in range(9):
            MembershipFactory(
                network=net, organisation=OrganisationFactory(sector=sector("government"))
            )
        MembershipFactory(network=net, organisation=OrganisationFactory(sector=sector("media")))
        flagged = analyse_network(net, AnalysisParams())["diagnostics"]["under_represented"]
        assert [(f["sector"], f["share"], f["target"], f["basis"]) for f in flagged] == [
            ("media", 0.1, 0.5, "equal")
        ]

    def test_single_broker(self):
        """Leaves of a star depend on its centre."""
        net = NetworkFactory(slug="star")
        orgs = [OrganisationFactory() for _ in range(4)]
        for org in orgs:
            MembershipFactory(network=net, organisation=org)
        people = [PersonFactory(organisation=org) for org in orgs]
        for leaf in people[1:]:
            meeting = MeetingFactory(network=net)
            AttendanceFactory(meeting=meeting, person=people[0])
            AttendanceFactory(meeting=meeting, person=leaf)
        result = analyse_network(net, AnalysisParams())
        assert result["diagnostics"]["single_broker"] == [
            {"id": org.pk, "broker": orgs[0].pk} for org in orgs[1:]
        ]

    def test_growth_of_members_and_ties_per_year(self, small):
        """Members of each year and the ties of that year's graph."""
        growth = {
            row["year"]: row for row in analyse_network(small.network, AnalysisParams())["growth"]
        }
        assert min(growth) == 2015 and max(growth) == 2022
        assert (growth[2019]["members"], growth[2019]["ties"]) == (5, 0)
        assert (growth[2020]["members"], growth[2020]["ties"]) == (4, 3)
        assert (growth[2021]["members"], growth[2021]["ties"]) == (4, 3)
        assert (growth[2022]["members"], growth[2022]["ties"]) == (5, 3)

    def test_growth_matches_a_graph_per_year(self, small):
        """Each year's tie count equals the edges of that year's own analysis."""
        params = AnalysisParams.from_query({"graph": "attendance,task_groups,survey"})
        growth = analyse_network(small.network, params)["growth"]
        for row in growth:
            year = AnalysisParams.from_query({**params.as_query(), "year": str(row["year"])})
            edges, _info = services.build_graph(small.network, year)
            assert row["ties"] == edges.n_edges

    def test_survey_disagreements(self, small):
        """Against 2022's round: C named neither A nor B though they met; C and F rated a
        strong tie with no record."""
        result = analyse_network(small.network, AnalysisParams())
        found = {
            (item["kind"], frozenset((item["a"], item["b"]))): item
            for item in result["survey_disagreements"]
        }
        i = small.id
        assert set(found) == {
            ("recorded_not_perceived", frozenset((i["B"], i["C"]))),
            ("recorded_not_perceived", frozenset((i["A"], i["C"]))),
            ("perceived_not_recorded", frozenset((i["C"], i["F"]))),
        }
        assert found[("recorded_not_perceived", frozenset((i["B"], i["C"])))]["recorded"] == 2
        assert found[("perceived_not_recorded", frozenset((i["C"], i["F"])))]["perceived"] == 5
        assert result["survey_disagreements"][0]["b_label"]

    def test_no_survey_no_disagreements(self, small):
        """Without a survey round in the window the key is absent."""
        result = analyse_network(small.network, AnalysisParams.from_query({"year": "2020"}))
        assert "survey_disagreements" not in result

    def test_layout_is_deterministic_and_scaled(self, small):
        params = AnalysisParams()
        first = analyse_network(small.network, params)
        second = analyse_network(small.network, params)
        positions = [(n["x"], n["y"]) for n in first["nodes"]]
        assert positions == [(n["x"], n["y"]) for n in second["nodes"]]
        assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in positions)
        assert len(set(positions)) == len(positions)

    def test_betweenness_is_sampled_beyond_the_threshold(self, small, settings):
        """Above ANALYSIS_EXACT_BETWEENNESS_MAX_NODES the result says sampled, with k."""
        settings.ANALYSIS_EXACT_BETWEENNESS_MAX_NODES = 3
        settings.ANALYSIS_BETWEENNESS_PIVOTS = 4
        result = analyse_network(small.network, AnalysisParams())
        assert (result["betweenness_method"], result["betweenness_samples"]) == ("sampled", 4)


class TestDataVersion:
    CHANGES = {
        "attendance added": lambda s: AttendanceFactory(meeting=s.meetings["m2"], person=s.p["c1"]),
        "attendance changed": lambda s: _save(
            Attendance.objects.filter(meeting=s.meetings["m1"]).first(), organisation=None
        ),
        "attendance deleted": lambda s: (
            Attendance.objects.filter(meeting=s.meetings["m1"]).first().delete()
        ),
        "meeting moved": lambda s: _save(s.meetings["m2"], title="moved"),
        "membership ended": lambda s: _save(
            Membership.objects.get(organisation=s.o["A"]), left=d("2023-01-01")
        ),
        "organisation renamed": lambda s: _save(s.o["B"], name="Org Beta"),
        "person moved": lambda s: _save(s.p["a1"], organisation=s.o["B"]),
        "task group person added": lambda s: TaskGroupMember.objects.get(
            task_group=s.t2, organisation=s.o["D"]
        ).people.add(s.p["d1"]),
        "task group member joined later": lambda s: _save(
            TaskGroupMember.objects.get(task_group=s.t1, organisation=s.o["C"]),
            joined=d("2020-01-01"),
        ),
        "activity participation deleted": lambda s: s.act1.participations.first().delete(),
        "contribution changed": lambda s: _save(s.act2.contributions.first(), year=2022),
        "relationship strength": lambda s: _save(
            Relationship.objects.filter(network=s.network).first(), strength=1
        ),
        "partner removed": lambda s: Partner.objects.filter(partnership=s.p1).first().delete(),
        "survey rating changed": lambda s: _save(TieRating.objects.first(), trust=2),
        "survey answered with no tie": lambda s: SurveyResponse.objects.create(
            round=TieRating.objects.first().round, organisation=s.o["E"]
        ),
        "interest added": lambda s: OrganisationInterest.objects.create(
            organisation=s.o["B"], topic=TopicFactory()
        ),
        "steering mix": lambda s: Body.objects.create(
            network=s.network, name="SC", kind="steering", sector_mix={"donor": 1}
        ),
    }

    @pytest.mark.parametrize("change", list(CHANGES))
    def test_any_source_change_changes_the_version(self, small, change):
        before = services.data_version(small.network)
        assert services.data_version(small.network) == before
        self.CHANGES[change](small)
        assert services.data_version(small.network) != before

    def test_other_networks_do_not_change_it(self, small):
        before = services.data_version(small.network)
        MeetingFactory(network=NetworkFactory())
        assert services.data_version(small.network) == before

    def test_version_is_one_query(self, small, django_assert_num_queries):
        with django_assert_num_queries(1):
            services.data_state(small.network)


class TestCache:
    def test_second_call_is_served_from_the_cache(self, small):
        params = AnalysisParams()
        first = get_analysis(small.network, params)
        assert first.status == "ready" and first.progress == 1
        with mock.patch.object(services, "analyse_network") as compute:
            second = get_analysis(small.network, params)
        compute.assert_not_called()
        assert second.result == first.result

    def test_a_change_invalidates_the_cached_analysis(self, small):
        params = AnalysisParams()
        first = get_analysis(small.network, params).result
        AttendanceFactory(meeting=small.meetings["m1"], person=small.p["f1"])
        second = get_analysis(small.network, params).result
        assert second["data_version"] != first["data_version"]
        assert second["edges"] == first["edges"] + 2  # F now met B and C in m1 (A already)

    def test_parameters_are_part_of_the_key(self, small):
        whole = get_analysis(small.network, AnalysisParams()).result
        year = get_analysis(small.network, AnalysisParams.from_query({"year": "2020"})).result
        assert (whole["edges"], year["edges"]) == (8, 3)

    def test_large_networks_go_to_the_background(self, small, settings):
        """Above the inline size the task runs (at once in tests) and fills the cache."""
        settings.ANALYSIS_INLINE_MAX_ROWS = 0
        state = get_analysis(small.network, AnalysisParams())
        assert state.status == "ready" and state.result["edges"] == 8

    def test_queued_and_running_states_with_progress(self, small, settings):
        """While the worker has not finished, the state says so and nothing blocks."""
        settings.ANALYSIS_INLINE_MAX_ROWS = 0
        from netweave.analysis import tasks

        task = tasks.analyse_network_task
        with mock.patch.object(tasks, "analyse_network_task") as queue:
            state = get_analysis(small.network, AnalysisParams())
            assert (state.status, state.result, state.progress) == ("queued", None, 0)
            again = get_analysis(small.network, AnalysisParams())
            assert again.status == "queued"
        enqueue = queue.enqueue
        enqueue.assert_called_once()
        network_id, query, version = enqueue.call_args.args
        seen = []

        def watch(network, params, *, progress, version):
            progress(0.5)
            seen.append(get_analysis(small.network, AnalysisParams()))
            return {"edges": 8, "data_version": version}

        with mock.patch.object(services, "analyse_network", side_effect=watch):
            task.call(network_id, query, version)
        assert (seen[0].status, seen[0].progress) == ("running", 0.5)
        assert get_analysis(small.network, AnalysisParams()).result["edges"] == 8

    def test_failure_is_reported(self, small, settings):
        settings.ANALYSIS_INLINE_MAX_ROWS = 0
        with mock.patch.object(services, "analyse_network", side_effect=RuntimeError("boom")):
            state = get_analysis(small.network, AnalysisParams())
        assert (state.status, state.error) == ("failed", "boom")

    def test_inline_when_asked(self, small, settings):
        settings.ANALYSIS_INLINE_MAX_ROWS = 0
        state = get_analysis(small.network, AnalysisParams(), background=False)
        assert state.status == "ready"


def _save(instance, **changes):
    for field, value in changes.items():
        setattr(instance, field, value)
    instance.save()
    return instance


def test_backbone_keeps_each_nodes_strongest_ties():
    """On a weighted triangle plus a pendant, one tie each keeps the heaviest per node."""
    from netweave.analysis.graphs import edges_from_pairs

    edges = edges_from_pairs([1, 1, 2, 3], [2, 3, 3, 4], weight=[5, 1, 3, 2])
    kept = services.backbone(edges, ties=1)
    pairs = {(int(edges.src[i]), int(edges.dst[i])) for i in kept}
    assert pairs == {(1, 2), (2, 3), (3, 4)}  # 1:(1,2) 2:(1,2) 3:(2,3) 4:(3,4)


def test_dense_graphs_list_their_backbone(small, settings):
    """Beyond ANALYSIS_EDGE_LIST_MAX ties the edge list is the backbone, and says so."""
    settings.ANALYSIS_EDGE_LIST_MAX = 3
    result = analyse_network(small.network, AnalysisParams())
    assert result["edge_list_complete"] is False
    assert result["edges"] == 8  # the metrics still count every tie
    settings.ANALYSIS_EDGE_LIST_MAX = 100
    assert analyse_network(small.network, AnalysisParams())["edge_list_complete"] is True
