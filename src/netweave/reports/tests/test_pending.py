"""The page does not wait for the year's network analysis; downloads and the command do.

A report page asked for before the analysis of its year is in the cache shows the network
section as pending (and reloads itself), is not cached, and starts the analysis in the
background; a download of the same report waits for the analysis and is complete.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from netweave.analysis.services import AnalysisState
from netweave.reports import services
from netweave.reports.sections import network as network_section

pytestmark = pytest.mark.django_db

READY_RESULT = {"nodes": [], "edges": [], "metrics": {}}


@pytest.fixture
def analysis(monkeypatch):
    """The analysis as a switch: not ready until ``ready`` is set; records how it was asked."""
    calls: list[bool] = []
    state = {"ready": False}

    def fake_get_analysis(network, params, *, background=True):
        calls.append(background)
        if state["ready"] or not background:
            return AnalysisState("ready", READY_RESULT, 1.0)
        return AnalysisState("queued", None, 0.0)

    monkeypatch.setattr(network_section, "get_analysis", fake_get_analysis)
    monkeypatch.setattr(network_section.svg, "render_svg", lambda *a, **k: "<svg></svg>")
    cache.clear()
    yield calls, state
    cache.clear()


def test_without_waiting_the_section_is_pending_with_every_figure_empty(personas, analysis):
    calls, _state = analysis
    report = services.build_report(personas.network, 2015, only=["network"], wait=False)
    section = report.section("network")
    assert report.pending and section.pending
    assert calls == [True], "the analysis is started in the background"
    assert set(section.values()) == set(network_section.FIGURES)
    assert all(value is None for value in section.values().values())
    assert "being computed" in section.notes[0]


def test_waiting_is_the_default(personas, analysis):
    calls, _state = analysis
    report = services.build_report(personas.network, 2015, only=["network"])
    assert not report.pending
    assert calls == [False]


def test_the_page_shows_pending_reloads_and_does_not_cache_it(personas, client, analysis):
    calls, state = analysis
    client.force_login(personas.fiona)
    url = reverse("reports:report", kwargs={"network": personas.network.slug, "year": 2015})
    first = client.get(url)
    assert first.status_code == 200
    assert b'id="report-pending"' in first.content
    assert b'http-equiv="refresh"' in first.content
    state["ready"] = True
    second = client.get(url)
    assert calls == [True, True], "the pending report was not served from the cache"
    assert b'id="report-pending"' not in second.content
    assert not second.context["report"].pending


def test_a_download_waits_for_the_analysis(personas, client, analysis):
    calls, _state = analysis
    client.force_login(personas.fiona)
    url = reverse(
        "reports:download",
        kwargs={"network": personas.network.slug, "year": 2015, "fmt": "html"},
    )
    response = client.get(url)
    assert response.status_code == 200
    assert calls == [False]
    assert b"being computed" not in response.content
