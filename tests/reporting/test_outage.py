"""Redis down, Redis restarted empty, ten identical requests at once: nothing lost, no false 503,
no 500, and every job sent again by the beat's task within its minute."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from config.celery import app as celery_app
from conventions.authentication import api_token_create
from reporting import services
from reporting.broker import broker_task_ids
from reporting.models import Report
from reporting.tasks import requeue_reports


@contextmanager
def _on_redis(settings, url: str):
    """Cache, throttles and broker all on the given Redis, tasks really sent (not eager)."""
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    saved = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    celery_app.conf.broker_url = url
    celery_app.conf.task_always_eager = False
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


def _api(user) -> APIClient:
    _, key = api_token_create(user=user, name="outage", by=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _held(report: Report) -> bool:
    return report.task_id in broker_task_ids(queue=celery_app.conf.task_default_queue)


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_reads_and_writes_work_and_a_report_is_kept_then_sent_when_it_returns(
    settings, own_redis, lyon, officer, porteur, client
):
    api = _api(officer)
    with _on_redis(settings, own_redis.url):
        own_redis.stop()

        assert api.get("/api/v1/conventions/").status_code == 200
        assert api.get("/api/v1/totals/?group_by=year").status_code == 200
        assert api.post("/api/v1/tokens/", {"name": "pendant la panne"}).status_code == 201

        asked = api.post("/api/v1/reports/", {"convention": lyon.pk, "kind": "final"})
        assert asked.status_code == 503
        assert asked.json()["detail"] == services.BROKER_DOWN_MESSAGE
        assert isinstance(asked["Location"], str) and asked["Location"].endswith("/")
        report = Report.objects.get()
        assert (report.status, report.enqueued_at) == (Report.Status.QUEUED, None)

        client.force_login(porteur)
        page = client.post(
            f"/conventions/{lyon.pk}/rapports/", {"kind": "annual", "year": 2016}, follow=True
        )
        assert page.status_code == 200
        assert "momentanément indisponible" in page.content.decode()
        assert Report.objects.filter(status=Report.Status.QUEUED, enqueued_at=None).count() == 2

        assert requeue_reports() == 0  # still down: nothing sent, nothing lost

        own_redis.start()  # back, and empty
        assert requeue_reports() == 2

        for kept in Report.objects.all():
            assert kept.status == Report.Status.QUEUED and kept.enqueued_at is not None
            assert _held(kept)


@pytest.mark.django_db(transaction=True)
def test_jobs_lost_by_a_redis_restarted_empty_are_sent_again_and_waiting_ones_are_not_duplicated(
    settings, own_redis, lyon, porteur
):
    with _on_redis(settings, own_redis.url):
        report = services.report_request(convention=lyon, kind="final", by=porteur)
        a_minute_ago = timezone.now() - timedelta(seconds=settings.REPORT_REQUEUE_AFTER_SECONDS + 1)
        Report.objects.filter(pk=report.pk).update(enqueued_at=a_minute_ago)
        assert _held(report)

        assert requeue_reports() == 0  # waiting its turn in the queue: left alone

        own_redis.flush()
        assert not _held(report)
        assert requeue_reports() == 1

        assert _held(report)
        report.refresh_from_db()
        assert report.enqueued_at > a_minute_ago


def test_the_beat_looks_for_lost_jobs_every_minute():
    entry = next(
        e
        for e in celery_app.conf.beat_schedule.values()
        if e["task"] == "reporting.requeue_reports"
    )
    assert entry["schedule"] <= 60


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_identical_requests_at_once_get_the_same_job_and_never_a_false_503(
    settings, own_redis, lyon, officer
):
    api_keys = [api_token_create(user=officer, name=f"t{i}", by=officer)[1] for i in range(10)]
    answers: list[tuple[int, int]] = []
    start = threading.Barrier(10)

    def ask(key: str) -> None:
        from django.db import connection

        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        start.wait()
        try:
            response = client.post("/api/v1/reports/", {"convention": lyon.pk, "kind": "final"})
            answers.append((response.status_code, response.json()["id"]))
        finally:
            connection.close()

    with _on_redis(settings, own_redis.url):
        threads = [threading.Thread(target=ask, args=(key,)) for key in api_keys]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert len(answers) == 10
    assert {status for status, _ in answers} == {202}
    assert len({job for _, job in answers}) == 1
    assert Report.objects.count() == 1
