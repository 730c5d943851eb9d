"""Cached parts of pages and API lists: fresh after every change, never shared between users."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from netweave.directory.models import Organisation, PersonInterest, Sector, Topic
from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, TopicFactory
from netweave.networks import stats
from netweave.networks.models import Membership, Network
from netweave.networks.tests.factories import MembershipFactory, RoleFactory

pytestmark = pytest.mark.django_db


def directory(personas) -> str:
    return reverse("directory:organisation_list", kwargs={"network": personas.network.slug})


def people(personas) -> str:
    return reverse("directory:person_list", kwargs={"network": personas.network.slug})


def profile(personas, org) -> str:
    return reverse(
        "directory:organisation_detail", kwargs={"network": personas.network.slug, "slug": org.slug}
    )


def without_tokens(response) -> str:
    """The page less the layout's CSRF tokens, which are new at every request."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.text)


def queries(client, url: str, **params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return response, len(context.captured_queries)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


# The tag ---------------------------------------------------------------------------------------
TAG = Template('{% load netweave %}{% cached_part "t" %}{{ value }}{% endcached_part %}')


def test_a_part_without_a_page_key_is_never_cached():
    assert TAG.render(Context({"value": "one"})) == "one"
    assert TAG.render(Context({"value": "two"})) == "two"


def test_a_part_is_read_back_under_its_key_and_only_there():
    assert TAG.render(Context({"value": "one", "page_key": "k1"})) == "one"
    assert TAG.render(Context({"value": "two", "page_key": "k1"})) == "one"
    assert TAG.render(Context({"value": "two", "page_key": "k2"})) == "two"


def test_a_part_holding_a_csrf_token_is_refused():
    template = Template(
        '{% load netweave %}{% cached_part "form" %}<form method="post">{% csrf_token %}'
        "</form>{% endcached_part %}"
    )
    with pytest.raises(ImproperlyConfigured, match="CSRF"):
        template.render(Context({"page_key": "k", "csrf_token": "secret"}))


# The data version ------------------------------------------------------------------------------
def test_every_model_of_the_project_is_watched_but_bookkeeping():
    labels = {model._meta.label for model in stats.watched_models()}
    for label in ("directory.OrganisationInterest", "governance.Seat", "meetings.AgendaItem"):
        assert label in labels
    for label in stats.UNWATCHED:
        assert label not in labels
    assert not any(label.split(".")[1].startswith("Historical") for label in labels)


def test_a_topic_or_sector_change_bumps_every_network(personas):
    before = stats.data_version(personas.network), stats.data_version(personas.other_network)
    Topic.objects.create(name="Brand new", slug="brand-new")
    after = stats.data_version(personas.network), stats.data_version(personas.other_network)
    assert before[0] != after[0] and before[1] != after[1]
    sector = Sector.objects.first()
    sector.name = "Renamed"
    sector.save()
    assert stats.data_version(personas.network) != after[0]


def test_an_interest_bumps_only_the_networks_of_its_organisation(personas):
    first, second = TopicFactory(), TopicFactory()  # new topics bump every network
    ours, theirs = stats.data_version(personas.network), stats.data_version(personas.other_network)
    PersonInterest.objects.create(person=personas.person_a, topic=first, level=1)
    assert stats.data_version(personas.network) != ours
    assert stats.data_version(personas.other_network) == theirs
    ours = stats.data_version(personas.network)
    personas.org_a.topics.add(second)
    assert stats.data_version(personas.network) != ours
    assert stats.data_version(personas.other_network) == theirs


def test_a_membership_bumps_every_network_of_the_organisation(personas):
    """An organisation's list entry names its networks, so joining one changes them all."""
    theirs = stats.data_version(personas.other_network)
    third = Network.objects.create(name="Third", slug="third")
    theirs = stats.data_version(personas.other_network)
    MembershipFactory(network=personas.other_network, organisation=personas.org_a)
    ours = stats.data_version(personas.network)
    assert stats.data_version(personas.other_network) != theirs
    MembershipFactory(network=third, organisation=personas.org_a)
    assert stats.data_version(personas.network) != ours


def test_signing_in_bumps_nothing_but_a_name_change_does(personas):
    before = stats.data_version(personas.network)
    user = get_user_model().objects.get(pk=personas.fiona.pk)
    user.save(update_fields=["last_login"])  # what signing in saves
    assert stats.data_version(personas.network) == before
    user.first_name = "Fiona"
    user.save()
    assert stats.data_version(personas.network) != before


def test_a_change_bumps_again_when_its_transaction_commits(personas):
    """A page read between the change and its commit may not keep the old data."""
    personas.org_a.region = "Khatlon"
    personas.org_a.save()
    personas.other_network.aims = "Changed"
    personas.other_network.save()
    # one callback for the transaction (the test's own), whatever it changed
    level = set(connection.savepoint_ids)
    [callback] = [
        c
        for sids, c, _r in connection.run_on_commit
        if isinstance(c, stats.BumpOnCommit) and sids == level
    ]
    assert {personas.network.pk, stats.GLOBAL} <= callback.network_ids
    during = stats.data_version(personas.network)
    callback()
    assert stats.data_version(personas.network) != during


def test_processes_share_one_data_version_without_redis(tmp_path):
    """gunicorn's workers and the task worker see each other's changes: the cache is on disk."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "DATABASE_URL", "NETWEAVE_TESTING")
    }
    env.update(NETWEAVE_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="netweave.settings")
    script = (
        "import django, sys; django.setup()\n"
        "from django.conf import settings\n"
        "from netweave.networks import stats\n"
        "assert 'FileBasedCache' in settings.CACHES['default']['BACKEND']\n"
        "if sys.argv[1] == 'bump': stats.bump_data_version(7)\n"
        "print(stats.data_version(7))\n"
    )

    def run(*args: str) -> str:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script, *args],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(tmp_path),
        )
        return done.stdout.strip()

    first = run("read")
    assert run("read") == first
    bumped = run("bump")
    assert bumped != first
    assert run("read") == bumped


# Pages -----------------------------------------------------------------------------------------
def test_directory_is_read_from_the_cache_until_the_data_changes(personas, client):
    client.force_login(personas.fiona)
    first, misses = queries(client, directory(personas))
    second, hits = queries(client, directory(personas))
    assert without_tokens(second) == without_tokens(first)
    # session, user, network, roles: nothing of the directory itself
    assert hits <= 4 < misses
    personas.org_a.name = "Alpha Water Academy"
    personas.org_a.save()
    third, _ = queries(client, directory(personas))
    assert "Alpha Water Academy" in third.text


def test_a_cached_directory_changes_with_its_query_and_language(personas, client):
    client.force_login(personas.fiona)
    everyone, _ = queries(client, directory(personas))
    found, _ = queries(client, directory(personas), q="Beta")
    assert "Alpha Water Institute" in everyone.text
    assert "Alpha Water Institute" not in found.text
    client.cookies["django_language"] = "ru"
    russian, _ = queries(client, directory(personas))
    assert russian.text != everyone.text


def test_a_topic_rename_shows_in_a_cached_directory(personas, client):
    topic = TopicFactory(name="Sanitation")
    personas.org_a.topics.add(topic)
    client.force_login(personas.fiona)
    assert "Sanitation" in queries(client, directory(personas))[0].text
    topic.name = "Hygiene"
    topic.save()
    assert "Hygiene" in queries(client, directory(personas))[0].text


def test_users_never_share_a_cached_page(personas, client):
    """The facilitator sees an unlisted person; the observer, asking next, must not."""
    PersonFactory(name="Quiet Quentin", organisation=personas.org_a, consent_listed=False)
    client.force_login(personas.fiona)
    assert "Quiet Quentin" in queries(client, people(personas))[0].text
    assert "Quiet Quentin" in queries(client, profile(personas, personas.org_a))[0].text
    client.force_login(personas.olga)
    assert "Quiet Quentin" not in queries(client, people(personas))[0].text
    assert "Quiet Quentin" not in queries(client, profile(personas, personas.org_a))[0].text


def test_a_lost_role_is_not_answered_from_the_cache(personas, client, api):
    """The network is for members only: once the observer's role is gone, so is the page."""
    assert personas.network.visibility == "members"
    client.force_login(personas.olga)
    queries(client, directory(personas))
    api.force_login(personas.olga)
    assert api.get("/api/v1/organisations/", {"network": "testnet"}).status_code == 200
    personas.olga.network_roles.all().delete()
    assert client.get(directory(personas)).status_code == 404
    assert api.get("/api/v1/organisations/", {"network": "testnet"}).status_code == 400


def test_the_profile_shows_a_new_person_at_once(personas, client):
    client.force_login(personas.fiona)
    queries(client, profile(personas, personas.org_a))
    PersonFactory(name="Newly Arrived", organisation=personas.org_a)
    assert "Newly Arrived" in queries(client, profile(personas, personas.org_a))[0].text


# API lists -------------------------------------------------------------------------------------
def test_api_lists_are_cached_per_user_and_fresh_after_a_change(personas, api):
    PersonFactory(name="Quiet Quentin", organisation=personas.org_a, consent_listed=False)
    api.force_login(personas.fiona)
    params = {"network": personas.network.slug}
    # the first answer for a network not seen lately is not cached: its id is learnt then
    queries(api, "/api/v1/people/", **params)
    first, misses = queries(api, "/api/v1/people/", **params)
    second, hits = queries(api, "/api/v1/people/", **params)
    assert second.json() == first.json()
    assert hits <= 2 < misses  # session and user
    assert "Quiet Quentin" in {row["name"] for row in first.json()["results"]}
    api.force_login(personas.olga)
    names = {row["name"] for row in queries(api, "/api/v1/people/", **params)[0].json()["results"]}
    assert "Quiet Quentin" not in names
    PersonFactory(name="Newly Arrived", organisation=personas.org_b)
    names = {row["name"] for row in queries(api, "/api/v1/people/", **params)[0].json()["results"]}
    assert "Newly Arrived" in names


def test_an_api_list_of_a_network_one_may_not_read_is_refused_every_time(personas, api):
    api.force_login(personas.fiona)
    assert api.get("/api/v1/organisations/", {"network": "othernet"}).status_code == 400
    api.force_login(personas.frank)
    assert api.get("/api/v1/organisations/", {"network": "othernet"}).status_code == 200
    api.force_login(personas.fiona)
    assert api.get("/api/v1/organisations/", {"network": "othernet"}).status_code == 400
    api.force_login(personas.charlie)
    assert api.get("/api/v1/organisations/", {"network": "testnet"}).status_code in (200, 400)


def test_an_organisation_joining_another_network_shows_in_a_cached_api_list(personas, api):
    api.force_login(personas.frank)
    RoleFactory(user=personas.frank, network=personas.network, kind="facilitator")
    params = {"network": personas.network.slug}
    rows = queries(api, "/api/v1/organisations/", **params)[0].json()["results"]
    assert {row["slug"]: row["networks"] for row in rows}["awi"] == ["testnet"]
    MembershipFactory(network=personas.other_network, organisation=personas.org_a)
    rows = queries(api, "/api/v1/organisations/", **params)[0].json()["results"]
    assert sorted({row["slug"]: row["networks"] for row in rows}["awi"]) == [
        "othernet",
        "testnet",
    ]


def test_a_renamed_network_slug_is_not_taken_for_its_old_network(personas, api):
    api.force_login(personas.fiona)
    assert api.get("/api/v1/organisations/", {"network": "testnet"}).status_code == 200
    Network.objects.filter(pk=personas.network.pk).update(slug="renamed")
    network = Network.objects.get(pk=personas.network.pk)
    network.save()  # the signal: a network's change is installation-wide
    other = Network.objects.create(name="New test", slug="testnet")
    MembershipFactory(
        network=other,
        organisation=OrganisationFactory(name="Gamma Guild", slug="gamma"),
    )
    RoleFactory(user=personas.fiona, network=other, kind="facilitator")
    rows = api.get("/api/v1/organisations/", {"network": "testnet"}).json()["results"]
    assert [row["slug"] for row in rows] == ["gamma"]
    assert not Organisation.objects.filter(slug="gamma", memberships__network=network).exists()
    assert Membership.objects.filter(network=other).count() == 1
