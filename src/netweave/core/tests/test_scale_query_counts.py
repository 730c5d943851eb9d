"""The page benchmark scaled down for CI: its pages on 2,000 organisations, counted not timed.

``seed_scale`` loads one network of 2,000 organisations (10,000 people, 1,000 meetings,
20,000 attendance records); every page the benchmark measures must answer with fewer than
20 queries and no more than on a network twenty times smaller (large enough that the
search and the filters find something there too).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from netweave.core.tests.test_query_counts import LIMIT, measure
from netweave.demo.scale import bench_pages, seed_scale

pytestmark = pytest.mark.slow

LARGE = {"orgs": 2000, "people": 10000, "meetings": 1000, "attendance": 20000}
SMALL = {"orgs": 100, "people": 500, "meetings": 50, "attendance": 1000}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        seed_scale(**LARGE, prefix="ci2000", focal_points=2, seed=2)
        seed_scale(**SMALL, prefix="ci100", focal_points=2, seed=2)
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_benchmark_pages_stay_under_twenty_queries(seeded):
    """Each benchmark page: under 20 queries on 2,000 organisations, as many as on 100."""
    counts: dict[str, dict[str, int]] = {}
    for prefix in ("ci100", "ci2000"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=f"{prefix}-facilitator"))
        for name, url in bench_pages(f"{prefix}-1"):
            counts.setdefault(name, {})[prefix] = measure(client, url)
    too_many = {name: c for name, c in counts.items() if c["ci2000"] >= LIMIT}
    growing = {name: c for name, c in counts.items() if c["ci2000"] > c["ci100"]}
    assert not too_many, too_many
    assert not growing, growing
