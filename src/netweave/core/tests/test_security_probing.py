"""Probing the site from outside a network, and feeding it crafted query parameters.

Over the demo networks, with the water network made members-only:

- a record of a network the caller may not see answers exactly like a record that does not
  exist (404 with the same body), on the API and on every page that takes a uid;
- ordering, sorting, search and paging parameters never crash a list page or endpoint.

Routes are read from the URL configuration and the API router, so a new one is covered.
"""

from __future__ import annotations

import uuid

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from netweave.demo.services import load_demo

WATER = "water-sanitation"
FOOD = "food-security"
PREFIX = "networks/<slug:network>/"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Both demo networks, members-only; rolled back after the module."""
    from netweave.directory.sectors import ensure_sectors
    from netweave.networks.models import Network

    with django_db_blocker.unblock(), transaction.atomic():
        ensure_sectors()
        load_demo()
        Network.objects.filter(slug__in=[WATER, FOOD]).update(visibility="members")
        yield
        transaction.set_rollback(True)


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _api(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(_user(username))
    return client


def _results(response) -> list[dict]:
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


# The API -------------------------------------------------------------------------------------


def _router_entries():
    from netweave.api import router

    return [(prefix, viewset) for prefix, viewset, _basename in router.registry]


DETAIL_ENDPOINTS = [
    pytest.param(prefix, viewset, id=prefix)
    for prefix, viewset in _router_entries()
    if hasattr(viewset, "retrieve") and hasattr(viewset, "list")
]


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "viewset"), DETAIL_ENDPOINTS)
def test_api_detail_of_a_hidden_record_looks_missing(demo, prefix, viewset):
    """Another network's facilitator gets the same 404 for a hidden record as for no record."""
    lookup = getattr(viewset, "lookup_field", "pk")
    insider, outsider = _api("facilitator"), _api("food-facilitator")
    mine = _results(insider.get(f"/api/v1/{prefix}/", {"page_size": 500}))
    theirs = _results(outsider.get(f"/api/v1/{prefix}/", {"page_size": 500}))
    field = "id" if lookup == "pk" else lookup  # a primary key is shown as "id"
    if not mine or field not in mine[0]:
        pytest.skip(f"no {prefix} in the demo to probe with")
    visible = {str(row.get(field)) for row in theirs}
    hidden = [str(row[field]) for row in mine if str(row[field]) not in visible]
    if not hidden:
        pytest.skip(f"{prefix} are shared reference data, visible to every signed-in caller")
    assert insider.get(f"/api/v1/{prefix}/{hidden[0]}/").status_code == 200
    missing = {"uid": str(uuid.uuid4()), "meeting": str(uuid.uuid4()), "pk": "987654321"}.get(
        lookup, "no-such-record"
    )
    probe = outsider.get(f"/api/v1/{prefix}/{hidden[0]}/")
    control = outsider.get(f"/api/v1/{prefix}/{missing}/")
    assert probe.status_code == control.status_code == 404
    assert probe.content == control.content
    for method in ("patch", "put", "delete"):
        response = getattr(outsider, method)(f"/api/v1/{prefix}/{hidden[0]}/", {}, format="json")
        assert response.status_code in (404, 405), (method, response.status_code)


# The pages -----------------------------------------------------------------------------------


def _routes(patterns, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, route, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            found.append((route, namespace))
    return found


UID_ROUTES = sorted(
    {
        (route, namespace)
        for route, namespace in _routes(get_resolver().url_patterns)
        if route.startswith(PREFIX) and route.count("<uuid:") == 1 and route.count("<") == 2
    }
)


def _uids_by_app() -> dict[str, list[str]]:
    """One uid of each network-scoped model of the water network, by app."""
    from netweave.networks.models import Network

    water = Network.objects.get(slug=WATER)
    found: dict[str, list[str]] = {}
    for model in apps.get_models():
        names = {field.name for field in model._meta.get_fields()}
        if "uid" not in names or "network" not in names or model.__name__.startswith("Historical"):
            continue
        uid = model.objects.filter(network=water).values_list("uid", flat=True).first()
        if uid is not None:
            found.setdefault(model._meta.app_label, []).append(str(uid))
    return found


@pytest.mark.django_db
def test_pages_of_hidden_records_look_missing(demo):
    """Another network's facilitator, using their own network's address with a uid from
    the water network, gets a 404 on every page that takes a uid, as for a made-up uid."""
    uids = _uids_by_app()
    insider, outsider = Client(), Client()
    insider.force_login(_user("facilitator"))
    outsider.force_login(_user("food-facilitator"))
    seen, leaks = 0, []
    for route, namespace in UID_ROUTES:
        for uid in uids.get(namespace, []):
            start = route.index("<uuid:")
            tail = route[route.index(">", start) + 1 :]
            path = "/" + route[:start] + uid + tail
            if insider.get(path.replace("<slug:network>", WATER)).status_code == 200:
                seen += 1
            response = outsider.get(path.replace("<slug:network>", FOOD))
            if response.status_code not in (404, 405):
                leaks.append((path, response.status_code))
    assert leaks == []
    assert seen >= 10, "too few pages could be probed; the demo or the routes changed"


# Crafted query parameters --------------------------------------------------------------------

CRAFTED = [
    {"ordering": "password", "sort": "__", "o": ";drop table x", "page": "-1"},
    {"ordering": ";drop", "sort": "-user__password", "o": "password", "page": "abc"},
    {"search": "%00'", "q": "\x00'\"", "page": "99999", "page_size": "-5"},
    {"ordering": "-__str__,?", "sort": "x" * 300, "q": "' OR 1=1 --", "year": "abc"},
]


def _list_pages() -> list[str]:
    return sorted(
        "/" + route.replace("<slug:network>", WATER)
        for route, _namespace in _routes(get_resolver().url_patterns)
        if route.startswith(PREFIX) and route.count("<") == 1
    )


@pytest.mark.django_db
def test_crafted_parameters_never_crash_a_page(demo):
    """Every page of the network answers below 500 to crafted ordering/search/paging."""
    client = Client(raise_request_exception=False)
    client.force_login(_user("facilitator"))
    crashes = []
    pages = _list_pages()
    assert len(pages) > 20
    for page in pages:
        for params in CRAFTED:
            response = client.get(page, params)
            if response.status_code >= 500:
                crashes.append((page, params, response.status_code))
    assert crashes == []


@pytest.mark.django_db
def test_crafted_parameters_never_crash_an_endpoint(demo):
    """Every API list endpoint answers below 500, and a bad ordering is not applied."""
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(_user("facilitator"))
    crashes = []
    for prefix, viewset in _router_entries():
        if not hasattr(viewset, "list"):
            continue
        for params in CRAFTED:
            response = client.get(f"/api/v1/{prefix}/", params)
            if response.status_code >= 500:
                crashes.append((prefix, params, response.status_code))
    assert crashes == []
