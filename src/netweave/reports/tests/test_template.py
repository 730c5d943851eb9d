"""The report template editor: wording, sections in order, placeholders checked, all or nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from netweave.reports.models import ReportSection, ReportTemplate
from netweave.reports.tests.test_views import MEMBER_LABEL, install_fake_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_sections(monkeypatch):
    install_fake_sections(monkeypatch)


def url(personas, name: str = "reports:template", **kwargs: Any) -> str:
    return reverse(name, kwargs={"network": personas.network.slug, **kwargs})


def post_data(sections: list[dict[str, Any]], **wording: str) -> dict[str, Any]:
    """The editor's form as the browser sends it: wording, then one form per section."""
    data = {
        "title": wording.get("title", ""),
        "introduction": wording.get("introduction", ""),
        "closing": wording.get("closing", ""),
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": str(len(sections)),
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    for index, section in enumerate(sections):
        for name, value in section.items():
            if name == "enabled":
                if value:
                    data[f"sections-{index}-enabled"] = "on"
            else:
                data[f"sections-{index}-{name}"] = str(value)
    return data


def members(**kwargs: Any) -> dict[str, Any]:
    return {"key": "members", "enabled": True, "position": 1, "heading": "", "text": ""} | kwargs


def money(**kwargs: Any) -> dict[str, Any]:
    return {"key": "money", "enabled": True, "position": 2, "heading": "", "text": ""} | kwargs


def test_editor_lists_every_section_with_its_placeholders(personas, client, fake_sections):
    client.force_login(personas.fiona)
    page = client.get(url(personas)).text
    assert page.index('id="section-members"') < page.index('id="section-money"')
    assert "{members_total}" in page and MEMBER_LABEL in page
    assert "{cofinancing}" in page and "Co-financing" in page


def test_saving_moves_renames_fills_and_leaves_out(personas, client, fake_sections):
    """Money first under a new heading; members with a text naming its figure; then the report."""
    client.force_login(personas.fiona)
    data = post_data(
        [
            members(position=2, text="We counted {members_total} members."),
            money(position=1, heading="Who paid"),
        ],
        title="{network} in {year}",
        introduction="A year of work.",
        closing="Thanks to all.",
    )
    response = client.post(url(personas), data)
    assert response.status_code == 302
    assert response["Location"] == url(personas)
    template = ReportTemplate.objects.get(network=personas.network)
    assert (template.title, template.introduction, template.closing) == (
        "{network} in {year}",
        "A year of work.",
        "Thanks to all.",
    )
    rows = {s.key: (s.position, s.enabled, s.heading, s.text) for s in template.sections.all()}
    assert rows == {
        "members": (2, True, "", "We counted {members_total} members."),
        "money": (1, True, "Who paid", ""),
    }
    with translation.override("en"):
        report = client.get(url(personas, "reports:report", year=2015)).context["report"]
    assert report.title == "Test network in 2015"
    assert [s.key for s in report.sections] == ["money", "members"]
    assert report.sections[0].heading == "Who paid"
    assert report.sections[1].text == "We counted 2 members."

    # Leaving money out: the editor still lists it, the report does not.
    client.post(url(personas), post_data([members(), money(enabled=False)]))
    with translation.override("en"):
        report = client.get(url(personas, "reports:report", year=2015)).context["report"]
    assert [s.key for s in report.sections] == ["members"]
    assert 'id="section-money"' in client.get(url(personas)).text


def test_an_unknown_placeholder_is_refused_and_nothing_is_saved(personas, client, fake_sections):
    client.force_login(personas.fiona)
    data = post_data(
        [members(text="We counted {members} members."), money(heading="Renamed")],
        introduction="Changed",
    )
    response = client.post(url(personas), data)
    assert response.status_code == 200
    assert "Unknown figure {members}. Available: {members_total}." in response.text
    assert "Nothing was saved" in response.text
    assert not ReportTemplate.objects.exists()
    assert not ReportSection.objects.exists()


@pytest.mark.parametrize(
    "wording,sections,message",
    [
        ({"title": "Report {date}"}, None, "Unknown figure {date}. Available: {network}, {year}."),
        ({}, [members(text="Unbalanced {members_total")], "Unbalanced braces"),
        ({}, [members(position=0)], "greater than or equal to 1"),
        ({}, [members(), members()], "Every report section must be listed once"),
        ({}, [members(), money(key="nonsense")], "There is no report section"),
    ],
)
def test_bad_input_gets_a_specific_message(
    personas, client, fake_sections, wording, sections, message
):
    client.force_login(personas.fiona)
    ReportTemplate.objects.create(network=personas.network, introduction="Before")
    response = client.post(url(personas), post_data(sections or [members(), money()], **wording))
    assert response.status_code == 200
    assert message in response.text
    assert ReportTemplate.objects.get().introduction == "Before"


def test_only_facilitators_save(personas, client, fake_sections):
    for user, status in ((personas.sam, 403), (personas.alice, 403), (personas.charlie, 404)):
        client.force_login(user)
        response = client.post(url(personas), post_data([members(), money()], title="Mine"))
        assert response.status_code == status
    assert not ReportTemplate.objects.exists()


def test_the_form_needs_its_csrf_token(personas, fake_sections):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.fiona)
    assert client.post(url(personas), post_data([members(), money()])).status_code == 403
    page = client.get(url(personas))
    token = page.cookies["csrftoken"].value
    data = post_data([members(), money()]) | {"csrfmiddlewaretoken": token}
    assert client.post(url(personas), data).status_code == 302


def test_introduction_and_closing_name_the_network_the_year_and_any_figure(
    personas, client, fake_sections
):
    client.force_login(personas.fiona)
    data = post_data(
        [members(), money()],
        introduction="In {year}, {network} counted {members_total} members.",
        closing="Co-financing: {cofinancing}.",
    )
    assert client.post(url(personas), data).status_code == 302
    with translation.override("en"):
        report = client.get(url(personas, "reports:report", year=2015)).context["report"]
    assert report.introduction == "In 2015, Test network counted 2 members."
    assert report.closing == "Co-financing: 1,500."
    refused = client.post(url(personas), post_data([members(), money()], closing="{total}"))
    assert "Unknown figure {total}." in refused.text
