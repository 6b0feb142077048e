"""API rate limits that survive a cache outage: counters in the shared cache (Redis) while it
answers, in a per-process memory cache while it does not, logged once per outage."""

from __future__ import annotations

import logging
from typing import Any, cast

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

logger = logging.getLogger(__name__)


class FallbackCache:
    """The two calls DRF's throttles make (get, set), with a local fallback."""

    def __init__(self) -> None:
        self.local = LocMemCache("throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
        self.degraded = False

    def _call(self, method: str, *args: Any) -> Any:
        try:
            result = getattr(caches["default"], method)(*args)
        except Exception as exc:  # any cache client error: Redis down, timeout, refused
            if not self.degraded:
                self.degraded = True
                logger.error(
                    "Cache injoignable (%s) : limites de débit de l'API tenues en mémoire locale.",
                    type(exc).__name__,
                )
            return getattr(self.local, method)(*args)
        if self.degraded:
            self.degraded = False
            logger.warning("Cache revenu : limites de débit de l'API de nouveau partagées.")
        return result

    def get(self, key: str, default: Any = None) -> Any:
        return self._call("get", key, default)

    def set(self, key: str, value: Any, timeout: int | None = None) -> None:
        self._call("set", key, value, timeout)


# DRF only calls get and set on its cache: the fallback stands in for a BaseCache.
throttle_cache = cast(BaseCache, FallbackCache())


class ReadWriteUserThrottle(UserRateThrottle):
    """Per user, with a generous budget for reads and a tighter one for writes."""

    cache = throttle_cache
    scope = "user_read"

    def allow_request(self, request, view) -> bool:
        self.scope = "user_read" if request.method in SAFE_METHODS else "user_write"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonThrottle(AnonRateThrottle):
    cache = throttle_cache
