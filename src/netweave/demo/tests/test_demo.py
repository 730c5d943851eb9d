"""The demo networks: `netweave demo` and ``load_demo``.

The demo is loaded once for the module, inside a transaction that is rolled back when the
module is done, so other test modules never see it. Each test runs in a savepoint inside
that transaction and may change the demo freely.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models, transaction

from netweave.core.access import get_access
from netweave.demo.data import DEMO_PASSWORD, USERS
from netweave.demo.services import load_demo
from netweave.directory.models import Organisation, Person, Relationship, Topic
from netweave.networks.models import Membership, Network, Representation, Role

pytestmark = pytest.mark.django_db

LATEST_ALLOWED = dt.date(2026, 11, 1)
EXPECTED_ROLES = {
    "admin": set(),
    "facilitator": {
        ("water-sanitation", "facilitator", None),
        ("food-security", "facilitator", None),
    },
    "steering": {("water-sanitation", "steering", None)},
    "focal": {("water-sanitation", "focal_point", "Ministry of Energy and Water Resources")},
    "focal-ngo": {("water-sanitation", "focal_point", "Public Organisation «Obi Pok»")},
    "observer": {("water-sanitation", "observer", None)},
    "food-facilitator": {("food-security", "facilitator", None)},
    "programme": set(),
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        result = load_demo()
        yield result
        transaction.set_rollback(True)


def demo_tables() -> list[type[models.Model]]:
    """Every model of the apps the demo writes to, history tables included."""
    labels = ("auth", "networks", "directory")
    return [model for model in apps.get_models() if model._meta.app_label in labels]


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in demo_tables()}


def test_first_load_creates_both_networks(demo):
    """The first run creates both networks and reports how long it took (timed in bench/)."""
    assert demo.created == ["water-sanitation", "food-security"]
    assert demo.skipped == []
    assert demo.seconds > 0


def test_networks_have_their_stages_and_milestones(demo):
    """Both networks are recognised, with the four dated steps that got them there."""
    water = Network.objects.get(slug="water-sanitation")
    food = Network.objects.get(slug="food-security")
    assert (water.country, water.visibility, water.launched) == (
        "TJ",
        "public",
        dt.date(2009, 11, 18),
    )
    assert water.name == (
        "Network of Stakeholder Organisations on Sustainable Water Supply and Sanitation"
    )
    assert (food.country, food.visibility) == ("AM", "members")
    assert water.stage == food.stage == "recognised"
    steps = {
        n.slug: [(m.stage, m.date.year, m.date.month) for m in n.milestones.all()]
        for n in (water, food)
    }
    assert steps["water-sanitation"] == [
        ("informal", 2009, 6),
        ("emerging", 2009, 11),
        ("formal", 2012, 3),
        ("recognised", 2013, 5),
    ]
    assert [(stage, year) for stage, year, _month in steps["food-security"]] == [
        ("informal", 2011),
        ("emerging", 2012),
        ("formal", 2014),
        ("recognised", 2016),
    ]


def test_water_network_grows_from_about_20_to_more_than_70(demo):
    """About 20 members at the end of 2009, at least 70 in at least 9 sectors by end 2015."""
    water = Network.objects.get(slug="water-sanitation")
    at_launch = Membership.objects.as_of(dt.date(2009, 12, 31)).filter(network=water)
    in_2015 = Membership.objects.as_of(dt.date(2015, 12, 31)).filter(network=water)
    assert 18 <= at_launch.count() <= 23
    assert in_2015.count() >= 70
    assert in_2015.values("organisation__sector").distinct().count() >= 9
    years = set(Membership.objects.filter(network=water).values_list("joined__year", flat=True))
    assert years == set(range(2009, 2017))
    assert Membership.objects.filter(network=water, left__isnull=False).count() >= 2


def test_food_network_members_span_the_stated_sectors(demo):
    """The food network has 25–35 members, farmer groups, women, finance, government, donors."""
    food = Network.objects.get(slug="food-security")
    current = Membership.objects.current().filter(network=food)
    assert 25 <= current.count() <= 35
    sectors = set(current.values_list("organisation__sector__slug", flat=True))
    assert {
        "farmer-group",
        "womens-organisation",
        "financial-services",
        "government",
        "donor",
    } <= sectors
    assert Person.objects.in_network(food).count() >= 40
    assert Relationship.objects.filter(network=food).count() >= 15


def test_water_directory_is_complete(demo):
    """Organisations have contacts, staff and a current representative; people have consent."""
    water = Network.objects.get(slug="water-sanitation")
    members = Organisation.objects.in_network(water)
    assert not members.filter(
        models.Q(website="")
        | models.Q(email="")
        | models.Q(phone="")
        | models.Q(description="")
        | models.Q(country="")
    ).exists()
    assert members.exclude(showcase="").count() >= 3
    assert members.filter(name__contains="«").exists()  # Cyrillic and typographic names
    people = Person.objects.in_network(water)
    assert people.count() >= 150
    assert people.filter(consent_listed=False).exists()
    assert people.filter(consent_listed=True).count() > people.count() * 0.8
    assert not people.filter(consent_listed=True, consent_date__isnull=True).exists()
    represented = set(
        Representation.objects.filter(
            network=water, kind="representative", end__isnull=True
        ).values_list("organisation_id", flat=True)
    )
    assert represented == set(members.values_list("id", flat=True))
    assert Representation.objects.filter(network=water, kind="alternate").exists()
    assert Relationship.objects.filter(network=water).count() >= 40
    assert Topic.objects.count() >= 13
    assert members.filter(interests__isnull=True).count() == 0


def test_ministry_seat_has_a_handover_history(demo):
    """The ministry's seat changed hands twice; each term starts when the last one ended."""
    water = Network.objects.get(slug="water-sanitation")
    terms = list(
        Representation.objects.filter(
            network=water, organisation__acronym="MEWR", kind="representative"
        ).order_by("start")
    )
    assert len(terms) == 3
    assert terms[0].end == terms[1].start and terms[1].end == terms[2].start
    assert terms[2].end is None


def test_no_date_lies_after_the_limit(demo):
    """Every date the demo writes is fixed and no later than 2026-11-01."""
    checks = [
        (Membership, ("joined", "left")),
        (Representation, ("start", "end")),
        (Relationship, ("start", "end")),
        (Person, ("consent_date",)),
        (apps.get_model("networks", "StageMilestone"), ("date",)),
    ]
    for model, names in checks:
        for name in names:
            latest = model.objects.aggregate(latest=models.Max(name))["latest"]
            assert latest is None or latest <= LATEST_ALLOWED, (model, name, latest)


@pytest.mark.parametrize("username", [spec.username for spec in USERS])
def test_demo_user_logs_in_with_the_stated_role(demo, client, username):
    """Each demo account signs in with the published password and holds its roles."""
    assert client.login(username=username, password=DEMO_PASSWORD)
    user = get_user_model().objects.get(username=username)
    roles = {
        (role.network.slug, role.kind, role.organisation.name if role.organisation else None)
        for role in Role.objects.filter(user=user).select_related("network", "organisation")
    }
    assert roles == EXPECTED_ROLES[username]
    assert user.is_superuser == (username == "admin")


def test_focal_point_acts_for_a_ministry_person(demo):
    """The focal account is a person of the ministry and may edit only the ministry."""
    focal = get_user_model().objects.get(username="focal")
    water = Network.objects.get(slug="water-sanitation")
    assert focal.person.organisation.acronym == "MEWR"
    access = get_access(focal, water)
    assert access.can_edit_organisation(focal.person.organisation)
    assert not access.can_edit_organisation(Organisation.objects.get(acronym="KMK"))
    assert not access.can_view_dashboards


def test_second_run_changes_nothing(demo):
    """Running the demo again creates no rows and changes no counts."""
    before = row_counts()
    result = load_demo()
    assert result.created == []
    assert result.skipped == ["water-sanitation", "food-security"]
    assert row_counts() == before


def test_deleted_network_is_rebuilt_without_duplicating_the_directory(demo):
    """A demo network that was deleted comes back; its organisations and people are reused."""
    Network.objects.filter(slug="food-security").delete()
    organisations, people = Organisation.objects.count(), Person.objects.count()
    result = load_demo()
    assert result.created == ["food-security"]
    assert Organisation.objects.count() == organisations
    assert Person.objects.count() == people
    food = Network.objects.get(slug="food-security")
    assert Membership.objects.current().filter(network=food).count() >= 25


def test_existing_account_keeps_its_own_password(demo):
    """An account named like a demo account keeps its password, and the table says so."""
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("a password of my own")
    admin.save()
    out = StringIO()
    call_command("demo", stdout=out)
    admin.refresh_from_db()
    assert admin.check_password("a password of my own")
    assert "own password, unchanged" in out.getvalue()


def test_command_prints_the_credentials(demo):
    """`netweave demo` prints every demo account with its password and roles."""
    out = StringIO()
    call_command("demo", stdout=out)
    lines = out.getvalue().splitlines()
    for spec in USERS:
        row = next(line for line in lines if line.split()[:1] == [spec.username])
        assert DEMO_PASSWORD in row
    text = out.getvalue()
    assert (
        "Focal point of Ministry of Energy and Water Resources (MEWR) in water-sanitation" in text
    )
    assert "Facilitator in food-security" in text
