"""Text with a NUL character is bad input, refused with a 400 before it reaches the
database (PostgreSQL cannot even compare it), in bodies, query strings and paths alike."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from netweave.directory.models import Organisation

pytestmark = pytest.mark.django_db

MESSAGE = "Text may not contain NUL (0x00) characters."


@pytest.fixture
def api(personas) -> APIClient:
    client = APIClient()
    client.force_authenticate(personas.fiona)
    return client


@pytest.mark.parametrize("fmt", ["json", "multipart"])
def test_a_body_with_nul_is_refused_and_nothing_is_written(api, personas, fmt):
    """A slug holding NUL in a JSON or form body is a 400 that says why; nothing is saved."""
    before = Organisation.objects.count()
    response = api.post(
        "/api/v1/organisations/",
        {"network": "testnet", "name": "Nul Org", "sector": "ngo\x00"},
        format=fmt,
    )
    assert response.status_code == 400
    assert response.json() == {"detail": MESSAGE}
    assert Organisation.objects.count() == before


def test_nul_nested_in_a_list_is_refused(api, personas):
    """NUL deep in a list of a JSON body is found too."""
    response = api.post(
        "/api/v1/consultations/",
        {"network": "testnet", "owner": "awi", "task_groups": ["ok", "bad\x00"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": MESSAGE}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/people/?network=test%00net",
        "/api/v1/organisations/?network=test%00net",
        "/api/v1/attendance/?network=test%00net",
        "/api/v1/organisations/?q=wat%00er",
        "/api/v1/organisations/awi%00/",
    ],
)
def test_nul_in_an_api_address_is_a_400_that_says_why(api, url):
    """A NUL in a filter value or in the path is refused before any view reads it."""
    response = api.get(url)
    assert response.status_code == 400
    assert response.json() == {"detail": MESSAGE}


def test_nul_in_a_page_address_is_a_400(client, personas):
    """Pages refuse it the same way, in plain text."""
    client.force_login(personas.fiona)
    response = client.get("/networks/testnet/organisations/?q=wat%00er")
    assert response.status_code == 400
    assert response.content.decode() == MESSAGE
    assert client.get("/networks/testnet/organisations/?q=water").status_code == 200
