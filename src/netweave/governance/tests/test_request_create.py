"""Raising a member request from the page."""

import pytest
from django.test import Client
from django.urls import reverse

from netweave.governance.models import MemberRequest

pytestmark = pytest.mark.django_db


def url(personas) -> str:
    return reverse("governance:request_create", kwargs={"network": personas.network.slug})


def test_focal_point_raises_a_request(client, personas):
    """Alice raises a request for AWI and lands on its page."""
    client.force_login(personas.alice)
    response = client.post(
        url(personas),
        {"organisation": "awi", "title": "Tariff guidance", "urgency": "high"},
    )
    item = MemberRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert (item.organisation, item.urgency, item.raised_by) == (
        personas.org_a,
        "high",
        personas.alice,
    )


def test_focal_point_cannot_pick_another_organisation(client, personas):
    """Beta Ministry is not among Alice's choices: the form refuses it, nothing is saved."""
    client.force_login(personas.alice)
    response = client.post(url(personas), {"organisation": "bm", "title": "X", "urgency": "low"})
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not MemberRequest.objects.exists()


def test_observer_is_refused(client, personas):
    """Olga (observer) speaks for no organisation: 403."""
    client.force_login(personas.olga)
    assert client.get(url(personas)).status_code == 403


def test_post_without_csrf_token_is_refused(personas):
    """With CSRF checks on, a forged POST is refused with 403."""
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(personas.alice)
    response = csrf_client.post(url(personas), {"organisation": "awi", "title": "X"})
    assert response.status_code == 403
    assert not MemberRequest.objects.exists()
