"""The sign-in guard's services, called directly: who counts, when a lockout starts, how it reads,
who lifts it. The doors that call them are tried in test_lockout.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import FailedSignIn, Lockout, Scope
from accounts.services import (
    client_address,
    lockout_find,
    lockout_lift,
    lockout_message,
    signin_failure_record,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD_SCOPE = Scope.PASSWORD


@pytest.mark.parametrize(
    ("meta", "header", "expected"),
    [
        ({"REMOTE_ADDR": "192.0.2.7"}, "", "192.0.2.7"),
        ({"REMOTE_ADDR": "not an address"}, "", None),
        (
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_REAL_IP": "2001:db8::1"},
            "HTTP_X_REAL_IP",
            "2001:db8::1",
        ),
        # A proxy appends the address it saw: the last one is the one it vouches for.
        (
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.4"},
            "HTTP_X_FORWARDED_FOR",
            "198.51.100.4",
        ),
        ({"REMOTE_ADDR": "10.0.0.1"}, "HTTP_X_REAL_IP", "10.0.0.1"),
    ],
)
def test_the_client_address_comes_from_the_trusted_header_only(settings, meta, header, expected):
    settings.SIGNIN_ADDRESS_HEADER = header
    request = RequestFactory().get("/", **meta)
    assert client_address(request) == expected


def test_the_fifth_failure_locks_the_account_whatever_the_case_of_the_name(settings):
    settings.SIGNIN_ACCOUNT_LIMIT = 5
    for i in range(4):
        assert (
            signin_failure_record(
                scope=PASSWORD_SCOPE,
                username=" Marie.Curie " if i % 2 else "marie.curie",
                address=f"192.0.2.{i}",
            )
            is None
        )
    lockout = signin_failure_record(
        scope=PASSWORD_SCOPE, username="MARIE.CURIE", address="192.0.2.9"
    )
    assert lockout is not None
    assert (lockout.kind, lockout.key, lockout.failures) == (Lockout.Kind.ACCOUNT, "marie.curie", 5)
    assert FailedSignIn.objects.count() == 5
    assert (
        lockout_find(scope=PASSWORD_SCOPE, username="Marie.Curie", address="203.0.113.1") == lockout
    )


def test_token_failures_lock_the_address_never_an_account(settings):
    settings.SIGNIN_TOKEN_ADDRESS_LIMIT = 3
    token_scope = Scope.TOKEN
    results = [
        signin_failure_record(scope=token_scope, username="x", address="198.51.100.1")
        for _ in range(3)
    ]
    assert results[:2] == [None, None]
    assert results[2] is not None and results[2].kind == Lockout.Kind.ADDRESS
    assert not Lockout.objects.filter(kind=Lockout.Kind.ACCOUNT).exists()


def _lockout(kind, minutes_left: int) -> Lockout:
    now = timezone.now()
    return Lockout.objects.create(
        scope=PASSWORD_SCOPE,
        kind=kind,
        key="marie.curie" if kind == Lockout.Kind.ACCOUNT else "192.0.2.1",
        created_at=now - timedelta(minutes=1),
        until=now + timedelta(minutes=minutes_left, seconds=-1),
    )


def test_the_message_says_until_when_in_local_time_with_french_plurals():
    one = lockout_message(_lockout(Lockout.Kind.ACCOUNT, 1))
    assert "ce compte est bloqué jusqu'à" in one
    assert "(dans 1 minute)" in one
    fifteen = lockout_message(_lockout(Lockout.Kind.ADDRESS, 15))
    assert "les connexions depuis votre adresse sont bloquées" in fifteen
    assert "(dans 15 minutes)" in fifteen


def test_only_an_officer_or_a_superuser_lifts_a_lockout_and_lifting_twice_keeps_the_first(officer):
    lockout = _lockout(Lockout.Kind.ACCOUNT, 10)
    with pytest.raises(PermissionDenied, match="Seul un chargé de mission CNSA"):
        lockout_lift(lockout=lockout, by=UserFactory())
    lifted = lockout_lift(lockout=lockout, by=officer)
    first = lifted.lifted_at
    assert first is not None and lifted.lifted_by == officer
    assert lockout_lift(lockout=lockout, by=UserFactory(is_superuser=True)).lifted_at == first
    assert lockout_find(scope=PASSWORD_SCOPE, username="marie.curie", address=None) is None
