"""The rating form of a member organisation's focal point."""

import pytest
from django.urls import reverse

from netweave.directory.tests.bulk import bulk_members
from netweave.directory.tests.factories import OrganisationFactory, sector
from netweave.networks.tests.factories import MembershipFactory
from netweave.surveys.models import RoundStatus, TieRating
from netweave.surveys.tests.factories import make_round, rate

pytestmark = pytest.mark.django_db


def url(survey_round, **query) -> str:
    base = reverse(
        "surveys:rate", kwargs={"network": survey_round.network.slug, "uid": survey_round.uid}
    )
    if query:
        base += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return base


def management(total: int, initial: int | None = None) -> dict:
    return {
        "form-TOTAL_FORMS": str(total),
        "form-INITIAL_FORMS": str(total if initial is None else initial),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "2000",
    }


def row(index: int, slug: str, f="", t="", v="", comment="") -> dict:
    prefix = f"form-{index}-"
    return {
        prefix + "organisation": slug,
        prefix + "frequency": f,
        prefix + "trust": t,
        prefix + "value": v,
        prefix + "comment": comment,
    }


def test_focal_point_sees_a_row_per_other_member(client, personas):
    """Alice answers for AWI: one row, for Beta Ministry; not for her own organisation."""
    survey_round = make_round(personas.network)
    client.force_login(personas.alice)
    response = client.get(url(survey_round))
    assert response.status_code == 200
    assert response.context["rater"] == personas.org_a
    assert [org for _form, org in response.context["rows"]] == [personas.org_b]


def test_focal_point_rates_and_revises(client, personas):
    """A POST saves the tie; a second POST changes it; a blank row removes it."""
    survey_round = make_round(personas.network)
    client.force_login(personas.alice)
    data = {**management(1), **row(0, "bm", 3, 4, 5, "Joint pilots")}
    response = client.post(url(survey_round), data)
    assert response.status_code == 302
    rating = TieRating.objects.get(round=survey_round, rater=personas.org_a)
    assert (rating.rated, rating.trust, rating.comment, rating.submitted_by) == (
        personas.org_b,
        4,
        "Joint pilots",
        personas.alice,
    )
    client.post(url(survey_round), {**management(1), **row(0, "bm", 5, 5, 5)})
    assert TieRating.objects.get(round=survey_round).trust == 5
    client.post(url(survey_round), {**management(1), **row(0, "bm")})
    assert not TieRating.objects.exists()


def test_focal_point_cannot_answer_for_another_organisation(client, personas):
    """Alice asking for Beta Ministry's form, or posting it, gets 403; nothing is written."""
    survey_round = make_round(personas.network)
    client.force_login(personas.alice)
    assert client.get(url(survey_round, organisation="bm")).status_code == 403
    data = {**management(1), **row(0, "awi", 1, 1, 1)}
    assert client.post(url(survey_round, organisation="bm"), data).status_code == 403
    assert not TieRating.objects.exists()


def test_observer_and_steering_have_no_form(client, personas):
    """Without a focal point role there is no organisation to answer for: 404."""
    survey_round = make_round(personas.network)
    for user in (personas.olga, personas.sam):
        client.force_login(user)
        assert client.get(url(survey_round)).status_code == 404


def test_facilitator_enters_answers_on_behalf_of_an_organisation(client, personas):
    """Fiona chooses the organisation, then answers for it."""
    survey_round = make_round(personas.network)
    client.force_login(personas.fiona)
    response = client.get(url(survey_round))
    assert response.context["rater"] is None
    assert set(response.context["choices"]) == {personas.org_a, personas.org_b}
    data = {**management(1), **row(0, "awi", 2, 3, 4)}
    assert client.post(url(survey_round, organisation="bm"), data).status_code == 302
    assert TieRating.objects.get().rater == personas.org_b


def test_incomplete_row_is_refused_with_a_message(client, personas):
    """Two scores of three: 400, the row says what is missing, nothing saved."""
    survey_round = make_round(personas.network)
    client.force_login(personas.alice)
    response = client.post(url(survey_round), {**management(1), **row(0, "bm", 3, 4, "")})
    assert response.status_code == 400
    assert "Give all three scores" in response.content.decode()
    assert not TieRating.objects.exists()


def test_out_of_range_score_is_refused(client, personas):
    survey_round = make_round(personas.network)
    client.force_login(personas.alice)
    response = client.post(url(survey_round), {**management(1), **row(0, "bm", 3, 9, 3)})
    assert response.status_code == 400
    assert not TieRating.objects.exists()


def test_closed_round_shows_the_answers_and_refuses_changes(client, personas):
    """After closing, Alice reads her answers; a POST is refused."""
    survey_round = make_round(personas.network, status=RoundStatus.CLOSED)
    rate(survey_round, personas.org_a, personas.org_b, 3, 4, 5)
    client.force_login(personas.alice)
    response = client.get(url(survey_round))
    assert response.status_code == 200
    assert [r.trust for r in response.context["given"]] == [4]
    assert "rating-form" not in response.content.decode()
    data = {**management(1), **row(0, "bm", 1, 1, 1)}
    assert client.post(url(survey_round), data).status_code == 403
    assert TieRating.objects.get().trust == 4


def test_sector_filter_narrows_the_rows_and_keeps_other_ratings(client, personas):
    """Filtering by sector shows only that sector's members; saving leaves the rest alone."""
    ngo = OrganisationFactory(name="Gamma NGO", slug="gamma", sector=sector("civil-society"))
    MembershipFactory(network=personas.network, organisation=ngo)
    survey_round = make_round(personas.network)
    rate(survey_round, personas.org_a, ngo, 2, 2, 2)
    client.force_login(personas.alice)
    response = client.get(url(survey_round, sector="government"))
    assert [org for _f, org in response.context["rows"]] == [personas.org_b]
    data = {**management(1), **row(0, "bm", 4, 4, 4)}
    assert client.post(url(survey_round, sector="government"), data).status_code == 302
    assert TieRating.objects.filter(round=survey_round).count() == 2


@pytest.mark.parametrize("n", [5, 60])
def test_form_queries_do_not_grow(client, personas, django_assert_num_queries, n):
    """The form costs the same with 5 or 60 members (some rated)."""
    orgs = bulk_members(personas.network, n, people_per_org=0)
    survey_round = make_round(personas.network)
    for org in orgs[:3]:
        rate(survey_round, personas.org_a, org, 3, 3, 3)
    client.force_login(personas.alice)
    # 4: session, user, network, roles; 1 round; 1 members with sectors; 1 my ratings;
    # 1 has responded; 1 sectors of the filter form
    with django_assert_num_queries(9):
        response = client.get(url(survey_round))
    assert len(response.context["rows"]) == n + 1


class TestWithCsrfChecks:
    """CSRF is off in the test client by default; here it is on, as in production."""

    def test_post_without_token_is_refused(self, personas):
        from django.test import Client

        survey_round = make_round(personas.network)
        client = Client(enforce_csrf_checks=True)
        client.force_login(personas.alice)
        data = {**management(1), **row(0, "bm", 3, 3, 3)}
        assert client.post(url(survey_round), data).status_code == 403
        assert not TieRating.objects.exists()
