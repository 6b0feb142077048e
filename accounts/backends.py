"""The password backend behind every sign-in form (pages, admin, DRF's login): it refuses any
attempt while a lockout holds, and records each wrong password."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts.models import Scope
from accounts.services import client_address, lockout_find, signin_failure_record


class GuardedModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username")
        if username is None or password is None:
            return None
        address = client_address(request)
        if lockout_find(scope=Scope.PASSWORD, username=username, address=address):
            # Stops authenticate() for every backend: the password is not even checked.
            raise PermissionDenied("locked")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            signin_failure_record(scope=Scope.PASSWORD, username=username, address=address)
        elif request is not None:
            # Read when the session opens: a password sign-in may need a second factor.
            request.accounts_password_user = user.pk
        return user
