"""/healthz for the orchestrator: database, Redis and the worker's last heartbeat."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.heartbeat import heartbeat_last, redis_client

logger = logging.getLogger(__name__)


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as exc:
        logger.warning("healthz: database unreachable: %s", type(exc).__name__)
        return {"ok": False, "error": type(exc).__name__}


def _redis_and_worker() -> tuple[dict, dict]:
    if not settings.REDIS_URL:
        return {"ok": True, "configured": False}, {"ok": True, "mode": "in-process"}
    try:
        redis_client().ping()
        last = heartbeat_last()
    except Exception as exc:
        logger.warning("healthz: redis unreachable: %s", type(exc).__name__)
        return {"ok": False, "error": type(exc).__name__}, {"ok": False, "last_heartbeat": None}
    age = (timezone.now() - last).total_seconds() if last else None
    fresh = age is not None and age <= settings.HEALTHZ_WORKER_MAX_AGE
    return {"ok": True}, {
        "ok": fresh,
        "last_heartbeat": last.isoformat() if last else None,
        "age_seconds": round(age, 1) if age is not None else None,
    }


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """503 when the database or Redis is down; a stale worker is reported, not fatal for web."""
    database = _database()
    redis_state, worker = _redis_and_worker()
    alive = database["ok"] and redis_state["ok"]
    status = ("ok" if worker["ok"] else "degraded") if alive else "down"
    return JsonResponse(
        {
            "status": status,
            "time": timezone.now().isoformat(),
            "database": database,
            "redis": redis_state,
            "worker": worker,
        },
        status=200 if alive else 503,
    )
