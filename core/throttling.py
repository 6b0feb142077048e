"""API rate limits that survive a cache outage: counters in the shared cache (Redis) while it
answers, in a per-process memory cache while it does not, logged once per outage.

One counter per client and window (the window opens on the client's first request and lasts the
rate's period): two tiny cache calls per request, whatever the budget. DRF's own throttles keep the
list of every request's time in the window, read and written whole on each request: at 10 000
reads an hour that list alone costs tens of milliseconds."""

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
        except ValueError:  # incr of a missing key: an answer, not an outage
            raise
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

    def add(self, key: str, value: Any, timeout: int | None = None) -> bool:
        return self._call("add", key, value, timeout)

    def incr(self, key: str) -> int:
        try:
            return self._call("incr", key)
        except ValueError:  # the window closed between add and incr, or the cache changed
            self._call("add", key, 1, None)
            return 1


# The throttles call get, set, add and incr: the fallback stands in for a BaseCache.
throttle_cache = cast(BaseCache, FallbackCache())


class CountingThrottle:
    """A request counter per window in the cache instead of DRF's list of request times."""

    def allow_request(self, request, view) -> bool:
        throttle = cast(Any, self)
        if throttle.rate is None:
            return True
        throttle.key = throttle.get_cache_key(request, view)
        if throttle.key is None:
            return True
        throttle.now = throttle.timer()
        count_key, opened_key = f"{throttle.key}:n", f"{throttle.key}:opened"
        if throttle.cache.add(count_key, 0, throttle.duration):
            throttle.cache.set(opened_key, throttle.now, throttle.duration)
        if throttle.cache.incr(count_key) <= throttle.num_requests:
            return True
        opened = throttle.cache.get(opened_key, throttle.now)
        throttle.retry_after = max(1.0, opened + throttle.duration - throttle.now)
        return False

    def wait(self) -> float | None:
        return getattr(self, "retry_after", None)


class ReadWriteUserThrottle(CountingThrottle, UserRateThrottle):
    """Per user, with a generous budget for reads and a tighter one for writes."""

    cache = throttle_cache
    scope = "user_read"

    def allow_request(self, request, view) -> bool:
        self.scope = "user_read" if request.method in SAFE_METHODS else "user_write"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonThrottle(CountingThrottle, AnonRateThrottle):
    cache = throttle_cache
