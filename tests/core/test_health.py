"""/healthz: database, Redis and the worker's heartbeat, 200 or 503."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from core import heartbeat
from core.tasks import heartbeat as heartbeat_task

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_without_redis_configured_tasks_run_in_process_and_all_is_well(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["worker"] == {"ok": True, "mode": "in-process"}


def test_an_unreachable_redis_is_a_503_the_orchestrator_sees(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"], body["redis"]["ok"]) == ("down", {"ok": True}, False)


def test_healthz_is_not_redirected_to_https_so_a_probe_inside_the_network_works(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.REDIS_URL = ""

    assert client.get("/healthz").status_code == 200
    assert client.get("/connexion/").status_code == 301


@pytest.mark.worker
def test_the_heartbeat_task_makes_the_worker_fresh_and_an_old_one_is_stale(client, settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    heartbeat.redis_client().delete(heartbeat.KEY)
    assert client.get("/healthz").json()["worker"]["ok"] is False

    heartbeat_task()
    fresh = client.get("/healthz").json()

    assert fresh["status"] == "ok" and fresh["worker"]["ok"] is True
    old = timezone.now() - timedelta(seconds=settings.HEALTHZ_WORKER_MAX_AGE + 5)
    heartbeat.redis_client().set(heartbeat.KEY, old.isoformat())
    stale = client.get("/healthz")
    assert (stale.status_code, stale.json()["status"]) == (200, "degraded")


def test_an_unreachable_database_is_a_503(client, settings, monkeypatch):
    from django.db import OperationalError, connection

    settings.REDIS_URL = ""

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}


def test_beat_sends_the_heartbeat_every_30_seconds_by_default(settings):
    assert settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"] == {
        "task": "core.heartbeat",
        "schedule": 30.0,
    }
