"""The demo's joint activities: loaded once, in several currencies, linked to task groups."""

from decimal import Decimal

import pytest

from netweave.activities import totals
from netweave.activities.models import Contribution, ExchangeRate, JointActivity
from netweave.demo.activities import ACTIVITIES, load_activities
from netweave.demo.services import load_demo
from netweave.networks.models import Network

pytestmark = pytest.mark.django_db


def test_demo_loads_activities_once():
    """The water network gets its activities and rates; loading again adds nothing."""
    load_demo()
    water = Network.objects.get(slug="water-sanitation")
    activities = JointActivity.objects.filter(network=water)
    assert activities.count() == len(ACTIVITIES)
    assert 8 <= activities.count() <= 12
    assert activities.filter(task_group__name="Tariffs").count() == 3
    # Each task group's first activity came from the member request the group was formed for.
    linked = activities.filter(request__isnull=False).select_related("request", "task_group")
    assert (
        linked.count()
        == activities.exclude(task_group=None).values("task_group").distinct().count()
    )
    for activity in linked:
        assert activity.request.task_group_id == activity.task_group_id
        first = activities.filter(task_group=activity.task_group).order_by("start", "pk").first()
        assert first == activity
    assert set(Contribution.objects.values_list("currency", flat=True)) == {
        "USD",
        "EUR",
        "CHF",
        "TJS",
    }
    result = totals.totals_by_sector(water)
    assert result.missing_rates == []  # a rate for every currency and year used
    assert len(result.rows) >= 4
    assert result.overall.converted > Decimal("500000")
    rates = ExchangeRate.objects.count()
    assert load_activities(water) == 0
    load_demo()
    assert JointActivity.objects.count() == len(ACTIVITIES)
    assert ExchangeRate.objects.count() == rates
    assert not JointActivity.objects.filter(network__slug="food-security").exists()


def test_demo_pages_render(client):
    """With the demo loaded, the list, an activity, the summary and the rates page render."""
    from django.urls import reverse

    from netweave.networks.tests.factories import UserFactory

    load_demo()
    client.force_login(UserFactory(username="demo-staff", is_staff=True))
    kwargs = {"network": "water-sanitation"}
    activity = JointActivity.objects.get(title="Volumetric tariff pilot in Khujand")
    for url in [
        reverse("activities:list", kwargs=kwargs),
        reverse("activities:list", kwargs=kwargs) + "?year=2013&kind=pilot",
        activity.get_absolute_url(),
        reverse("activities:edit", kwargs={**kwargs, "uid": activity.uid}),
        reverse("activities:cofinancing", kwargs=kwargs),
        reverse("activities:rates", kwargs=kwargs),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    summary = client.get(reverse("activities:cofinancing", kwargs=kwargs))
    assert "Global Reconstruction and Development Bank" in summary.text
    assert "Not converted" in summary.text
