"""Property-based tests of the whole API against its own OpenAPI schema.

Schemathesis reads /api/schema/ from the WSGI application and, for every operation,
sends a few generated requests as a facilitator (token authentication). Every answer must
be below 500, have the documented content type and, where the schema documents the
status, match the documented body.

No operation is left out. One check is not run: ``status_code_conformance``, because
the schema documents the success statuses only; the refusals every endpoint may give
(400 for bad input, 403/404 by the access policy) are deliberate and tested elsewhere.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from netweave.wsgi import application

EXAMPLES = 4
# Failures found and reported to the owner of the code, each with its cause. An entry is
# removed when its fix lands; the test still fails for any failure not listed here.
KNOWN: dict[str, str] = {}
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


def _summary(error: BaseException) -> str:
    """The first lines of a failure, with the request to reproduce it."""
    text = str(error).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    reproduce = [line for line in lines if line.startswith("curl ")]
    return " | ".join(lines[:3] + reproduce)[:600]


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Requests go through the WSGI handler, not the test client: keep it from closing the
    database connection of the test's transaction at each request, as the test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("wsgi_keeps_the_test_connection")
def test_every_operation_answers_as_documented(personas):
    token = Token.objects.create(user=personas.fiona)
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    failures: dict[str, str] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            # Each request in a savepoint: on PostgreSQL one failed query would otherwise
            # abort the test's transaction and turn every later answer into a 500.
            savepoint = transaction.savepoint()
            try:
                response = case.call(headers=headers)
            finally:
                transaction.savepoint_rollback(savepoint)
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            check()
        except (Exception, BaseExceptionGroup) as error:  # every failure is collected
            failures[operation.label] = _summary(error)
    assert operations > 50
    unexpected = {label: text for label, text in failures.items() if label not in KNOWN}
    assert unexpected == {}
