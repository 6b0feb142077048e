"""Sign-in guard: failed attempts counted per identifier and per address, temporary lockouts.

Everything is in the database (not the cache), so the guard holds when Redis is down."""

from __future__ import annotations

import ipaddress
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import FailedSignIn, Lockout, Scope
from conventions.access import is_officer

logger = logging.getLogger(__name__)

UNLOCK_REFUSED = "Seul un chargé de mission CNSA peut déverrouiller une connexion."


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def limits(scope: str) -> dict[str, int]:
    """How many failures within the window lock an identifier, an address."""
    if scope == Scope.TOKEN:
        return {Lockout.Kind.ADDRESS: _setting("SIGNIN_TOKEN_ADDRESS_LIMIT", 20)}
    return {
        Lockout.Kind.ACCOUNT: _setting("SIGNIN_ACCOUNT_LIMIT", 5),
        Lockout.Kind.ADDRESS: _setting("SIGNIN_ADDRESS_LIMIT", 20),
    }


def window() -> timedelta:
    return timedelta(seconds=_setting("SIGNIN_WINDOW_SECONDS", 900))


def lockout_duration() -> timedelta:
    return timedelta(seconds=_setting("SIGNIN_LOCKOUT_SECONDS", 900))


def normalise_username(username: str | None) -> str:
    return (username or "").strip().casefold()[:150]


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or the header a trusted reverse proxy sets
    (SIGNIN_ADDRESS_HEADER, e.g. HTTP_X_REAL_IP); None when missing or not an address."""
    if request is None:
        return None
    header = getattr(settings, "SIGNIN_ADDRESS_HEADER", "") or "REMOTE_ADDR"
    raw = request.META.get(header) or request.META.get("REMOTE_ADDR") or ""
    raw = raw.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def _keys(*, scope: str, username: str, address: str | None) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = []
    if Lockout.Kind.ACCOUNT in limits(scope) and username:
        keys.append((Lockout.Kind.ACCOUNT, username))
    if address:
        keys.append((Lockout.Kind.ADDRESS, address))
    return keys


def lockout_find(*, scope: str, username: str | None = None, address: str | None) -> Lockout | None:
    """The active lockout that refuses this attempt (the one ending last), if any."""
    name = normalise_username(username)
    found = None
    for kind, key in _keys(scope=scope, username=name, address=address):
        lockout = (
            Lockout.objects.active()
            .filter(scope=scope, kind=kind, key=key)
            .order_by("-until")
            .first()
        )
        if lockout and (found is None or lockout.until > found.until):
            found = lockout
    return found


def _failures_since(*, scope: str, kind: str, key: str, now: datetime) -> int:
    since = now - window()
    last = (
        Lockout.objects.filter(scope=scope, kind=kind, key=key)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last and last > since:
        since = last  # a lockout (ended or lifted) starts the count afresh
    field = "username" if kind == Lockout.Kind.ACCOUNT else "address"
    return FailedSignIn.objects.filter(scope=scope, at__gt=since, **{field: key}).count()


@transaction.atomic
def signin_failure_record(
    *, scope: str, username: str | None = None, address: str | None
) -> Lockout | None:
    """Record a refused attempt; return the lockout it triggers, if it reaches a limit."""
    now = timezone.now()
    name = normalise_username(username)
    FailedSignIn.objects.create(scope=scope, username=name, address=address, at=now)
    triggered = None
    limit_for = limits(scope)
    for kind, key in _keys(scope=scope, username=name, address=address):
        count = _failures_since(scope=scope, kind=kind, key=key, now=now)
        if count >= limit_for[kind]:
            triggered = Lockout.objects.create(
                scope=scope,
                kind=kind,
                key=key,
                created_at=now,
                until=now + lockout_duration(),
                failures=count,
            )
            logger.warning(
                "signin lockout scope=%s kind=%s failures=%s until=%s",
                scope,
                kind,
                count,
                triggered.until.isoformat(),
            )
    return triggered


def lockout_lift(*, lockout: Lockout, by: User | AnonymousUser) -> Lockout:
    """An officer (or a superuser) lifts a lockout before its end."""
    if not (getattr(by, "is_superuser", False) or is_officer(by)):
        raise PermissionDenied(UNLOCK_REFUSED)
    if lockout.lifted_at is None:
        lockout.lifted_at = timezone.now()
        lockout.lifted_by = by  # type: ignore[assignment]
        lockout.save(update_fields=["lifted_at", "lifted_by"])
    return lockout


def lockout_message(lockout: Lockout) -> str:
    """French, saying when to retry (local time) and who can unlock."""
    until = timezone.localtime(lockout.until)
    minutes = max(1, -(-int((lockout.until - timezone.now()).total_seconds()) // 60))
    when = f"{until:%H} h {until:%M} (dans {minutes} minute{'s' if minutes > 1 else ''})"
    if lockout.kind == Lockout.Kind.ACCOUNT:
        return (
            f"Trop de tentatives infructueuses : ce compte est bloqué jusqu'à {when}. "
            "Réessayez ensuite, ou demandez à un chargé de mission CNSA de le débloquer."
        )
    return (
        f"Trop de tentatives infructueuses : les connexions depuis votre adresse sont bloquées "
        f"jusqu'à {when}. Réessayez ensuite, ou demandez à un chargé de mission CNSA de les débloquer."
    )
