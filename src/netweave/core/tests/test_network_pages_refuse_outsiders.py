"""Every page under /networks/<slug>/ refuses those who may not see a members-only network.

The addresses are read from the URL configuration, so a page added later without an
access check fails here.
"""

from __future__ import annotations

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PREFIX = "networks/<slug:network>/"
REFUSED = {403, 404, 405}


def _routes(patterns, prefix: str = "") -> list[str]:
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            found.append(route)
    return found


def _fill(route: str) -> str:
    """A concrete address for ``route`` in the test network (ids need not exist)."""
    path = route.replace("<slug:network>", "testnet")
    replacements = {
        "<uuid:": str(uuid.uuid4()),
        "<slug:": "awi",
        "<str:": "csv",
        "<int:": "1",
        "<path:": "x",
    }
    while "<" in path:
        start = path.index("<")
        end = path.index(">", start)
        converter = path[start : path.index(":", start) + 1] if ":" in path[start:end] else "<str:"
        path = path[:start] + replacements.get(converter, "x") + path[end + 1 :]
    return "/" + path.replace("^", "").replace("$", "")


NETWORK_ROUTES = sorted(
    {_fill(route) for route in _routes(get_resolver().url_patterns) if route.startswith(PREFIX)}
)


def test_routes_were_found():
    """The URL configuration has network pages to check (the list is not empty by mistake)."""
    assert len(NETWORK_ROUTES) > 40


def _assert_refused(response, url: str) -> None:
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"], url
    else:
        assert response.status_code in REFUSED, f"{url} answered {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("url", NETWORK_ROUTES)
def test_anonymous_and_outsiders_are_refused(personas, client, url):
    """Anonymous visitors and signed-in people without a role get nothing from the network."""
    for user in (None, personas.charlie, personas.frank):
        client.logout()
        if user is not None:
            client.force_login(user)
        _assert_refused(client.get(url), url)
        _assert_refused(client.post(url, {}), url)


@pytest.mark.django_db
@pytest.mark.parametrize("url", NETWORK_ROUTES)
def test_anonymous_cannot_change_a_public_network(personas, client, url):
    """On a public network anonymous visitors may read, but every POST is refused."""
    personas.network.visibility = "public"
    personas.network.save()
    response = client.post(url, {})
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"], url
    else:
        assert response.status_code in REFUSED, f"{url} answered {response.status_code}"
