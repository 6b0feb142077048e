"""/healthz: 200 while the database and Redis answer, 503 otherwise; the worker's heartbeat age."""

from __future__ import annotations

import datetime
import os

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from core import heartbeat

pytestmark = pytest.mark.django_db


def test_without_redis_configured_it_answers_200_with_in_process_jobs(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True}
    assert body["redis"] == {"ok": True, "configured": False}
    assert body["worker"] == {"ok": True, "mode": "in-process"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_answers_503_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["redis"] == {"ok": False, "error": "ConnectionError"}
    assert body["worker"] == {"ok": False, "last_heartbeat": None}


def test_it_answers_503_when_the_database_does_not_answer(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}


@pytest.fixture
def redis_settings(settings):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis: set REDIS_URL=redis://...")
    settings.REDIS_URL = os.environ["REDIS_URL"]
    saved = heartbeat.redis_client().get(heartbeat.KEY)
    yield settings
    if saved is not None:
        heartbeat.redis_client().set(heartbeat.KEY, saved, ex=24 * 3600)


@pytest.mark.worker
def test_a_fresh_heartbeat_makes_the_worker_ok(client, redis_settings):
    heartbeat.heartbeat_record()

    body = client.get("/healthz").json()

    assert body["status"] == "ok"
    assert body["redis"] == {"ok": True}
    assert body["worker"]["ok"] is True
    assert 0 <= body["worker"]["age_seconds"] < 30


@pytest.mark.worker
def test_a_stale_heartbeat_is_reported_degraded_but_web_stays_200(client, redis_settings):
    old = timezone.now() - datetime.timedelta(seconds=redis_settings.HEALTHZ_WORKER_MAX_AGE + 60)
    heartbeat.redis_client().set(heartbeat.KEY, old.isoformat())

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["worker"]["ok"] is False
    assert body["worker"]["last_heartbeat"] == old.isoformat()


@pytest.mark.worker
def test_the_heartbeat_task_records_the_time(redis_settings):
    from core.tasks import heartbeat as heartbeat_task

    before = timezone.now()
    heartbeat_task.apply()

    assert before <= heartbeat.heartbeat_last() <= timezone.now()


def test_the_heartbeat_is_scheduled_every_30_seconds(settings):
    assert settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"] == {
        "task": "core.heartbeat",
        "schedule": 30.0,
    }
