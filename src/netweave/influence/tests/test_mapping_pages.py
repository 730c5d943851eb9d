"""Influence mapping pages: only facilitators and the steering committee find them."""

import datetime as dt

import pytest
from django.urls import reverse

from netweave.core.exports import build_dataset
from netweave.directory.tests.bulk import bulk_members
from netweave.influence import mapping
from netweave.influence.models import InfluenceAssessment, InfluenceGoal

pytestmark = pytest.mark.django_db


def make_goal(personas, title="Tariff methodology") -> InfluenceGoal:
    return mapping.create_goal(personas.network, title=title, acting_user=personas.fiona)


def assess(goal, org, influence, position, day):
    return mapping.record_assessment(
        goal,
        organisation=org,
        influence=influence,
        position=position,
        assessed_on=day,
        acting_user=None,
    )[0]


def urls(goal) -> list[str]:
    kwargs = {"network": goal.network.slug}
    return [
        reverse("influence:map_goal_list", kwargs=kwargs),
        reverse("influence:map_goal_detail", kwargs={**kwargs, "uid": goal.uid}),
        reverse("analysis:influence_paths", kwargs={**kwargs, "goal": goal.uid}),
    ]


def test_focal_points_and_observers_find_nothing(client, personas):
    """Political data: Alice, Bob and Olga get 404 on every mapping page and the export."""
    goal = make_goal(personas)
    assess(goal, personas.org_a, 4, -1, dt.date(2015, 1, 1))
    for user in (personas.alice, personas.bob, personas.olga, personas.charlie):
        client.force_login(user)
        for url in urls(goal):
            assert client.get(url).status_code == 404, (user, url)
        create = reverse("influence:map_goal_create", kwargs={"network": "testnet"})
        assert client.post(create, {"title": "Mine"}).status_code == 404
    export = reverse(
        "core:network_export",
        kwargs={"network": "testnet", "kind": "influence_assessments", "fmt": "csv"},
    )
    client.force_login(personas.alice)
    assert client.get(export).status_code in (403, 404)
    assert InfluenceGoal.objects.count() == 1


def test_steering_reads_but_cannot_write(client, personas):
    goal = make_goal(personas)
    client.force_login(personas.sam)
    for url in urls(goal)[:2]:
        assert client.get(url).status_code == 200
    assess_url = reverse("influence:map_assess", kwargs={"network": "testnet", "uid": goal.uid})
    data = {"organisation": "awi", "influence": "3", "position": "0", "assessed_on": "2015-01-01"}
    assert client.post(assess_url, data).status_code == 403
    assert not InfluenceAssessment.objects.exists()
    assert len(build_dataset("influence_assessments", personas.network, personas.sam)) == 0


def test_facilitator_creates_a_goal_and_assesses(client, personas):
    client.force_login(personas.fiona)
    create = reverse("influence:map_goal_create", kwargs={"network": "testnet"})
    response = client.post(create, {"title": "Draft water law", "description": "Adopted."})
    goal = InfluenceGoal.objects.get()
    assert response.status_code == 302
    assess_url = reverse("influence:map_assess", kwargs={"network": "testnet", "uid": goal.uid})
    data = {"organisation": "bm", "influence": "5", "position": "-1", "assessed_on": "2014-03-01"}
    assert client.post(assess_url, data).status_code == 302
    data.update(position="1", assessed_on="2015-03-01")
    assert client.post(assess_url, data).status_code == 302
    assert InfluenceAssessment.objects.filter(goal=goal).count() == 2
    response = client.get(assess_url + "?organisation=bm")
    assert response.context["form"].initial["position"] == 1


def test_bad_assessment_shows_the_message(client, personas):
    goal = make_goal(personas)
    client.force_login(personas.fiona)
    assess_url = reverse("influence:map_assess", kwargs={"network": "testnet", "uid": goal.uid})
    data = {"organisation": "bm", "influence": "5", "position": "0", "assessed_on": "2999-01-01"}
    response = client.post(assess_url, data)
    assert response.status_code == 400 and "in the future" in response.content.decode()
    data.update(organisation="nowhere", assessed_on="2015-01-01")
    assert client.post(assess_url, data).status_code == 400
    assert not InfluenceAssessment.objects.exists()


def test_goal_page_shows_grid_towers_and_who_moved(client, personas):
    """The charts' data, the accessible tables, and BM's move from −1 to 1."""
    goal = make_goal(personas)
    assess(goal, personas.org_b, 5, -1, dt.date(2014, 3, 1))
    assess(goal, personas.org_b, 5, 1, dt.date(2015, 3, 1))
    assess(goal, personas.org_a, 2, 2, dt.date(2015, 3, 1))
    client.force_login(personas.fiona)
    response = client.get(urls(goal)[1])
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="influence-grid"' in page and 'id="influence-towers"' in page
    assert "js/influence-map.js" in page and 'id="current-stances"' in page
    [moved] = response.context["moved"]
    assert (moved.name, moved.previous.position, moved.current.position) == (
        "Beta Ministry (BM)",
        -1,
        1,
    )
    assert "−1" in page or "-1 → +1" in page
    assert (
        reverse("analysis:influence_paths", kwargs={"network": "testnet", "goal": goal.uid}) in page
    )


def test_facilitator_removes_a_mistaken_assessment(client, personas):
    goal = make_goal(personas)
    assess(goal, personas.org_b, 5, -1, dt.date(2014, 3, 1))
    client.force_login(personas.fiona)
    url = reverse(
        "influence:map_assessment_delete",
        kwargs={"network": "testnet", "uid": goal.uid, "organisation": "bm", "day": "2014-03-01"},
    )
    assert client.post(url).status_code == 302
    assert not InfluenceAssessment.objects.exists()


@pytest.mark.parametrize("n", [3, 40])
def test_goal_page_queries_do_not_grow(client, personas, django_assert_num_queries, n):
    goal = make_goal(personas)
    for org in bulk_members(personas.network, n, people_per_org=0):
        for day, position in ((dt.date(2014, 1, 1), -1), (dt.date(2015, 1, 1), 1)):
            InfluenceAssessment.objects.create(
                goal=goal, organisation=org, influence=3, position=position, assessed_on=day
            )
    client.force_login(personas.sam)
    # 4: session, user, network, roles; 1 goal; 1 assessments with organisations and sectors
    with django_assert_num_queries(6):
        response = client.get(urls(goal)[1])
    assert len(response.context["moved"]) == n


@pytest.mark.parametrize("n", [1, 30])
def test_goal_list_queries_do_not_grow(client, personas, django_assert_num_queries, n):
    InfluenceGoal.objects.bulk_create(
        InfluenceGoal(network=personas.network, title=f"Goal {i}") for i in range(n)
    )
    client.force_login(personas.fiona)
    url = reverse("influence:map_goal_list", kwargs={"network": "testnet"})
    # 4: session, user, network, roles; 1 goals with counts
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(response.context["goals"]) == n


def test_assessments_export_for_facilitators(personas):
    goal = make_goal(personas)
    assess(goal, personas.org_b, 5, -1, dt.date(2014, 3, 1))
    [row] = build_dataset("influence_assessments", personas.network, personas.fiona).dict
    assert (row["goal"], row["organisation"], row["assessed_on"], row["position"]) == (
        "Tariff methodology",
        "bm",
        "2014-03-01",
        -1,
    )
