"""The report API: the computed report as JSON, and the template read and replaced."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from netweave.reports.models import ReportTemplate
from netweave.reports.tests.test_views import EXPECTED, MEMBER_LABEL, install_fake_sections

pytestmark = pytest.mark.django_db

REPORT = "/api/v1/networks/testnet/reports/2015/"
TEMPLATE = "/api/v1/networks/testnet/report-template/"


@pytest.fixture
def fake_sections(monkeypatch):
    install_fake_sections(monkeypatch)


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_who_reads_the_report_and_its_template(personas, fake_sections, role):
    """Same answers as the pages: facilitator and steering 200, other roles 403, no role 404."""
    client = api(personas.by_role()[role])
    assert client.get(REPORT).status_code == EXPECTED[role]
    assert client.get(TEMPLATE).status_code == EXPECTED[role]


def test_anonymous_callers_are_refused(personas, fake_sections):
    assert api(None).get(REPORT).status_code in (401, 403)


def test_report_shape(personas, fake_sections):
    """Two members at the end of 2015; the records only when asked for."""
    with translation.override("en"):
        body = api(personas.fiona).get(REPORT).json()
    assert {k: body[k] for k in ("network", "year", "title", "introduction", "closing")} == {
        "network": "testnet",
        "year": 2015,
        "title": "Annual report 2015",
        "introduction": "",
        "closing": "",
    }
    assert [s["key"] for s in body["sections"]] == ["members", "money"]
    members, money = body["sections"]
    assert members["figures"] == [
        {
            "key": "members_total",
            "label": MEMBER_LABEL,
            "value": 2,
            "unit": "",
            "note": "",
            "records_count": 2,
        }
    ]
    assert members["charts"] == [
        {
            "key": "growth",
            "title": "Growth",
            "kind": "bar",
            "categories": ["2015"],
            "series": {"Members": [2.0]},
            "unit": "",
        }
    ]
    assert money["figures"][0] == {
        "key": "cofinancing",
        "label": "Co-financing",
        "value": 1500,
        "unit": "EUR",
        "note": "demo",
        "records_count": None,
    }
    with_records = api(personas.sam).get(REPORT, {"records": "1"}).json()
    records = with_records["sections"][0]["figures"][0]["records"]
    assert records == {
        "title": "Members",
        "columns": ["Organisation", "Joined"],
        "rows": [["Alpha Water Institute", "2010-06-01"], ["Beta Ministry", "2010-06-01"]],
    }
    assert with_records["sections"][1]["figures"][0]["records"] is None


def test_report_queries_do_not_grow_with_the_members(personas, fake_sections):
    """6 queries: network, roles, years, template's time, template, the members section."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from netweave.networks.tests.factories import MembershipFactory

    fiona = type(personas.fiona).objects.get  # a fresh user: roles are cached on the object
    client = api(fiona(pk=personas.fiona.pk))
    cache.clear()  # the page built afresh, as after a change
    with CaptureQueriesContext(connection) as two:
        assert client.get(REPORT, {"records": "1"}).status_code == 200
    MembershipFactory.create_batch(30, network=personas.network)
    client = api(fiona(pk=personas.fiona.pk))
    cache.clear()  # the page built afresh, as after a change
    with CaptureQueriesContext(connection) as many:
        body = client.get(REPORT, {"records": "1"}).json()
    assert body["sections"][0]["figures"][0]["value"] == 32
    assert len(many.captured_queries) == len(two.captured_queries) == 6


def test_a_year_outside_the_network_life_is_404_with_the_range(personas, fake_sections):
    response = api(personas.fiona).get("/api/v1/networks/testnet/reports/2008/")
    assert response.status_code == 404
    assert "choose a year from 2009" in response.json()["detail"]


def test_template_reads_every_section_with_its_placeholders(personas, fake_sections):
    body = api(personas.sam).get(TEMPLATE).json()
    assert body["title"] == ""
    assert body["sections"][0] == {
        "key": "members",
        "enabled": True,
        "position": 1,
        "heading": "",
        "text": "",
        "default_heading": "Members",
        "placeholders": [{"key": "members_total", "label": MEMBER_LABEL}],
    }


def test_facilitator_replaces_the_template(personas, fake_sections):
    body = {
        "title": "{network} {year}",
        "introduction": "Hello",
        "closing": "",
        "sections": [
            {"key": "money", "position": 1, "heading": "Funds"},
            {"key": "members", "position": 2, "text": "{members_total} members"},
        ],
    }
    response = api(personas.fiona).put(TEMPLATE, body, format="json")
    assert response.status_code == 200
    assert [s["key"] for s in response.json()["sections"]] == ["money", "members"]
    with translation.override("en"):
        report = api(personas.fiona).get(REPORT).json()
    assert report["title"] == "Test network 2015"
    assert [(s["heading"], s["text"]) for s in report["sections"]] == [
        ("Funds", ""),
        ("Members", "2 members"),
    ]


def test_a_bad_template_is_400_and_nothing_is_saved(personas, fake_sections):
    body = {
        "title": "Fine",
        "sections": [
            {"key": "members", "position": 1, "text": "{members}"},
            {"key": "ghost", "position": 2},
        ],
    }
    response = api(personas.fiona).put(TEMPLATE, body, format="json")
    assert response.status_code == 400
    messages = " ".join(response.json()["sections"])
    assert "Unknown figure {members}. Available: {members_total}." in messages
    assert "There is no report section “ghost”." in messages
    assert not ReportTemplate.objects.exists()


def test_steering_may_not_replace_the_template(personas, fake_sections):
    response = api(personas.sam).put(TEMPLATE, {"title": "Mine"}, format="json")
    assert response.status_code == 403
    assert api(personas.charlie).put(TEMPLATE, {"title": "Mine"}, format="json").status_code == 404
    assert not ReportTemplate.objects.exists()
