"""Shared fixtures. Tests that need PostgreSQL, Redis or chromium skip without them, except in CI
(REQUIRE_SERVICES=1), where a missing service is a failure."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.factories import (
    ConventionFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _missing(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1: in CI this service must be there)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _services_for_markers(request):
    if request.node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            _missing("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if request.node.get_closest_marker("worker") and not os.environ.get("REDIS_URL"):
        _missing("needs Redis and a Celery worker: set REDIS_URL=redis://...")
    if request.node.get_closest_marker("browser") and not shutil.which("chromium"):
        _missing("needs Debian's chromium (apt-get install chromium)")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cnsa(db):
    return OrganisationFactory(
        kind="funder", name="Caisse nationale de solidarité pour l'autonomie", short_name="CNSA"
    )


@pytest.fixture
def officer(cnsa):
    user = UserFactory(username="officer")
    MembershipFactory(user=user, organisation=cnsa, role="officer")
    return user


@pytest.fixture
def convention(cnsa):
    return ConventionFactory(funder=cnsa)
