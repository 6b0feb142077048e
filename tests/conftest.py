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


MONEY_TABLES = (
    "financing_fundingline",
    "actions_spending",
    "actions_progressreport",
    "financing_payment",
    "actions_action",
    "axes_axis",
    "conventions_convention",
    "conventions_organisation",
)
# Writes that can move an action's earliest open deadline (actions.services_due).
DUE_TABLES = (
    "actions_progressreport",
    "actions_action",
    "actions_reportdeadline",
    "conventions_convention",
)


@pytest.fixture(autouse=True)
def _totals_stay_exact(request):
    """After any test that wrote money rows, the totals tables equal the raw rows; after any that
    wrote reports, actions or calendars, each action's kept earliest open deadline equals the rule.
    Free when the test wrote none: the statements are watched, the comparison runs only after such
    a write."""
    if not {"db", "transactional_db"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue(
        "transactional_db" if "transactional_db" in request.fixturenames else "db"
    )
    from django.db import connection

    written: set[str] = set()

    def watch(execute, sql, params, many, context):
        head = sql.lstrip()[:7].upper()
        if head.startswith(("INSERT", "UPDATE", "DELETE", "COPY")):
            if any(table in sql for table in MONEY_TABLES):
                written.add("money")
            if any(table in sql for table in DUE_TABLES):
                written.add("due")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield
    if written and not connection.needs_rollback:
        from django.db import DatabaseError

        from actions.services_due import due_differences
        from financing.totals_check import totals_differences

        try:
            differences = [
                *(totals_differences() if "money" in written else []),
                *(due_differences() if "due" in written else []),
            ]
        except DatabaseError as error:  # the test left its transaction aborted on purpose
            if "aborted" not in str(error):
                raise
            return
        assert not differences, "\n".join(map(str, differences[:20]))


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


class OwnRedis:
    """A redis-server of the test's own, on a free port: stopped, flushed, restarted at will."""

    def __init__(self, tmp_path) -> None:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path
        self.proc = None

    def start(self) -> None:
        import subprocess
        import time

        import redis

        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        pytest.fail("the test's own redis-server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def flush(self) -> None:
        import redis

        redis.Redis.from_url(self.url).flushall()


@pytest.fixture
def own_redis(tmp_path):
    if not shutil.which("redis-server"):
        _missing("needs redis-server on this machine")
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()
