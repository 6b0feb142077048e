"""API keys: `Authorization: Token <key>`; only the key's SHA-256 is stored."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone
from rest_framework import authentication, exceptions

from conventions.models import ApiToken

KEY_PREFIX_LENGTH = 8
# Last use is recorded at most this often: reads do not each write the token's row.
LAST_USED_INTERVAL = datetime.timedelta(minutes=5)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: User, name: str, by: User | None) -> tuple[ApiToken, str]:
    """Return the token row and the clear key, which is never stored and shown only once."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:KEY_PREFIX_LENGTH], key_hash=hash_key(key), created_by=by
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


class HashedTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str):
        token = (
            ApiToken.objects.active().select_related("user").filter(key_hash=hash_key(key)).first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Jeton invalide ou révoqué.")
        api_token_touch(token=token)
        return token.user, token


def api_token_touch(*, token: ApiToken) -> None:
    """Record the token's use when its last record is older than LAST_USED_INTERVAL: no query
    otherwise. Conditional, so concurrent requests write it once."""
    now = timezone.now()
    stale = now - LAST_USED_INTERVAL
    if token.last_used_at is not None and token.last_used_at > stale:
        return
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale), pk=token.pk
    ).update(last_used_at=now)
    token.last_used_at = now
