"""API tokens behind the sign-in guard: wrong tokens are counted per address; past the limit the
address gets 429 with the time to retry, even with a valid token, until the lockout ends."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import exceptions

from accounts.models import Scope
from accounts.services import client_address, lockout_find, lockout_message, signin_failure_record
from conventions.authentication import HashedTokenAuthentication


class Locked(exceptions.Throttled):
    default_code = "locked"


def _locked(lockout) -> Locked:
    wait = max(1, int((lockout.until - timezone.now()).total_seconds()))
    return Locked(wait=wait, detail=lockout_message(lockout))


class GuardedTokenAuthentication(HashedTokenAuthentication):
    def authenticate(self, request):
        # Only requests that present a token are guarded here (sessions go through the backend).
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.split(" ", 1)[0].lower() != self.keyword.lower():
            return None
        address = client_address(request)
        lockout = lockout_find(scope=Scope.TOKEN, address=address)
        if lockout is not None:
            raise _locked(lockout)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            triggered = signin_failure_record(scope=Scope.TOKEN, address=address)
            if triggered is not None:
                raise _locked(triggered) from None
            raise
