"""The demo's reports: the water network's template, the learning notes, the learning team.

The demo is loaded once for the module inside a transaction rolled back at the end.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation

from netweave.demo.reports import LEARNING_TEAM, load_reports
from netweave.demo.services import load_demo
from netweave.networks.models import Network, Role
from netweave.reports import services
from netweave.reports.models import LearningNote, ReportTemplate
from netweave.reports.permissions import is_programme_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        result = load_demo()
        yield result
        transaction.set_rollback(True)


def test_water_template_renames_moves_and_words(demo):
    water = Network.objects.get(slug="water-sanitation")
    template = ReportTemplate.objects.get(network=water)
    plan = [(t.key, heading) for t, heading, _text in services.planned_sections(template)]
    assert plan[0] == ("membership", "Who the network brings together")
    assert plan[1][0] == "outcomes"
    assert plan[2][0] == "meetings"
    assert len(plan) == len({key for key, _heading in plan}) == 9
    assert not ReportTemplate.objects.exclude(network=water).exists()


def test_water_report_of_2015_fills_the_words_with_its_figures(demo):
    water = Network.objects.get(slug="water-sanitation")
    with translation.override("en"):
        report = services.build_report(water, 2015, only=["membership", "meetings"])
        membership = report.section("membership")
        total = services.format_value(membership.figure("members_total").value)
        joined = services.format_value(membership.figure("members_joined").value)
    assert report.title == f"{water.name}: annual report 2015"
    assert report.introduction.startswith(f"In 2015 the network counted {total} member")
    assert "{" not in report.introduction
    assert membership.heading == "Who the network brings together"
    assert membership.text.startswith(f"{joined} organisations joined during the year")
    assert report.section("meetings").text.endswith("a meeting.")
    assert "{" not in report.section("meetings").text


def test_learning_notes_of_both_networks(demo):
    notes = {
        (n.network.slug, n.year): n
        for n in LearningNote.objects.select_related("network", "author").prefetch_related("topics")
    }
    assert set(notes) == {
        ("water-sanitation", 2015),
        ("water-sanitation", 2016),
        ("food-security", 2016),
    }
    assert notes[("water-sanitation", 2015)].author.username == "facilitator"
    assert notes[("food-security", 2016)].author.username == "food-facilitator"
    assert "World Bank" in notes[("water-sanitation", 2015)].context
    assert "coffee" in notes[("food-security", 2016)].title.lower()
    for note in notes.values():
        assert note.lessons and note.what_worked and note.topics.exists()


def test_programme_user_is_in_the_learning_team_with_no_role(demo):
    user = get_user_model().objects.get(username="programme")
    assert user.check_password("netweave-demo")
    assert list(user.groups.values_list("name", flat=True)) == [LEARNING_TEAM]
    assert user.has_perm("reports.compare_networks")
    assert is_programme_staff(user)
    assert not user.is_staff
    assert not Role.objects.filter(user=user).exists()
    described = next(u for u in demo.users if u.username == "programme")
    assert described.roles == [LEARNING_TEAM]


def test_loading_again_adds_nothing(demo):
    counts = (ReportTemplate.objects.count(), LearningNote.objects.count())
    assert load_reports() == {"templates": 0, "notes": 0, "team": 0}
    assert (ReportTemplate.objects.count(), LearningNote.objects.count()) == counts


def test_an_edited_template_is_left_as_it_is(demo):
    water = Network.objects.get(slug="water-sanitation")
    ReportTemplate.objects.filter(network=water).update(introduction="Our own words")
    load_reports()
    assert ReportTemplate.objects.get(network=water).introduction == "Our own words"
