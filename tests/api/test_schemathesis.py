"""schemathesis against our own schema, in-process through WSGI, with a CNSA officer's token:
no server error, no answer outside the schema, no invalid input accepted."""

from __future__ import annotations

import os

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conventions.authentication import api_token_create

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "12"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    ignored_auth,
]
# Revoking the officer's own token mid-run would turn the rest of the run into 401s.
SKIPPED = {("POST", "/api/v1/tokens/{id}/revoke/")}


@pytest.fixture
def wsgi_app():
    """Django's own app, in this thread and this test's transaction (as the test client does)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield WSGIHandler()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def operations():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(raw)
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) not in SKIPPED:
            yield operation


def _fuzz(operation, mode: GenerationMode, headers: dict) -> None:
    # Business rules (dates inside the convention, payment ceilings) refuse some well-formed
    # writes with a 400 by design: only reads must accept every well-formed request.
    checks = [*CHECKS, positive_data_acceptance] if operation.method.upper() == "GET" else CHECKS

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=checks)

    run()


def test_schemathesis_finds_no_failure(officer, partners, wsgi_app):
    _, key = api_token_create(user=officer, name="schemathesis", by=officer)
    headers = {"Authorization": f"Token {key}"}
    failures = []
    count = 0
    for operation in operations():
        operation.app = wsgi_app
        operation.schema.app = wsgi_app
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            count += 1
            try:
                _fuzz(operation, mode, headers)
            except (Exception, BaseExceptionGroup) as exc:  # report every failing route at once
                failures.append(
                    f"{operation.method.upper()} {operation.path} [{mode.value}]: {exc}"
                )
    assert count > 80
    assert not failures, "\n\n".join(failures)
