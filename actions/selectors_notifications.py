"""Reads on notifications: the unread count shown in the header, each person's choices."""

from __future__ import annotations

import contextlib

from django.contrib.auth.models import User
from django.core.cache import cache

from actions.models import Delivery, Kind, Notification, NotificationPreference

UNREAD_CACHE_SECONDS = 300


def _unread_key(user: User) -> str:
    # The account's creation instant keeps two databases' users with one id apart in one cache.
    return f"notifications:unread:{user.pk}:{user.date_joined.timestamp():.6f}"


def unread_count(*, user: User) -> int:
    """From the cache when it can (no query on most pages), else from the database."""
    key = _unread_key(user)
    try:
        cached = cache.get(key)
    except Exception:  # a cache that does not answer never breaks a page
        cached = None
    if cached is not None:
        return int(cached)
    count = Notification.objects.visible_to(user).unread().count()
    with contextlib.suppress(Exception):  # the count is shown all the same
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def unread_forget(*, users: list[User]) -> None:
    with contextlib.suppress(Exception):  # entries expire on their own
        cache.delete_many([_unread_key(u) for u in users])


def preferences_for(*, user: User) -> dict[str, str]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.value: chosen.get(kind.value, Delivery.IMMEDIATE.value) for kind in Kind}
