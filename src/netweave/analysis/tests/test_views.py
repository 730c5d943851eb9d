"""The analysis pages: dashboard, map, map data, pictures and the progress endpoint."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from netweave.analysis import services
from netweave.directory.models import Organisation
from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, sector
from netweave.meetings.tests.factories import AttendanceFactory, MeetingFactory
from netweave.networks.tests.factories import MembershipFactory
from netweave.surveys.models import SurveyResponse
from netweave.surveys.tests.factories import make_round, rate

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
BASE = "/networks/testnet/analysis/"
ADDRESSES = ("", "map/", "map.json", "map.svg", "map.png", "status/")


@pytest.fixture(autouse=True)
def _fresh_cache():
    services.analysis_cache().clear()
    yield
    services.analysis_cache().clear()


def _at(year: int, month: int = 3) -> dt.datetime:
    return dt.datetime(year, month, 1, 9, tzinfo=dt.UTC)


def weave(personas, extra: int = 0) -> dict:
    """AWI and Beta Ministry meet in 2012 and 2013 with ``extra`` more members (2012 only);
    Lonely Trust is a member that never attends."""
    net = personas.network
    people = [personas.person_a, personas.person_b]
    sectors = ("donor", "civil-society", "academia")
    for i in range(extra):
        org = OrganisationFactory(name=f"Member {i:02d}", acronym="", sector=sector(sectors[i % 3]))
        MembershipFactory(network=net, organisation=org)
        people.append(PersonFactory(organisation=org))
    lonely = Organisation.objects.filter(slug="lonely").first()
    if lonely is None:
        lonely = OrganisationFactory(
            name="Lonely Trust", acronym="", slug="lonely", sector=sector("donor")
        )
        MembershipFactory(network=net, organisation=lonely)
    first = MeetingFactory(network=net, start=_at(2012))
    second = MeetingFactory(network=net, start=_at(2013))
    for person in people:
        AttendanceFactory(meeting=first, person=person)
    for person in people[:2]:
        AttendanceFactory(meeting=second, person=person)
    return {"lonely": lonely, "members": len(people) + 1}


def _login(client, user):
    client.force_login(user)
    return client


def _map_data(response) -> dict:
    match = re.search(
        r'<script id="map-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the map's data block is missing"
    return json.loads(match.group(1))


def _svg_root(response) -> ET.Element:
    return ET.fromstring(response.content)  # noqa: S314 — the code under test wrote it


def _circles(root: ET.Element) -> list[ET.Element]:
    nodes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "nodes"][0]
    return nodes.findall(f"{SVG}circle")


def _lines(root: ET.Element) -> list[ET.Element]:
    edges = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edges"][0]
    return edges.findall(f"{SVG}line")


class TestDashboard:
    def test_facilitator_sees_figures_charts_and_diagnostics(self, personas, client):
        """The dashboard shows the network's figures, growth, top members and what to act on."""
        data = weave(personas, extra=3)
        response = _login(client, personas.fiona).get(BASE)
        assert response.status_code == 200
        html = response.content.decode()
        figures = dict(
            re.findall(r'data-figure="(\w+)"><dt>[^<]*</dt><dd class="num">([^<]*)</dd>', html)
        )
        assert figures["size"] == str(data["members"])
        assert figures["edges"] == "10"  # five organisations met in 2012: 5 × 4 / 2 ties
        assert figures["components"] == "2"
        assert "Betweenness is computed exactly." in html
        assert 'data-chart="chart-analysis-growth"' in html
        assert '<table id="table-growth">' in html
        assert '<table id="top-betweenness">' in html
        # Lonely Trust never attended: an isolate, inactive, with a link to its profile.
        isolates = html.split('id="diag-isolates"')[1].split("</div>")[0]
        assert '<a href="/networks/testnet/organisations/lonely/">Lonely Trust</a>' in isolates
        inactive = html.split('id="diag-inactive"')[1].split("</div>")[0]
        assert "Lonely Trust" in inactive

    def test_year_and_sources_filter_the_analysis(self, personas, client):
        """year=2013 keeps only the 2013 meeting: one tie, between AWI and Beta Ministry."""
        weave(personas, extra=3)
        client = _login(client, personas.fiona)
        response = client.get(BASE, {"year": "2013", "source": ["attendance"]})
        assert response.status_code == 200
        html = response.content.decode()
        assert re.search(r'data-figure="edges"><dt>[^<]*</dt><dd class="num">1</dd>', html)
        assert '<option value="2013" selected>' in html

    def test_a_period_instead_of_a_year(self, personas, client):
        """since/until choose a period; with a year as well the page says to pick one."""
        weave(personas, extra=3)
        client = _login(client, personas.fiona)
        response = client.get(BASE, {"since": "2013-01-01", "until": "2013-06-30"})
        html = response.content.decode()
        assert re.search(r'data-figure="edges"><dt>[^<]*</dt><dd class="num">1</dd>', html)
        assert 'name="since" id="filter-since" value="2013-01-01"' in html
        response = client.get(BASE, {"since": "2013-01-01", "year": "2013"})
        assert response.status_code == 400
        assert "Give either a year or since/until" in response.content.decode()

    def test_steering_committee_member_may_read(self, personas, client):
        """The steering committee reads the dashboards too."""
        weave(personas)
        assert _login(client, personas.sam).get(BASE).status_code == 200

    def test_bad_parameters_give_a_clear_message(self, personas, client):
        """Unknown levels, sources, weights or years answer 400 with the reason, not a 500."""
        weave(personas)
        client = _login(client, personas.fiona)
        cases = {
            "level=planet": "Unknown level",
            "graph=gossip": "gossip",
            "graph=attendance:heavy": "must be a number",
            "source=attendance&weight_attendance=-1": "positive number",
            "year=20x4": "The year must be written YYYY",
            "since=yesterday": "YYYY-MM-DD",
            "level=person&graph=cofinancing": "cofinancing",
        }
        for query, message in cases.items():
            response = client.get(f"{BASE}?{query}")
            assert response.status_code == 400, query
            html = response.content.decode()
            assert message in html, (query, html[html.find("analysis-errors") :][:400])
            assert 'role="alert"' in html


class TestMap:
    def test_map_carries_nodes_positions_and_a_table(self, personas, client):
        """The map's data holds every member with its position and profile address."""
        data = weave(personas, extra=3)
        response = _login(client, personas.fiona).get(BASE + "map/")
        assert response.status_code == 200
        payload = _map_data(response)
        assert len(payload["nodes"]) == data["members"]
        assert len(payload["edges"]) == 10
        awi = next(node for node in payload["nodes"] if node["label"] == "AWI")
        assert awi["url"] == "/networks/testnet/organisations/awi/"
        assert 0 <= awi["x"] <= 1 and 0 <= awi["y"] <= 1
        assert awi["sector_name"] == "Academia and research"
        assert payload["sectors"]["academia"]["colour"] == "#8c564b"
        html = response.content.decode()
        assert html.count("<tr data-id=") == data["members"]
        assert "vendor/plotly.min.js" in html and "js/analysis-map.js" in html
        assert "<script>" not in html  # no inline script: everything in static files

    def test_table_sorts_by_the_chosen_metric(self, personas, client):
        """By default the table is sorted by the size metric, biggest first; sort= changes it."""
        weave(personas, extra=3)
        client = _login(client, personas.fiona)
        html = client.get(BASE + "map/", {"size": "events"}).content.decode()
        rows = re.findall(r'<th scope="row" data-value="([^"]*)">', html)
        # AWI and Beta Ministry attended both meetings; Lonely Trust none.
        assert set(rows[:2]) == {"AWI", "BM"}
        assert rows[-1] == "Lonely Trust"
        assert 'aria-sort="descending" data-sort="events"' in html
        html = client.get(BASE + "map/", {"sort": "label"}).content.decode()
        rows = re.findall(r'<th scope="row" data-value="([^"]*)">', html)
        assert rows == sorted(rows, key=str.casefold)

    def test_sector_filter_hides_other_sectors(self, personas, client):
        """sector=donor shows only donors, and only the ties between them."""
        weave(personas, extra=3)
        response = _login(client, personas.fiona).get(BASE + "map/", {"sector": "donor"})
        payload = _map_data(response)
        assert {node["sector"] for node in payload["nodes"]} == {"donor"}
        assert {node["label"] for node in payload["nodes"]} == {"Member 00", "Lonely Trust"}
        assert payload["edges"] == []

    def test_map_shows_where_survey_and_records_disagree(self, personas, client):
        """In 2013 AWI and Beta Ministry met, yet AWI's survey answer names nobody, and
        Lonely Trust rated a strong tie to AWI that no record shows: the map's data draws
        both pairs, and the table under the map lists them, per year of the slider."""
        data = weave(personas)
        awi, beta = personas.person_a.organisation, personas.person_b.organisation
        survey = make_round(personas.network, 2013)
        SurveyResponse.objects.create(round=survey, organisation=awi)
        rate(survey, data["lonely"], awi, 5, 5, 4)
        client = _login(client, personas.fiona)
        response = client.get(BASE + "map/")
        payload = _map_data(response)
        assert payload["survey"] is True
        names = [node["label"] for node in payload["nodes"]]
        pairs = {(frozenset((names[a], names[b])), kind) for a, b, kind in payload["disagreements"]}
        assert pairs == {
            (frozenset(("AWI", beta.acronym or beta.name)), "recorded_not_perceived"),
            (frozenset(("AWI", "Lonely Trust")), "perceived_not_recorded"),
        }
        assert set(payload["labels"]) >= {"recorded_not_perceived", "perceived_not_recorded"}
        html = response.content.decode()
        section = html.split('id="map-survey"')[1].split("</section>")[0]
        assert "hidden" not in section.split(">")[0]
        assert section.count("<tr data-kind=") == 2
        assert '<a href="/networks/testnet/organisations/lonely/">Lonely Trust</a>' in section
        # Showing donors only leaves no pair with both members on the map.
        payload = _map_data(client.get(BASE + "map/", {"sector": "donor"}))
        assert payload["disagreements"] == []
        # 2012 holds no survey round: nothing to compare, and the section is hidden.
        body = client.get(BASE + "map.json", {"year": "2012"}).json()
        assert (body["map"]["survey"], body["map"]["disagreements"]) == (False, [])
        html = client.get(BASE + "map/", {"year": "2012"}).content.decode()
        assert re.search(r'<section id="map-survey"[^>]* hidden>', html)

    def test_person_level(self, personas, client):
        """At person level the nodes are people, linked to their profiles."""
        weave(personas, extra=1)
        response = _login(client, personas.fiona).get(BASE + "map/", {"level": "person"})
        assert response.status_code == 200
        payload = _map_data(response)
        anna = next(node for node in payload["nodes"] if node["label"] == "Anna Alpha")
        assert anna["url"] == f"/networks/testnet/people/{personas.person_a.uid}/"
        assert ">Person</a></th>" in response.content.decode()

    def test_only_the_strongest_ties_are_drawn_in_very_large_maps(
        self, personas, client, monkeypatch
    ):
        """Beyond the browser's limit the map draws the strongest ties and says so."""
        from netweave.analysis import views

        weave(personas, extra=3)
        monkeypatch.setattr(views, "MAP_MAX_EDGES", 4)
        response = _login(client, personas.fiona).get(BASE + "map/")
        payload = _map_data(response)
        assert len(payload["edges"]) == 4
        assert payload["edges_total"] == 10
        assert payload["edges"][0][2] == 2.0  # AWI and Beta Ministry met twice
        assert "the 4 strongest of 10 ties are drawn" in response.content.decode()

    def test_map_reads_right_to_left(self, personas, client):
        """In Arabic the page is laid out right to left, with the same map and table."""
        weave(personas, extra=1)
        client = _login(client, personas.fiona)
        client.cookies["django_language"] = "ar"
        response = client.get(BASE + "map/")
        assert response.status_code == 200
        html = response.content.decode()
        assert 'dir="rtl"' in html
        assert len(_map_data(response)["nodes"]) == 4
        assert html.count("<tr data-id=") == 4

    def test_display_choices_are_checked(self, personas, client):
        """Unknown colour modes, size metrics, sectors or sort columns answer 400."""
        weave(personas)
        client = _login(client, personas.fiona)
        for query, message in {
            "colour=pink": "Colour must be one of",
            "size=charisma": "Size must be one of",
            "sector=pirates": "Unknown sector: pirates",
            "sort=shoe_size": "Sort must be one of",
        }.items():
            response = client.get(f"{BASE}map/?{query}")
            assert response.status_code == 400, query
            assert message in response.content.decode(), query

    def test_map_json_for_the_time_slider(self, personas, client):
        """map.json gives the map of one year, and a 400 with the reason for bad input."""
        weave(personas, extra=3)
        client = _login(client, personas.fiona)
        body = client.get(BASE + "map.json", {"year": "2013"}).json()
        assert body["status"] == "ready"
        assert len(body["map"]["edges"]) == 1
        assert "year=2013" in body["query"]
        body = client.get(BASE + "map.json").json()
        assert len(body["map"]["edges"]) == 10
        response = client.get(BASE + "map.json", {"year": "soon"})
        assert response.status_code == 400
        assert "YYYY" in response.json()["errors"][0]


class TestPictures:
    def test_svg_of_the_map(self, personas, client):
        """map.svg is well-formed SVG with one circle per member and one line per tie."""
        data = weave(personas, extra=3)
        client = _login(client, personas.fiona)
        response = client.get(BASE + "map.svg", {"colour": "community", "size": "betweenness"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("image/svg+xml")
        root = _svg_root(response)
        assert len(_circles(root)) == data["members"]
        assert len(_lines(root)) == 10
        root = _svg_root(client.get(BASE + "map.svg", {"year": "2013"}))
        assert len(_lines(root)) == 1
        root = _svg_root(client.get(BASE + "map.svg", {"sector": "donor"}))
        assert len(_circles(root)) == 2

    def test_png_of_the_map(self, personas, client):
        """map.png is a PNG image."""
        weave(personas)
        response = _login(client, personas.fiona).get(BASE + "map.png")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response.content.startswith(b"\x89PNG")

    def test_bad_picture_parameters(self, personas, client):
        """A bad parameter gets a 400 with the reason as text."""
        weave(personas)
        response = _login(client, personas.fiona).get(BASE + "map.svg", {"level": "planet"})
        assert response.status_code == 400
        assert "Unknown level" in response.content.decode()


class TestProgress:
    @pytest.fixture
    def running(self, monkeypatch):
        state = services.AnalysisState(status="running", result=None, progress=0.4)
        monkeypatch.setattr(services, "get_analysis", lambda network, params: state)
        return state

    def test_page_shows_progress_box_that_polls(self, personas, client, running):
        """While the analysis runs the page shows its progress and polls every 2 s."""
        client = _login(client, personas.fiona)
        for address in ("", "map/"):
            html = client.get(BASE + address, {"year": "2012"}).content.decode()
            box = html.split('class="panel analysis-progress"')[1].split("</div>")[0]
            assert 'hx-trigger="every 2s"' in box
            assert 'hx-get="/networks/testnet/analysis/status/?page=' in box
            assert "year=2012" in box
            assert 'value="40"' in box

    def test_status_answers_progress_while_running(self, personas, client, running):
        """The status endpoint answers the progress box again while the work goes on."""
        html = _login(client, personas.fiona).get(BASE + "status/", {"page": "map"})
        assert 'hx-trigger="every 2s"' in html.content.decode()

    def test_pictures_and_data_wait_politely(self, personas, client, running):
        """map.svg answers 202 with Retry-After, map.json says running."""
        client = _login(client, personas.fiona)
        response = client.get(BASE + "map.svg")
        assert response.status_code == 202
        assert response["Retry-After"] == "2"
        body = client.get(BASE + "map.json").json()
        assert body == {"status": "running", "progress": 0.4, "error": "", "query": body["query"]}

    def test_failed_analysis_says_so(self, personas, client, monkeypatch):
        """A failed analysis shows its error and stops polling."""
        state = services.AnalysisState(status="failed", result=None, progress=0, error="Boom.")
        monkeypatch.setattr(services, "get_analysis", lambda network, params: state)
        html = _login(client, personas.fiona).get(BASE).content.decode()
        assert "Boom." in html
        assert "every 2s" not in html

    def test_status_swaps_in_the_result_when_ready(self, personas, client):
        """Once ready, the status endpoint answers the page's body with the result."""
        weave(personas, extra=1)
        client = _login(client, personas.fiona)
        html = client.get(BASE + "status/", {"page": "map"}).content.decode()
        assert html.lstrip().startswith('<div id="analysis-body"')
        assert 'id="map-data"' in html and "every 2s" not in html
        html = client.get(BASE + "status/", {"page": "dashboard"}).content.decode()
        assert 'id="analysis-figures"' in html


class TestAccess:
    def test_only_facilitators_and_steering_read_the_analysis(self, personas, client):
        """Focal points and observers are refused (403); outsiders find nothing (404)."""
        weave(personas)
        expected = {
            personas.fiona: 200,
            personas.sam: 200,
            personas.alice: 403,
            personas.bob: 403,
            personas.olga: 403,
            personas.charlie: 404,
            personas.frank: 404,
            None: 404,
        }
        for user, status in expected.items():
            client.logout()
            if user is not None:
                client.force_login(user)
            for address in ADDRESSES:
                response = client.get(BASE + address)
                assert response.status_code == status, (user, address, response.status_code)

    def test_public_network_still_refuses_visitors(self, personas, client):
        """On a public network anonymous visitors may read it, but not its analysis."""
        personas.network.visibility = "public"
        personas.network.save()
        for address in ADDRESSES:
            assert client.get(BASE + address).status_code == 403

    def test_pages_only_answer_get(self, personas, client):
        """The analysis pages change nothing: POST is not allowed."""
        client = _login(client, personas.fiona)
        for address in ADDRESSES:
            assert client.post(BASE + address).status_code == 405

    def test_network_home_links_to_the_analysis(self, personas, client):
        """The network home links to the dashboard and the map for those who may read them."""
        html = _login(client, personas.fiona).get("/networks/testnet/").content.decode()
        assert f'href="{BASE}"' in html and f'href="{BASE}map/"' in html
        client.logout()
        html = _login(client, personas.alice).get("/networks/testnet/").content.decode()
        assert f'href="{BASE}map/"' not in html


class TestQueryCounts:
    def _count(self, client, address: str, params: dict | None = None) -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(BASE + address, params or {})
        assert response.status_code == 200, address
        return len(context.captured_queries)

    @pytest.mark.parametrize("address", ["", "map/", "map.svg", "map.json"])
    def test_same_queries_for_small_and_larger_networks(
        self, personas, client, address, django_assert_max_num_queries
    ):
        """Reading a cached analysis costs the same few queries whatever the network's size."""
        client = _login(client, personas.fiona)
        weave(personas, extra=1)
        client.get(BASE + address)  # computes and caches
        small = self._count(client, address)
        weave(personas, extra=40)
        client.get(BASE + address)
        larger = self._count(client, address)
        assert small == larger
        # session, user, network, roles, sectors, data version
        with django_assert_max_num_queries(6):
            client.get(BASE + address)

    def test_computing_costs_the_same_queries_for_any_size(self, personas, client):
        """Computing the analysis on the page does not issue a query per member."""
        client = _login(client, personas.fiona)
        weave(personas, extra=1)
        small = self._count(client, "map/")
        services.analysis_cache().clear()
        weave(personas, extra=40)
        larger = self._count(client, "map/")
        assert small == larger
