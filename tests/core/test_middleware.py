"""Every response carries its request id, CSP and Permissions-Policy; the log line has ids only."""

from __future__ import annotations

import logging

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


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
