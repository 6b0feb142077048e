"""What the broker holds: the ids of the report tasks waiting in Redis or delivered to a worker.

Redis keeps nothing on disk: after a restart the messages are gone while the rows still say
`queued`. Looking in the broker tells a lost job from one that is only waiting its turn.
"""

from __future__ import annotations

import json

import redis
from django.conf import settings

UNACKED = "unacked"  # kombu's Redis transport: messages delivered and not yet acknowledged


def _task_id(raw: bytes | str) -> str | None:
    try:
        message = json.loads(raw)
    except ValueError:
        return None
    if isinstance(message, list):  # unacked entries are [message, exchange, routing key]
        message = message[0] if message else {}
    return (message.get("headers") or {}).get("id") if isinstance(message, dict) else None


def broker_task_ids(*, queue: str) -> set[str]:
    """Ids of the tasks in the queue (every priority list) and in the unacked hash."""
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    ids: set[str] = set()
    for raw in client.hvals(UNACKED):
        ids.add(_task_id(raw) or "")
    for key in client.scan_iter(match=f"{queue}*", count=100):
        if client.type(key) == b"list":
            ids.update(_task_id(raw) or "" for raw in client.lrange(key, 0, -1))
    ids.discard("")
    return ids
