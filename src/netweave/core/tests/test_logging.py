"""Security events are logged with actor, time and source; secrets never are."""

from __future__ import annotations

import logging

import pytest
from django.test import Client, override_settings
from django.urls import path

from netweave.core.testing import PASSWORD
from netweave.networks import services as network_services

pytestmark = pytest.mark.django_db

SECURITY = "netweave.security"


def _security_records(caplog):
    return [r for r in caplog.records if r.name == SECURITY]


def test_failed_login_is_logged_without_the_password(personas, caplog):
    caplog.set_level(logging.INFO, logger="netweave")
    client = Client(REMOTE_ADDR="198.51.100.7")
    secret = "not-the-Right-passw0rd"
    response = client.post("/accounts/login/", {"username": "alice", "password": secret})
    assert response.status_code == 200  # the form again, with an error
    records = _security_records(caplog)
    assert any("login failed" in r.getMessage() for r in records)
    line = next(r.getMessage() for r in records if "login failed" in r.getMessage())
    assert "alice" in line and "198.51.100.7" in line
    assert all(secret not in r.getMessage() for r in caplog.records)
    assert all(secret not in str(r.args) for r in caplog.records)
    assert records[0].created  # the time of the record


def test_successful_login_does_not_log_the_password(personas, caplog):
    caplog.set_level(logging.INFO, logger="netweave")
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert any("login: user=alice" in r.getMessage() for r in _security_records(caplog))
    assert all(PASSWORD not in r.getMessage() for r in caplog.records)


def test_refused_access_is_logged_with_actor_path_and_source(personas, caplog):
    caplog.set_level(logging.INFO, logger="netweave")
    client = Client(REMOTE_ADDR="192.0.2.44")
    client.force_login(personas.alice)
    url = f"/networks/testnet/organisations/{personas.org_b.slug}/edit/"
    assert client.get(url).status_code == 403  # require(): not her organisation
    client.force_login(personas.charlie)
    assert client.get("/networks/testnet/audit/").status_code == 404  # network_for()
    lines = [r.getMessage() for r in _security_records(caplog)]
    refused = [line for line in lines if "access refused" in line]
    assert any("status=403" in line and "alice" in line and url in line for line in refused)
    assert any("192.0.2.44" in line for line in refused)
    assert any("status=404" in line and "charlie" in line for line in refused)


def test_role_changes_are_logged_with_actor_and_source(personas, caplog):
    caplog.set_level(logging.INFO, logger="netweave")
    role = network_services.assign_role(
        personas.network, personas.charlie, "observer", acting_user=personas.fiona
    )
    network_services.remove_role(role, acting_user=personas.fiona)
    lines = [r.getMessage() for r in _security_records(caplog)]
    assert any("role granted" in line and "fiona" in line and "charlie" in line for line in lines)
    assert any("role revoked" in line and "source=cli" in line for line in lines)


def test_role_change_through_the_page_logs_the_address(personas, caplog):
    caplog.set_level(logging.INFO, logger="netweave")
    client = Client(REMOTE_ADDR="203.0.113.50")
    client.force_login(personas.fiona)
    response = client.post(
        "/networks/testnet/roles/assign/", {"user": "charlie", "kind": "observer"}
    )
    assert response.status_code == 302
    lines = [r.getMessage() for r in _security_records(caplog) if "role granted" in r.getMessage()]
    assert "source=203.0.113.50" in lines[0]


def _boom(request):
    raise RuntimeError("secret internals: db password hunter2")


urlpatterns = [path("boom/", _boom)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_generic_error_page_with_debug_off(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "hunter2" not in body and "Traceback" not in body


@override_settings(DEBUG=False)
def test_translatable_404_and_403_pages(personas):
    client = Client()
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    client.force_login(personas.alice)
    response = client.get(f"/networks/testnet/organisations/{personas.org_b.slug}/edit/")
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
