"""Building a report: years, placeholders, and the template's order, headings and words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from netweave.networks.tests.factories import MembershipFactory, NetworkFactory
from netweave.reports import services
from netweave.reports.models import ReportSection, ReportTemplate
from netweave.reports.registry import section_types
from netweave.reports.report import Figure, Section

pytestmark = pytest.mark.django_db


def test_years_run_from_the_launch_to_this_year_newest_first():
    network = NetworkFactory(launched=dt.date(2012, 5, 1))
    assert services.report_years(network, today=dt.date(2015, 3, 1)) == [2015, 2014, 2013, 2012]


def test_an_earlier_membership_extends_the_years_back():
    network = NetworkFactory(launched=dt.date(2012, 5, 1))
    MembershipFactory(network=network, joined=dt.date(2010, 1, 1))
    assert services.report_years(network, today=dt.date(2011, 1, 1)) == [2011, 2010]


@pytest.mark.parametrize("year", ["20x5", "", None, "2009", "2999"])
def test_a_year_outside_the_network_life_is_refused_with_the_range(year):
    network = NetworkFactory(launched=dt.date(2012, 5, 1))
    with pytest.raises(ValidationError) as error:
        services.check_year(network, year)
    message = " ".join(error.value.messages)
    assert "2012" in message or "is not a year" in message


def test_a_year_in_range_is_returned_as_a_number():
    network = NetworkFactory(launched=dt.date(2012, 5, 1))
    assert services.check_year(network, "2013") == 2013


def test_fill_puts_formatted_figures_in_place_and_leaves_the_rest():
    with translation.override("en"):
        text = services.fill(
            "{members} members, {{braces}} kept, {unknown} left.", {"members": 12345}
        )
    assert text == "12,345 members, {braces} kept, {unknown} left."


def test_fill_never_reaches_attributes_or_items():
    """``str.format`` would read ``{x.__class__}``; placeholders are bare names only."""
    with pytest.raises(ValidationError):
        services.check_placeholders("{members.__class__}", ["members"])
    with pytest.raises(ValidationError):
        services.check_placeholders("{members[0]}", ["members"])


def test_unbalanced_braces_and_unknown_figures_get_specific_messages():
    with pytest.raises(ValidationError, match="Unbalanced braces"):
        services.check_placeholders("We grew to {members", ["members"])
    with pytest.raises(ValidationError, match=r"\{memebrs\}.*Available: \{members\}"):
        services.check_placeholders("We grew to {memebrs}", ["members"])
    services.check_placeholders("We grew to {members}; {{literal}}", ["members"])


@given(st.text(max_size=60))
def test_fill_never_raises_on_any_text(text):
    services.fill(text, {"a": 1})


def test_format_value_groups_thousands_and_rounds_shares():
    with translation.override("en"):
        assert services.format_value(1234567) == "1,234,567"
        assert services.format_value(12.345) == "12.3"
        assert services.format_value(0.5) == "0.50"
        assert services.format_value(None) == "–"
        assert services.format_value("text") == "text"


def _fake_types(monkeypatch, built: list[str]):
    def builder(key):
        def build(network, year):
            built.append(key)
            return Section(key=key, heading="x", figures=[Figure("n", "N", year)])

        return build

    types = [
        t.__class__(t.key, t.heading, t.order, t.figures, builder(t.key)) for t in section_types()
    ]
    monkeypatch.setattr(services, "section_types", lambda: types)
    return types


def test_without_a_template_every_section_appears_in_default_order(monkeypatch):
    built: list[str] = []
    types = _fake_types(monkeypatch, built)
    network = NetworkFactory()
    report = services.build_report(network, 2015)
    assert [s.key for s in report.sections] == [t.key for t in types]
    assert built == [t.key for t in types]
    assert report.title == "Annual report 2015"


def test_the_template_orders_hides_renames_and_words_sections(monkeypatch):
    built: list[str] = []
    types = _fake_types(monkeypatch, built)
    keys = [t.key for t in types]
    network = NetworkFactory(name="Water")
    template = ReportTemplate.objects.create(
        network=network, title="{network}: the year {year}", introduction="Hello"
    )
    ReportSection.objects.create(template=template, key=keys[-1], position=0, heading="First")
    ReportSection.objects.create(template=template, key=keys[0], enabled=False)
    ReportSection.objects.create(
        template=template, key=keys[1], position=5, text="In {n} we met; {{n}}."
    )
    report = services.build_report(network, 2015)
    assert [s.key for s in report.sections] == [keys[-1], keys[1], *keys[2:-1]]
    assert keys[0] not in built, "a hidden section is not computed"
    assert report.sections[0].heading == "First"
    assert report.section(keys[1]).text == "In 2,015 we met; {n}."
    assert (report.title, report.introduction) == ("Water: the year 2015", "Hello")


def test_only_builds_the_sections_asked_for(monkeypatch):
    built: list[str] = []
    types = _fake_types(monkeypatch, built)
    report = services.build_report(NetworkFactory(), 2015, only=[types[2].key])
    assert [s.key for s in report.sections] == [types[2].key] == built
