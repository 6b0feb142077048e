from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.factories import UserFactory

PASSWORD = "motdepasse-de-test"


class Clock:
    """Moves Django's clock (timezone.now) forward in a test."""

    def __init__(self, monkeypatch):
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture(autouse=True)
def _no_throttle_state():
    # The API's throttle counters live in the cache: start each test with none.
    cache.clear()
    yield
    with contextlib.suppress(Exception):  # a test may have pointed the cache at a dead Redis
        cache.clear()


@pytest.fixture
def partner(db):
    return UserFactory(username="partenaire")
