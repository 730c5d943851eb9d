import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse

from netweave.directory.tests.factories import OrganisationFactory, PersonFactory, sector
from netweave.networks.models import Membership
from netweave.networks.services import record_milestone
from netweave.networks.tests.factories import MembershipFactory, NetworkFactory
from netweave.networks.tests.helpers import bulk_members

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 6, 15)


def url(network) -> str:
    return reverse("networks:detail", kwargs={"network": network.slug})


def chart_data(response, chart_id: str) -> dict:
    """The plotly figure the page hands to netweave.js through json_script."""
    start = response.text.index(f'<script id="{chart_id}" type="application/json">')
    body = response.text[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


@pytest.mark.parametrize(
    "role", ["facilitator", "steering", "focal_point", "other_focal_point", "observer"]
)
def test_everyone_with_a_role_reads_the_network(client, personas, role):
    """Every role in the network may open its home page."""
    client.force_login(personas.by_role()[role])
    response = client.get(url(personas.network))
    assert response.status_code == 200
    assert "Test network" in response.text


@pytest.mark.parametrize("role", ["outsider", "other_facilitator"])
def test_members_only_network_is_missing_for_outsiders(client, personas, role):
    """A members-only network is a 404 for users without a role in it."""
    client.force_login(personas.by_role()[role])
    assert client.get(url(personas.network)).status_code == 404


def test_members_only_network_is_missing_for_anonymous(client, personas):
    """Anonymous visitors get a 404 for a members-only network."""
    assert client.get(url(personas.network)).status_code == 404


def test_public_network_reads_without_manage_links(client, personas):
    """Anyone reads a public network; only facilitators see the links to manage it."""
    personas.network.visibility = "public"
    personas.network.save()
    response = client.get(url(personas.network))
    assert response.status_code == 200
    assert reverse("networks:member_list", kwargs={"network": "testnet"}) not in response.text
    client.force_login(personas.fiona)
    response = client.get(url(personas.network))
    for name in ("member_list", "role_list", "edit"):
        assert reverse(f"networks:{name}", kwargs={"network": "testnet"}) in response.text


def test_focal_point_sees_no_manage_links(client, personas):
    """A focal point reads the page without the facilitator's links."""
    client.force_login(personas.alice)
    response = client.get(url(personas.network))
    assert reverse("networks:edit", kwargs={"network": "testnet"}) not in response.text


@time_machine.travel(dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_key_counts_and_sector_chart_match_members(client, personas):
    """Counts, the sector chart and its table agree with the current memberships."""
    gov = sector("government")
    for _ in range(2):
        MembershipFactory(network=personas.network, organisation=OrganisationFactory(sector=gov))
    gone = OrganisationFactory(sector=sector("media"))
    MembershipFactory(
        network=personas.network,
        organisation=gone,
        joined=dt.date(2012, 1, 1),
        left=dt.date(2015, 1, 1),
        status="left",
    )
    PersonFactory(organisation=personas.org_a)
    client.force_login(personas.alice)
    response = client.get(url(personas.network))
    context = response.context
    assert context["member_count"] == 4
    assert context["people_count"] == 3  # Anna, Boris and one more; none from the leaver
    assert context["sector_count"] == 2
    figure = chart_data(response, "chart-sectors")
    bars = dict(zip(figure["data"][0]["y"], figure["data"][0]["x"], strict=True))
    assert bars == {"Government": 3, "Academia and research": 1}
    assert figure["data"][0]["marker"]["color"] == [gov.colour, sector("academia").colour]
    assert "Media" not in response.text.split('id="table-sectors"')[1].split("</table>")[0]
    assert '<td class="num">3</td>' in response.text


@time_machine.travel(dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_growth_chart_counts_members_at_each_year_end(client, personas):
    """The growth chart counts the members at the end of every year since the launch."""
    network = NetworkFactory(slug="young", launched=dt.date(2020, 3, 1), visibility="public")
    MembershipFactory(network=network, joined=dt.date(2020, 4, 1))
    MembershipFactory(network=network, joined=dt.date(2021, 2, 1), left=dt.date(2023, 12, 31))
    MembershipFactory(network=network, joined=dt.date(2022, 7, 1))
    response = client.get(url(network))
    figure = chart_data(response, "chart-growth")
    assert figure["data"][0]["x"] == [2020, 2021, 2022, 2023, 2024]
    assert figure["data"][0]["y"] == [1, 2, 3, 2, 2]
    assert [(row.year, row.count) for row in response.context["growth"]][-1] == (2024, 2)


def test_stage_timeline_is_an_accessible_picture_and_a_list(client, personas):
    """The timeline is an SVG with role=img and a title, and an ordered list of stages."""
    record_milestone(personas.network, stage="informal", date=dt.date(2009, 11, 1))
    record_milestone(personas.network, stage="emerging", date=dt.date(2013, 5, 20), note="ToR")
    client.force_login(personas.olga)
    response = client.get(url(personas.network))
    svg = response.text.split('<svg role="img"', 1)[1].split("</svg>", 1)[0]
    assert 'aria-labelledby="timeline-title"' in svg
    assert '<title id="timeline-title">' in svg
    assert "Emerging 20 May 2013" in svg
    assert svg.count("<circle") == 4
    listing = response.text.split("<ol>", 1)[1].split("</ol>", 1)[0]
    assert listing.index("Informal") < listing.index("Emerging") < listing.index("Formal")
    assert "ToR" in listing
    assert "not reached yet" in listing


def test_timeline_numbers_stay_dotted_in_russian(client, personas):
    """SVG coordinates are not localised (a decimal comma would break the drawing)."""
    record_milestone(personas.network, stage="emerging", date=dt.date(2013, 5, 20))
    client.force_login(personas.olga)
    response = client.get(url(personas.network), HTTP_ACCEPT_LANGUAGE="ru")
    svg = response.text.split('<svg role="img"', 1)[1].split("</svg>", 1)[0]
    assert 'lang="ru"' in response.text
    assert ',5"' not in svg and ',0"' not in svg


def test_charts_load_plotly_from_own_static_files(client, personas):
    """The page loads plotly from its own static files and marks where the charts go."""
    client.force_login(personas.olga)
    response = client.get(url(personas.network))
    assert 'src="/static/vendor/plotly.min.js"' in response.text
    assert 'data-chart="chart-sectors"' in response.text
    assert "onclick" not in response.text


@pytest.mark.parametrize("n", [10, 500])
def test_home_page_queries_do_not_grow_with_members(client, personas, django_assert_num_queries, n):
    """The home page issues the same queries with 10 and with 500 member organisations."""
    bulk_members(personas.network, n)
    record_milestone(personas.network, stage="emerging", date=dt.date(2013, 5, 20))
    client.force_login(personas.fiona)
    # 9 queries: session, user, network, roles, members by sector, membership periods,
    # people count, meeting count, milestones.
    with django_assert_num_queries(9):
        response = client.get(url(personas.network))
    # Read again, the page, its network and the roles come from the cache: session, user.
    with django_assert_num_queries(2):
        response = client.get(url(personas.network))
    assert (
        response.context["member_count"]
        == 2
        + Membership.objects.filter(
            network=personas.network, organisation__slug__startswith="bulk", left__isnull=True
        ).count()
    )
