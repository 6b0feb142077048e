"""Every response carries its request id, CSP and Permissions-Policy; the log line has ids only; a
refusal logs one line, without traceback."""

from __future__ import annotations

import contextlib
import logging

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def caplog_records(name: str):
    """The records a logger emits, after its own filters (as the console handler sees them)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


def test_a_page_carries_the_security_headers(client):
    response = client.get("/connexion/")

    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in next(d for d in csp.split(";") if "script-src" in d)
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert len(response["X-Request-Id"]) == 32


def test_the_log_line_names_the_request_and_user_by_id_only(client, caplog):
    user = UserFactory(username="jeanne.martin", email="jeanne@example.fr")
    client.force_login(user)

    with caplog.at_level(logging.INFO, logger="core.requests"):
        response = client.get("/mes-actions/", HTTP_X_REQUEST_ID="proxy-id-12345678")

    [record] = [r for r in caplog.records if r.name == "core.requests"]
    assert record.getMessage().startswith("GET /mes-actions/ 200 ")
    assert (record.request_id, record.user_id) == ("proxy-id-12345678", str(user.pk))
    assert "jeanne" not in record.getMessage()
    assert response["X-Request-Id"] == "proxy-id-12345678"


def test_a_forged_request_id_is_replaced(client):
    response = client.get("/connexion/", HTTP_X_REQUEST_ID="bad id\nwith newline")

    assert response["X-Request-Id"] != "bad id\nwith newline"
    assert len(response["X-Request-Id"]) == 32


def test_a_refusal_is_one_warning_line_without_traceback(client, cnsa):
    reader = UserFactory(username="lecteur")
    MembershipFactory(user=reader, organisation=cnsa, role="reader")
    client.force_login(reader)

    with caplog_records("django.request") as records:
        response = client.get(reverse("backoffice:convention_create"))

    assert response.status_code == 403
    [record] = records
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert record.getMessage().startswith("Forbidden (Permission denied)")
