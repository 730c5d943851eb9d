from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from netweave.activities import services
from netweave.activities.models import JointActivity, Participation
from netweave.directory.tests.factories import TopicFactory


def _url(personas, **params) -> str:
    return reverse("activities:list", kwargs={"network": personas.network.slug})


@pytest.fixture
def two(personas):
    topic = TopicFactory(name="Tariffs", slug="tariffs")
    a = services.create_activity(
        personas.network,
        kind="research",
        title="Tariff study",
        start=dt.date(2011, 3, 1),
        end=dt.date(2012, 6, 1),
        status="completed",
        lead=personas.org_a,
        topics=[topic],
    )
    b = services.create_activity(
        personas.network,
        kind="training",
        title="Operator training",
        start=dt.date(2014, 1, 1),
        lead=personas.org_b,
    )
    return a, b


def test_members_see_the_list(client, personas, two):
    """A member sees every activity of the network with its lead."""
    client.force_login(personas.olga)
    response = client.get(_url(personas))
    assert response.status_code == 200
    assert "Tariff study" in response.text and "Operator training" in response.text
    assert "Alpha Water Institute" in response.text


def test_outsider_is_refused(client, personas, two):
    """Someone without a role in a members-only network gets 404."""
    client.force_login(personas.charlie)
    assert client.get(_url(personas)).status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=training", ["Operator training"]),
        ("status=completed", ["Tariff study"]),
        ("topic=tariffs", ["Tariff study"]),
        ("organisation=bm", ["Operator training"]),
        ("year=2012", ["Tariff study"]),
        ("year=2015", ["Operator training"]),
        ("year=2010", []),
    ],
)
def test_filters(client, personas, two, query, expected):
    """Each filter narrows the list to the matching activities."""
    client.force_login(personas.olga)
    response = client.get(_url(personas) + "?" + query)
    titles = [a.title for a in response.context["activities"]]
    assert titles == expected


def test_organisation_page_shows_its_activities_only(client, personas, two):
    """``?organisation=<slug>`` is the organisation's activities page, named in the heading."""
    client.force_login(personas.olga)
    response = client.get(_url(personas) + "?organisation=awi")
    assert "Joint activities of Alpha Water Institute" in response.text
    assert [a.title for a in response.context["activities"]] == ["Tariff study"]


def test_query_count_is_constant(client, personas, django_assert_num_queries):
    """The list takes as many queries with 10 activities as with 500."""
    client.force_login(personas.olga)

    def build(n: int) -> None:
        made = JointActivity.objects.bulk_create(
            JointActivity(network=personas.network, kind="research", title=f"A{i}")
            for i in range(n)
        )
        Participation.objects.bulk_create(
            Participation(activity=a, organisation=personas.org_a, role="lead") for a in made
        )

    build(10)
    # 9 queries: network, session, user, roles, the filter form's topics and organisations,
    # activities (with task group), their topics, their participations (with organisations).
    cache.clear()  # the page built afresh, as after a change
    with django_assert_num_queries(9):
        assert client.get(_url(personas)).status_code == 200
    build(490)
    cache.clear()  # the page built afresh, as after a change
    with django_assert_num_queries(9):
        response = client.get(_url(personas))
    assert len(response.context["activities"]) == 500
