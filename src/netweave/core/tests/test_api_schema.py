"""The API's schema, its offline docs, its shared error helper and its refusals."""

from __future__ import annotations

import re
import uuid
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from rest_framework import serializers
from rest_framework.test import APIClient

from netweave.core.api import api_validation_error, service_errors


def _list_endpoints() -> list[str]:
    """Every router endpoint, so a new one is covered without editing this test."""
    from netweave.api import router

    urls = ["/api/v1/"]
    for prefix, viewset, _name in router.registry:
        if hasattr(viewset, "list"):
            urls.append(f"/api/v1/{prefix}/")
        else:  # detail-only endpoints: an address that would exist for a signed-in caller
            urls.append(f"/api/v1/{prefix}/{uuid.uuid4()}/")
    return urls


LIST_ENDPOINTS = _list_endpoints()


def test_schema_generates_without_warnings(db, tmp_path):
    """``spectacular --validate --fail-on-warn`` passes: every field and parameter is typed."""
    out = tmp_path / "schema.yml"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(out), stdout=StringIO()
    )
    text = out.read_text()
    for path in (
        "/api/v1/organisations/{slug}/",
        "/api/v1/people/{uid}/",
        "/api/v1/memberships/{uid}/",
        "/api/v1/relationships/{uid}/",
        "/api/v1/auth/token/",
    ):
        assert path in text


def test_memberships_and_relationships_are_addressed_by_uuid(client, db):
    """Both name their records by a ``uid`` of format uuid, in the path and in the body."""
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/memberships/{uid}/", "/api/v1/relationships/{uid}/"):
        (parameter,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "path"]
        assert (parameter["name"], parameter["schema"]["format"]) == ("uid", "uuid")
    for component in ("Membership", "Relationship"):
        properties = schema["components"]["schemas"][component]["properties"]
        assert properties["uid"]["format"] == "uuid"
        assert properties["uid"]["readOnly"] is True
        assert "key" not in properties


def test_schema_and_docs_answer_and_docs_load_nothing_from_outside(client, db):
    """/api/schema/ and /api/docs/ answer 200; the docs page refers to no external host."""
    assert client.get("/api/schema/").status_code == 200
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    references = re.findall(r"""(?:src|href)=["']([^"']+)""", page)
    assert references
    assert not [ref for ref in references if ref.startswith(("http:", "https:", "//"))]
    assert "cdn" not in page.lower()


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_anonymous_callers_are_refused_everywhere(client, db, url):
    """Every endpoint refuses a caller without credentials (401/403), on read and write."""
    api = APIClient()
    assert api.get(url).status_code in (401, 403)
    assert api.post(url, {}, format="json").status_code in (401, 403, 405)


def test_service_errors_become_a_400_by_field():
    """A service's field messages come back under the same field names."""
    with pytest.raises(serializers.ValidationError) as caught, service_errors():
        raise ValidationError({"joined": "In the future.", "__all__": "Clash."})
    assert caught.value.detail["joined"] == ["In the future."]
    assert caught.value.detail["non_field_errors"] == ["Clash."]


def test_a_message_without_a_field_is_a_non_field_error():
    """A plain ``ValidationError`` goes under ``non_field_errors``."""
    error = api_validation_error(ValidationError("Nope."))
    assert error.detail == {"non_field_errors": ["Nope."]}
