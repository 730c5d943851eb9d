"""A task group's page, and asking to join it."""

import datetime as dt

import pytest
from django.urls import reverse

from netweave.directory.models import Person
from netweave.directory.tests.bulk import bulk_members
from netweave.governance import services
from netweave.governance.models import Deliverable, DeliverableDocument, TaskGroupMember
from netweave.governance.tests.factories import make_group
from netweave.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def url(group, name: str = "task_group_detail", **extra) -> str:
    return reverse(
        f"governance:{name}", kwargs={"network": group.network.slug, "uid": group.uid, **extra}
    )


def test_members_deliverables_and_documents_shown(client, personas):
    """Olga sees the members with their people and the deliverable's link."""
    group = make_group(personas)
    services.add_task_group_member(group, personas.org_b, people=[personas.person_b])
    deliverable = services.add_deliverable(group, title="Tariff model")
    services.fulfil_deliverable(deliverable, title="Model v1", url="https://example.org/m")
    client.force_login(personas.olga)
    response = client.get(url(group))
    assert response.status_code == 200
    assert "Boris Beta" in response.text and "https://example.org/m" in response.text
    assert url(group, "deliverable_add") not in response.text


def test_focal_point_asks_to_join_and_lead_accepts(client, personas):
    """Bob asks to join for Beta Ministry; Alice, the lead's focal point, accepts."""
    group = make_group(personas)
    client.force_login(personas.bob)
    assert client.post(url(group, "task_group_join"), {"organisation": "bm"}).status_code == 302
    join = group.join_requests.get()
    assert client.post(url(group, "join_decide", join=join.uid), {"accept": "1"}).status_code == 403
    client.force_login(personas.alice)
    response = client.get(url(group))
    assert list(response.context["joins"]) == [join]
    client.post(url(group, "join_decide", join=join.uid), {"accept": "1"})
    assert group.members.filter(organisation=personas.org_b).exists()


def test_observer_cannot_ask_to_join(client, personas):
    """Olga speaks for no organisation: 403."""
    group = make_group(personas)
    client.force_login(personas.olga)
    assert client.post(url(group, "task_group_join"), {"organisation": "bm"}).status_code == 403


def test_outsider_gets_404(client, personas):
    """Charlie cannot see a members-only network's task group."""
    group = make_group(personas)
    client.force_login(personas.charlie)
    assert client.get(url(group)).status_code == 404


@pytest.mark.parametrize("n", [10, 500])
def test_detail_queries_do_not_grow(client, personas, django_assert_num_queries, n):
    """The page costs the same with 10 or 500 members, people and deliverables."""
    group = make_group(personas)
    orgs = bulk_members(personas.network, n, people_per_org=1)
    members = TaskGroupMember.objects.bulk_create(
        TaskGroupMember(task_group=group, organisation=org) for org in orgs
    )
    people = {p.organisation_id: p for p in Person.objects.filter(organisation__in=orgs)}
    TaskGroupMember.people.through.objects.bulk_create(
        TaskGroupMember.people.through(
            taskgroupmember_id=m.pk, person_id=people[m.organisation_id].pk
        )
        for m in members
    )
    deliverables = Deliverable.objects.bulk_create(
        Deliverable(task_group=group, title=f"D{i}", due=dt.date(2030, 1, 1)) for i in range(n)
    )
    DeliverableDocument.objects.bulk_create(
        DeliverableDocument(deliverable=d, title="Doc", url="https://example.org/d")
        for d in deliverables
    )
    start = dt.datetime(2020, 1, 10, 9, tzinfo=dt.UTC)
    Meeting.objects.bulk_create(
        Meeting(
            network=personas.network,
            task_group=group,
            title=f"Group meeting {i}",
            kind="task_group",
            start=start + dt.timedelta(days=30 * i),
            end=start + dt.timedelta(days=30 * i, hours=2),
        )
        for i in range(n)
    )
    client.force_login(personas.alice)
    # session, user, network, roles, group; members, their people; deliverables, documents;
    # pending joins; meetings; topics; library documents; the join form has no choices for
    # the lead's focal point
    with django_assert_num_queries(13):
        response = client.get(url(group))
    assert len(response.context["members"]) == n + 1
    assert len(response.context["upcoming_meetings"]) + len(response.context["past_meetings"]) == n


def test_meetings_listed_with_a_link_to_plan_one(client, personas):
    """The page lists the group's past and upcoming meetings; facilitators may plan one."""
    group = make_group(personas)
    past = dt.datetime(2020, 5, 1, 9, tzinfo=dt.UTC)
    coming = dt.datetime(2099, 5, 1, 9, tzinfo=dt.UTC)
    for title, start in (("Kick-off", past), ("Review", coming)):
        Meeting.objects.create(
            network=personas.network,
            task_group=group,
            title=title,
            kind="task_group",
            start=start,
            end=start + dt.timedelta(hours=2),
        )
    Meeting.objects.create(
        network=personas.network, title="Unrelated", start=past, end=past + dt.timedelta(hours=1)
    )
    client.force_login(personas.fiona)
    response = client.get(url(group))
    assert [m.title for m in response.context["upcoming_meetings"]] == ["Review"]
    assert [m.title for m in response.context["past_meetings"]] == ["Kick-off"]
    assert "Unrelated" not in response.text
    plan = reverse("meetings:create", kwargs={"network": "testnet"}) + f"?task_group={group.uid}"
    assert plan in response.text
    client.force_login(personas.alice)
    assert plan not in client.get(url(group)).text


def test_members_only_meetings_hidden_from_anonymous_visitors(client, personas):
    """On a public network, anonymous visitors see the group but not its members-only meetings."""
    personas.network.visibility = "public"
    personas.network.save()
    group = make_group(personas)
    start = dt.datetime(2020, 5, 1, 9, tzinfo=dt.UTC)
    for title, visibility in (("Open session", "public"), ("Closed session", "members")):
        Meeting.objects.create(
            network=personas.network,
            task_group=group,
            title=title,
            visibility=visibility,
            start=start,
            end=start + dt.timedelta(hours=2),
        )
    response = client.get(url(group))
    assert "Open session" in response.text and "Closed session" not in response.text
