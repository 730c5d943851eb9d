"""Writing pages: placements, contributions, partners, health answers, arrangement texts."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from netweave.directory.tests.factories import OrganisationFactory
from netweave.partnerships.models import ArrangementType, HealthResponse, Placement
from netweave.partnerships.tests.factories import make_partnership, make_round

pytestmark = pytest.mark.django_db


def url(partnership, name: str, **kwargs) -> str:
    return reverse(
        f"partnerships:{name}",
        kwargs={"network": partnership.network.slug, "uid": partnership.uid, **kwargs},
    )


def test_focal_point_places_own_organisation_only(client, personas):
    """Alice places for AWI; her form offers no other partner; Bob (not a partner) gets 403."""
    partnership = make_partnership(personas.network, personas.org_a, personas.org_b)
    a = partnership.partners.get(organisation=personas.org_a)
    b = partnership.partners.get(organisation=personas.org_b)
    client.force_login(personas.alice)
    response = client.post(
        url(partnership, "placement"),
        {
            "partner": b.uid,
            "placed_on": "2024-01-01",
            "service_policy": "0",
            "regulation_innovation": "0",
        },
    )
    assert response.status_code == 200 and "partner" in response.context["form"].errors
    response = client.post(
        url(partnership, "placement"),
        {
            "partner": a.uid,
            "placed_on": "2024-01-01",
            "service_policy": "1.2",
            "regulation_innovation": "0",
        },
    )
    assert "service_policy" in response.context["form"].errors
    assert not Placement.objects.exists()
    response = client.post(
        url(partnership, "placement"),
        {
            "partner": a.uid,
            "placed_on": "2024-01-01",
            "service_policy": "-0.5",
            "regulation_innovation": "0.25",
        },
    )
    assert response.status_code == 302
    assert Placement.objects.get().partner == a
    client.force_login(personas.olga)
    assert client.get(url(partnership, "placement")).status_code == 403


def test_only_facilitators_add_partners_and_non_members_are_refused(client, personas):
    """A focal point gets 403; the facilitator cannot add an organisation outside the network."""
    partnership = make_partnership(personas.network, personas.org_a)
    outside = OrganisationFactory(slug="outside")
    client.force_login(personas.alice)
    assert client.post(url(partnership, "partner_add"), {"organisation": "bm"}).status_code == 403
    client.force_login(personas.fiona)
    response = client.post(url(partnership, "partner_add"), {"organisation": outside.slug})
    assert response.status_code == 400
    assert partnership.partners.count() == 1
    response = client.post(
        url(partnership, "partner_add"), {"organisation": "bm", "role": "funder"}
    )
    assert response.status_code == 302 and partnership.partners.count() == 2


def test_contribution_is_recorded_by_the_partner_focal_point(client, personas):
    """Alice records what AWI brings; Olga (observer) is refused."""
    partnership = make_partnership(personas.network, personas.org_a)
    partner = partnership.partners.get()
    client.force_login(personas.alice)
    response = client.post(
        url(partnership, "contribution_add"),
        {"partner": partner.uid, "direction": "brings", "kind": "data", "description": "Surveys"},
    )
    assert response.status_code == 302
    assert partner.contributions.get().description == "Surveys"
    client.force_login(personas.olga)
    response = client.post(
        url(partnership, "contribution_add"),
        {"partner": partner.uid, "direction": "brings", "kind": "data"},
    )
    assert response.status_code == 403


@time_machine.travel(dt.datetime(2024, 1, 10, 12, tzinfo=dt.UTC), tick=False)
def test_health_answer_page_once_and_refused_to_others(client, personas):
    """Alice answers once; the page then says so; Bob (no partner) gets 403."""
    partnership = make_partnership(personas.network, personas.org_a)
    health_round = make_round(partnership)
    answer = url(partnership, "health_answer", round_uid=health_round.uid)
    scores = {"trust": "4", "value": "5", "communication": "3", "equity": "4", "purpose": "4"}
    client.force_login(personas.alice)
    assert client.post(answer, {**scores, "trust": "9"}).status_code == 200
    assert not HealthResponse.objects.exists()
    assert client.post(answer, scores).status_code == 302
    assert "You have answered this round" in client.get(answer).text
    client.force_login(personas.bob)
    assert client.get(answer).status_code == 403


def test_facilitator_edits_arrangement_texts_others_may_not(client, personas):
    """The facilitator changes a type's risk text; a focal point's POST is refused."""
    make_partnership(personas.network)
    list_url = reverse("partnerships:arrangement_list", kwargs={"network": "testnet"})
    body = {
        "arrangement": "alliance",
        "alliance-name": "Alliance",
        "alliance-risk": "Ours",
        "alliance-accountability_level": "2",
        "alliance-risk_level": "3",
    }
    client.force_login(personas.alice)
    assert client.post(list_url, body).status_code == 403
    client.force_login(personas.fiona)
    assert client.post(list_url, body).status_code == 302
    assert ArrangementType.objects.get(slug="alliance").risk == "Ours"


def test_forms_need_the_csrf_token(personas):
    """With CSRF checks on, a POST without the token is refused."""
    partnership = make_partnership(personas.network, personas.org_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.fiona)
    assert client.post(url(partnership, "partner_add"), {"organisation": "bm"}).status_code == 403
    assert partnership.partners.count() == 1
