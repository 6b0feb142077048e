"""The worker's heartbeat: a periodic task writes the time into Redis, /healthz reads it."""

from __future__ import annotations

from datetime import datetime

import redis
from django.conf import settings
from django.utils import timezone

KEY = "conventions:worker-heartbeat"


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def heartbeat_record() -> None:
    redis_client().set(KEY, timezone.now().isoformat(), ex=24 * 3600)


def heartbeat_last() -> datetime | None:
    raw = redis_client().get(KEY)
    if not raw:
        return None
    return datetime.fromisoformat(raw.decode() if isinstance(raw, bytes) else raw)
