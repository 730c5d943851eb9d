"""The partnership page: who reads it, the plot's flags, and the anonymity of health checks."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from netweave.networks.tests.helpers import bulk_members
from netweave.partnerships.models import Partner, PartnerContribution, Placement
from netweave.partnerships.tests.factories import answers, make_partnership, make_round

pytestmark = pytest.mark.django_db


def url(partnership) -> str:
    return reverse(
        "partnerships:detail", kwargs={"network": partnership.network.slug, "uid": partnership.uid}
    )


@pytest.mark.parametrize("role", ["facilitator", "steering", "focal_point", "observer"])
def test_people_with_a_role_read_the_partnership(client, personas, role):
    """Everyone with a role in the network reads its partnerships."""
    partnership = make_partnership(personas.network, personas.org_a)
    client.force_login(personas.by_role()[role])
    response = client.get(url(partnership))
    assert response.status_code == 200
    assert "Water for all" in response.text


@pytest.mark.parametrize("role", ["anonymous", "outsider", "other_facilitator"])
def test_partnership_is_missing_for_those_without_a_role(client, personas, role):
    """No role in the network (even a public one): 404."""
    personas.network.visibility = "public"
    personas.network.save()
    partnership = make_partnership(personas.network, personas.org_a)
    if personas.by_role()[role]:
        client.force_login(personas.by_role()[role])
    assert client.get(url(partnership)).status_code == 404


def test_divergent_partner_is_listed_on_the_page(client, personas):
    """A partner far from the average is named under the views to discuss."""
    partnership = make_partnership(personas.network, personas.org_a, personas.org_b)
    a, b = partnership.partners.order_by("organisation__name")
    Placement.objects.create(
        partner=a, placed_on=dt.date(2024, 1, 1), service_policy=-1, regulation_innovation=-1
    )
    Placement.objects.create(
        partner=b, placed_on=dt.date(2024, 1, 1), service_policy=1, regulation_innovation=1
    )
    client.force_login(personas.olga)
    response = client.get(url(partnership))
    assert 'id="divergence"' in response.text
    assert "AWI is 1.41 from the average" in response.text
    assert 'data-chart="chart-plot"' in response.text


@time_machine.travel(dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_health_scores_hidden_below_three_answers(client, personas):
    """Two answers: no score and no comment on the page; three: averages and comments."""
    partnership = make_partnership(personas.network, personas.org_a)
    few = make_round(partnership)
    answers(few, [(1, 1, 1, 1, 1), (2, 2, 2, 2, 2)], comment="hushword")
    client.force_login(personas.fiona)
    response = client.get(url(partnership))
    assert "Fewer than 3 answers: no scores shown." in response.text
    assert "1.50" not in response.text and "hushword" not in response.text
    assert response.context["health_figure"] is None
    enough = make_round(partnership, dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    answers(enough, [(5, 4, 4, 3, 4), (4, 4, 4, 3, 4), (3, 4, 4, 3, 4)], comment="visible")
    response = client.get(url(partnership))
    assert "4.00" in response.text
    assert "visible 0" in response.text and "hushword" not in response.text
    assert 'data-chart="chart-health"' in response.text


@time_machine.travel(dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_health_drop_is_flagged_on_the_page(client, personas):
    """A dimension down by 0.5 since the previous shown round is marked."""
    partnership = make_partnership(personas.network, personas.org_a)
    answers(make_round(partnership), [(4, 4, 4, 4, 4)] * 3)
    later = make_round(partnership, dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    answers(later, [(4, 4, 4, 3, 4), (4, 4, 4, 4, 4), (4, 4, 4, 3, 4)])
    client.force_login(personas.sam)
    response = client.get(url(partnership))
    assert "down 0.67" in response.text


@time_machine.travel(dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_overdue_health_check_is_announced(client, personas):
    """Six months after the last round opened, the page says a check is due."""
    partnership = make_partnership(personas.network, personas.org_a, check_every_months=3)
    make_round(partnership)
    client.force_login(personas.fiona)
    assert 'id="check-due"' in client.get(url(partnership)).text


@pytest.mark.parametrize("n", [2, 30])
def test_detail_queries_do_not_grow(client, personas, django_assert_num_queries, n):
    """The page issues the same queries with 2 and with 30 partners."""
    organisations = bulk_members(personas.network, n)
    partnership = make_partnership(personas.network)
    partners = Partner.objects.bulk_create(
        Partner(partnership=partnership, organisation=org) for org in organisations
    )
    PartnerContribution.objects.bulk_create(
        PartnerContribution(partner=p, direction="brings", kind="funds") for p in partners
    )
    Placement.objects.bulk_create(
        Placement(
            partner=p,
            placed_on=dt.date(2024, 1, 1),
            service_policy=Decimal("0.1"),
            regulation_innovation=Decimal("-0.1"),
        )
        for p in partners
    )
    answers(make_round(partnership), [(4, 4, 4, 4, 4)] * 3)
    client.force_login(personas.fiona)
    # 13 queries: session, user, network, roles, partnership, partners with organisations,
    # their contributions, latest placements, health aggregates, rounds, the latest shown
    # round's comments, the partners for the contribution form, member organisations for
    # the add-partner form.
    with django_assert_num_queries(13):
        response = client.get(url(partnership))
    assert len(response.context["partners"]) == n
