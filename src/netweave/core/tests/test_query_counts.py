"""Every list and detail page, and every API list, costs the same queries whatever the data size.

Two networks are seeded with ``seed_scale``, one five times the other (organisations,
people, meetings, attendance); each page is read in both by that network's facilitator and
must make no more queries in the larger one, and fewer than ``LIMIT``. Pages whose app has
its own query-count tests are measured here too, on these more realistic data.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from netweave.core.versions import GLOBAL, bump_data_version
from netweave.demo.scale import bench_pages, seed_scale
from netweave.directory.models import Organisation, Person
from netweave.meetings.models import Meeting
from netweave.networks.models import Membership

LIMIT = 20
# Apps whose API is still being built are left to their own tests.
NEW_APPS = ("library", "consultations", "influence", "surveys", "analysis", "reports")
SMALL = {"orgs": 8, "people": 30, "meetings": 6, "attendance": 50}
LARGE = {key: value * 5 for key, value in SMALL.items()}


def api_lists() -> list[str]:
    from netweave.api import router

    return sorted(
        prefix
        for prefix, viewset, _basename in router.registry
        if viewset.__module__.split(".")[1] not in NEW_APPS and hasattr(viewset, "list")
    )


def more_pages(slug: str) -> list[tuple[str, str]]:
    """Pages beyond the benchmark's: member record, minutes, governance, overviews."""
    members = Membership.objects.filter(network__slug=slug).values("organisation_id")
    organisation = (
        Organisation.objects.filter(id__in=members)
        .annotate(staff=Count("people"))
        .order_by("-staff", "pk")
        .first()
    )
    person = Person.objects.filter(organisation=organisation).order_by("pk").first()
    meeting = (
        Meeting.objects.filter(network__slug=slug)
        .annotate(present=Count("attendance"))
        .order_by("-present", "pk")
        .first()
    )
    base = f"/networks/{slug}"
    return [
        ("home", "/"),
        ("members", f"{base}/members/"),
        ("member record", f"{base}/members/{organisation.slug}/"),
        ("roles", f"{base}/roles/"),
        ("person", f"{base}/people/{person.uid}/"),
        ("minutes", f"{base}/meetings/{meeting.uid}/minutes/"),
        ("agenda, printable", f"{base}/meetings/{meeting.uid}/agenda/print/"),
        ("check-in", f"{base}/meetings/{meeting.uid}/checkin/"),
        ("action board", f"{base}/meetings/actions/"),
        ("agenda offers", f"{base}/meetings/offers/"),
        ("task groups", f"{base}/governance/"),
        ("member requests", f"{base}/governance/requests/"),
        ("bodies", f"{base}/governance/bodies/"),
        ("activities", f"{base}/activities/"),
        ("co-financing", f"{base}/activities/cofinancing/"),
        ("partnerships", f"{base}/partnerships/"),
        ("partnerships by sector", f"{base}/partnerships/by-sector/"),
        ("arrangement types", f"{base}/partnerships/arrangement-types/"),
        ("imports", f"{base}/imports/"),
        *[(f"API {prefix}", f"/api/v1/{prefix}/?network={slug}") for prefix in api_lists()],
    ]


def all_pages(slug: str) -> list[tuple[str, str]]:
    named = dict(bench_pages(slug))
    for name, url in more_pages(slug):
        named.setdefault(name, url)
    return list(named.items())


def measure(client: Client, url: str) -> int:
    """The queries of ``url`` just after a change: nothing derived from data is cached.

    Pages seen again come from their cached parts (``core.pagecache``) with a few queries;
    what counts is the page built afresh, after any change of the data, here of the
    installation's (which every network's version includes).
    """
    client.get(url)  # what is not data (an API list learns its network's id)
    bump_data_version(GLOBAL)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(context.captured_queries)


@pytest.fixture(scope="module")
def networks(django_db_setup, django_db_blocker):
    """Two seeded networks, built once for the module and removed at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_scale(**SMALL, prefix="qsmall", focal_points=2, seed=1)
        seed_scale(**LARGE, prefix="qlarge", focal_points=2, seed=1)
        yield {
            "small": ("qsmall-1", "qsmall-facilitator"),
            "large": ("qlarge-1", "qlarge-facilitator"),
        }
        transaction.set_rollback(True)


PAGE_NAMES = [
    "floor (about)",
    "network home",
    "directory",
    "directory filtered, page 2",
    "directory search",
    "people",
    "organisation",
    "meetings list",
    "meetings month",
    "meeting",
    "person",
    "home",
    "members",
    "member record",
    "roles",
    "minutes",
    "agenda, printable",
    "check-in",
    "action board",
    "agenda offers",
    "task groups",
    "member requests",
    "bodies",
    "activities",
    "co-financing",
    "partnerships",
    "partnerships by sector",
    "arrangement types",
    "imports",
]


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGE_NAMES + [f"API {p}" for p in api_lists()])
def test_queries_do_not_grow_with_the_data(networks, name):
    """The page makes no more queries with five times the data, and fewer than twenty."""
    counts = {}
    for size, (slug, username) in networks.items():
        pages = dict(all_pages(slug))
        assert name in pages, f"{name} has no address in {slug}"
        counts[size] = measure(_client(username), pages[name])
    assert counts["large"] <= counts["small"], counts
    assert counts["large"] < LIMIT, counts


def test_every_benchmarked_page_is_checked():
    """The benchmark's pages are all in this module's list."""
    from netweave.demo.scale import API_LISTS

    assert {f"API {prefix}" for prefix in API_LISTS} <= set(f"API {p}" for p in api_lists())
