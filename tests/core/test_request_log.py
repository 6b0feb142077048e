"""One log line per request: request id, user id and duration, no name or address."""

from __future__ import annotations

import logging
import re

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_request_logs_one_line_with_its_id_user_id_and_duration(client, caplog):
    user = UserFactory(username="jeanne.martin", email="jeanne.martin@example.org")
    client.force_login(user)

    with caplog.at_level(logging.INFO, logger="core.requests"):
        response = client.get("/nexiste-pas/", HTTP_X_REQUEST_ID="proxy-id-12345678")

    records = [r for r in caplog.records if r.name == "core.requests"]
    assert len(records) == 1
    record = records[0]
    assert re.fullmatch(r"GET /nexiste-pas/ 404 \d+\.\dms", record.getMessage())
    assert record.request_id == "proxy-id-12345678" == response["X-Request-Id"]
    assert record.user_id == str(user.pk)
    formatted = (
        logging.getLogger().handlers[0].format(record) if logging.getLogger().handlers else ""
    )
    assert "jeanne" not in record.getMessage() + formatted


def test_an_unusable_request_id_from_outside_is_replaced(client, caplog):
    with caplog.at_level(logging.INFO, logger="core.requests"):
        response = client.get("/connexion/", HTTP_X_REQUEST_ID="bad id\nforged line")

    record = next(r for r in caplog.records if r.name == "core.requests")
    assert re.fullmatch(r"[0-9a-f]{32}", record.request_id)
    assert response["X-Request-Id"] == record.request_id
    assert record.user_id == "-"
