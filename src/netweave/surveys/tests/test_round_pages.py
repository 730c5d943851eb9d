"""Survey rounds: the list, creation, opening and closing, and a round's results page."""

import pytest
from django.urls import reverse

from netweave.directory.tests.bulk import bulk_members
from netweave.directory.tests.factories import OrganisationFactory
from netweave.networks.tests.factories import MembershipFactory
from netweave.surveys.models import RoundStatus, SurveyRound
from netweave.surveys.tests.factories import make_round, rate

pytestmark = pytest.mark.django_db


def list_url(network) -> str:
    return reverse("surveys:round_list", kwargs={"network": network.slug})


def detail_url(survey_round) -> str:
    return reverse(
        "surveys:round_detail",
        kwargs={"network": survey_round.network.slug, "uid": survey_round.uid},
    )


def action_url(survey_round, name: str) -> str:
    return reverse(
        f"surveys:round_{name}",
        kwargs={"network": survey_round.network.slug, "uid": survey_round.uid},
    )


def test_outsiders_and_public_visitors_get_404(client, personas):
    """The survey is for roles only, also in a public network."""
    personas.network.visibility = "public"
    personas.network.save()
    survey_round = make_round(personas.network)
    assert client.get(list_url(personas.network)).status_code == 404
    client.force_login(personas.charlie)
    assert client.get(detail_url(survey_round)).status_code == 404


def test_facilitator_creates_opens_and_closes_a_round(client, personas):
    client.force_login(personas.fiona)
    create = reverse("surveys:round_create", kwargs={"network": "testnet"})
    response = client.post(create, {"year": "2015", "title": "Annual survey"})
    survey_round = SurveyRound.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(survey_round)
    client.post(action_url(survey_round, "open"))
    survey_round.refresh_from_db()
    assert survey_round.status == RoundStatus.OPEN
    client.post(action_url(survey_round, "close"))
    survey_round.refresh_from_db()
    assert survey_round.status == RoundStatus.CLOSED


def test_second_round_of_a_year_shows_the_message(client, personas):
    make_round(personas.network, 2015)
    client.force_login(personas.fiona)
    response = client.post(
        reverse("surveys:round_create", kwargs={"network": "testnet"}), {"year": "2015"}
    )
    assert response.status_code == 400
    assert "already has a survey round for 2015" in response.content.decode()


def test_focal_point_and_steering_cannot_manage_rounds(client, personas):
    survey_round = make_round(personas.network, status=RoundStatus.DRAFT)
    for user in (personas.alice, personas.sam):
        client.force_login(user)
        create = reverse("surveys:round_create", kwargs={"network": "testnet"})
        assert client.post(create, {"year": "2016"}).status_code == 403
        assert client.post(action_url(survey_round, "open")).status_code == 403
    survey_round.refresh_from_db()
    assert survey_round.status == RoundStatus.DRAFT


def _rated_round(personas):
    """AWI rated by three others with a confidential comment; BM rated by one."""
    others = []
    for name in ("Gamma NGO", "Delta Bank", "Epsilon Media"):
        org = OrganisationFactory(name=name)
        MembershipFactory(network=personas.network, organisation=org)
        others.append(org)
    survey_round = make_round(personas.network, status=RoundStatus.CLOSED)
    rate(survey_round, personas.org_b, personas.org_a, 5, 1, 2, "Beta does not trust Alpha")
    rate(survey_round, others[0], personas.org_a, 3, 4, 5)
    rate(survey_round, others[1], personas.org_a, 4, 4, 2)
    rate(survey_round, personas.org_a, personas.org_b, 2, 3, 4)
    return survey_round


def test_facilitator_and_steering_see_every_organisation(client, personas):
    survey_round = _rated_round(personas)
    for user in (personas.fiona, personas.sam):
        client.force_login(user)
        response = client.get(detail_url(survey_round))
        assert response.status_code == 200
        rows = dict(response.context["rows"])
        assert rows[personas.org_a].received.count == 3
        # trust (1 + 4 + 4) / 3, value (2 + 5 + 2) / 3
        assert rows[personas.org_a].received.averages["trust"] == 3.0
        assert rows[personas.org_a].received.averages["value"] == 3.0
        assert rows[personas.org_b].given.count == 1


def test_focal_point_sees_network_figures_and_own_averages_only(client, personas):
    """Alice sees the network's figures and AWI's received averages (three raters), not
    other organisations' rows, not who rated AWI how, and not Bob's received (one rater)."""
    survey_round = _rated_round(personas)
    client.force_login(personas.alice)
    response = client.get(detail_url(survey_round))
    page = response.content.decode()
    assert response.context["rows"] == []
    assert "per-organisation" not in page
    [own] = response.context["own_rows"]
    assert own["shown"] and own["averages"]["trust"] == 3.0
    assert "Beta does not trust Alpha" not in page
    assert response.context["figures"].ratings == 4
    client.force_login(personas.bob)
    [own_b] = client.get(detail_url(survey_round)).context["own_rows"]
    assert own_b["count"] == 1 and not own_b["shown"] and own_b["averages"] == {}


def test_observer_sees_network_figures_only(client, personas):
    survey_round = _rated_round(personas)
    client.force_login(personas.olga)
    response = client.get(detail_url(survey_round))
    assert response.status_code == 200
    assert response.context["rows"] == [] and response.context["own_rows"] == []


@pytest.mark.parametrize("n", [5, 60])
def test_detail_queries_do_not_grow(client, personas, django_assert_num_queries, n):
    orgs = bulk_members(personas.network, n, people_per_org=0)
    survey_round = make_round(personas.network, status=RoundStatus.CLOSED)
    for rater, rated in zip(orgs, orgs[1:] + orgs[:1], strict=True):
        rate(survey_round, rater, rated, 3, 4, 5)
    client.force_login(personas.fiona)
    # 4: session, user, network, roles; 1 round; 3 figures: members, responses, ratings;
    # 1 organisations with sectors
    with django_assert_num_queries(9):
        response = client.get(detail_url(survey_round))
    assert len(response.context["rows"]) == n + 2


@pytest.mark.parametrize("n", [1, 30])
def test_list_queries_do_not_grow(client, personas, django_assert_num_queries, n):
    SurveyRound.objects.bulk_create(
        SurveyRound(network=personas.network, year=1990 + i, status="closed") for i in range(n)
    )
    client.force_login(personas.fiona)
    # 4: session, user, network, roles; 1 rounds with counts
    with django_assert_num_queries(5):
        response = client.get(list_url(personas.network))
    assert len(response.context["rounds"]) == n


def test_results_page_draws_a_chart_per_measure_with_a_table(client, personas):
    """Charts for response rate, trust, value and frequency, and the same numbers in a table."""
    _rated_round(personas)
    client.force_login(personas.alice)
    response = client.get(reverse("surveys:results", kwargs={"network": "testnet"}))
    page = response.content.decode()
    assert response.status_code == 200
    assert set(response.context["charts"]) == {"response_rate", "trust", "value", "frequency"}
    assert 'id="survey-trend"' in page and "js/surveys.js" in page and "plotly.min.js" in page
    assert "<script>" not in page.replace('<script type="application/json"', "")
    [point] = [row["point"] for row in response.context["table"]]
    assert (point.year, point.ratings, point.responded, point.members) == (2015, 4, 4, 5)
    [own] = response.context["own_series"]
    assert own["shown"] and own["trust"] == 3.0


def test_facilitators_follow_any_organisation_over_the_years(client, personas):
    """Facilitators and the steering committee pick a rated organisation and read what it
    received each year, also from fewer raters than a focal point may see; a year it was
    not rated says so."""
    _rated_round(personas)
    later = make_round(personas.network, year=2016, status=RoundStatus.CLOSED)
    rate(later, personas.org_a, personas.org_b, 1, 2, 3)
    url = reverse("surveys:results", kwargs={"network": "testnet"})
    for user in (personas.fiona, personas.sam):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert [org.slug for org in response.context["choices"]] == ["awi", "bm"]
        assert response.context["own_series"] == []
        response = client.get(url, {"organisation": "bm"})
        assert response.status_code == 200
        series = {row["year"]: row for row in response.context["own_series"]}
        # One rater each year, below the focal points' threshold: shown to these roles.
        assert (series[2015]["count"], series[2015]["trust"], series[2015]["value"]) == (1, 3, 4)
        assert (series[2016]["count"], series[2016]["trust"], series[2016]["value"]) == (1, 2, 3)
        assert response.context["charts"]["trust"]["data"][1]["y"] == [3, 2]
        page = response.content.decode()
        assert '<option value="bm" selected>' in page and 'id="own-trend-table"' in page
        response = client.get(url, {"organisation": "awi"})
        series = {row["year"]: row for row in response.context["own_series"]}
        assert series[2015]["trust"] == 3.0 and series[2016]["count"] == 0
        assert "Not rated that year." in response.content.decode()
    response = client.get(url, {"organisation": "nobody"})
    assert response.status_code == 400
    assert "No organisation “nobody” was rated" in response.content.decode()


def test_focal_points_see_only_their_own_organisation(client, personas):
    """A focal point cannot choose another organisation: the choice is ignored."""
    _rated_round(personas)
    client.force_login(personas.alice)
    url = reverse("surveys:results", kwargs={"network": "testnet"})
    response = client.get(url, {"organisation": "bm"})
    assert response.status_code == 200
    assert response.context["choices"] == []
    assert response.context["own_org"] == personas.org_a
    assert 'id="survey-organisation"' not in response.content.decode()
