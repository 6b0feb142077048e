"""Sessions suited to agents: idle timeout, a list of one's sessions, sign-out everywhere."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import UserSession
from accounts.services import client_address

SEEN = "accounts_seen"
SEEN_EVERY = 60  # seconds between two writes of the last activity


def idle_limit() -> int:
    return int(getattr(settings, "SESSION_IDLE_TIMEOUT_SECONDS", 1800))


def session_touch(*, request: HttpRequest, method: str = "") -> None:
    """Note the session's activity (at most once a minute) and keep its row for the list."""
    now = timezone.now()
    user = cast(User, request.user)
    request.session[SEEN] = now.timestamp()
    if not request.session.session_key:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "last_seen_at": now,
            "address": client_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
        },
        create_defaults={
            "user": user,
            "created_at": now,
            "last_seen_at": now,
            "address": client_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
            "method": method,
        },
    )


def session_is_idle(request: HttpRequest, now: datetime) -> bool:
    seen = request.session.get(SEEN)
    return seen is not None and now.timestamp() - seen > idle_limit()


def session_needs_touch(request: HttpRequest, now: datetime) -> bool:
    seen = request.session.get(SEEN)
    return seen is None or now.timestamp() - seen > SEEN_EVERY


@transaction.atomic
def sessions_end_all(*, request: HttpRequest, keep_current: bool = False) -> int:
    """Sign the user out of every session (this one too unless keep_current); return how many."""
    user = cast(User, request.user)
    current = request.session.session_key
    rows = UserSession.objects.filter(user=user)
    if keep_current:
        rows = rows.exclude(session_key=current)
    keys = list(rows.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    rows.delete()
    if not keep_current:
        logout(request)
    return len(keys)


def sessions_of(user) -> list[UserSession]:
    cutoff = timezone.now() - timedelta(seconds=idle_limit())
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return list(
        UserSession.objects.filter(user=user, last_seen_at__gt=cutoff, session_key__in=live)
    )
