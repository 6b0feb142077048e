"""Reports' fixtures: the Lyon convention, its users, an eager Celery for in-process tests and
real Celery workers (subprocesses on the test database) for the `worker` tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from config.celery import app as celery_app
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.reporting.builders import generated_convention, lyon_convention

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _celery_mode(request):
    """In-process tests run tasks eagerly even when REDIS_URL is set (CI); worker tests do not."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = not request.node.get_closest_marker("worker")
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def lyon(cnsa):
    return lyon_convention(cnsa)


@pytest.fixture
def porteur(lyon):
    """A coordinator of the Métropole de Lyon: may ask for and download Lyon's reports."""
    user = UserFactory(username="coordinatrice-lyon")
    MembershipFactory(user=user, organisation=lyon.beneficiary, role="coordinator")
    return user


@pytest.fixture
def reader(lyon):
    user = UserFactory(username="lecteur-lyon")
    MembershipFactory(user=user, organisation=lyon.beneficiary, role="reader")
    return user


@pytest.fixture
def other_partner(cnsa):
    """The coordinator of another porteur, with a convention of its own."""
    convention = generated_convention(cnsa, actions=2, reference="CNSA-AUTRE-2019")
    user = UserFactory(username="coordinateur-autre")
    MembershipFactory(user=user, organisation=convention.beneficiary, role="coordinator")
    return user


@pytest.fixture
def departmental_union(lyon):
    """Leads one of Lyon's actions: sees the convention's header, not its whole report."""
    union = OrganisationFactory(name="Union départementale du Rhône", kind="departmental_union")
    action = lyon.axes.get(number=1).actions.get()
    action.lead_organisation = union
    action.save()
    user = UserFactory(username="union-rhone")
    MembershipFactory(user=user, organisation=union, role="contributor")
    return user


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Workers:
    """Celery workers as subprocesses, on the test database and a queue of their own."""

    def __init__(self, media_root: Path, logs: Path) -> None:
        self.queue = f"test-reports-{uuid.uuid4().hex[:8]}"
        self.media_root = media_root
        self.logs = logs
        self.procs: list[subprocess.Popen] = []

    def start(self, **env: str) -> subprocess.Popen:
        log = self.logs / f"worker-{len(self.procs)}.log"
        environ = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": _database_url(),
            "MEDIA_ROOT": str(self.media_root),
            "LOG_LEVEL": "INFO",
            **env,
        }
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-l", "info"]
        command += [
            "--concurrency",
            "1",
            "-Q",
            self.queue,
            "-n",
            f"{self.queue}-{len(self.procs)}@%h",
        ]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        with log.open("w") as out:
            proc = subprocess.Popen(
                command,
                cwd=ROOT,
                env=environ,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.procs.append(proc)
        self._wait_ready(log, proc)
        return proc

    @staticmethod
    def _wait_ready(log: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in log.read_text():
                return
            if proc.poll() is not None:
                pytest.fail(f"the worker stopped at start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        pytest.fail(f"the worker was not ready after {timeout} s:\n{log.read_text()[-3000:]}")

    @staticmethod
    def kill_hard(proc: subprocess.Popen) -> None:
        """kill -9 the worker and its pool processes, as the OOM killer or a power cut would."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=5)


@pytest.fixture
def workers(settings, tmp_path):
    team = Workers(Path(settings.MEDIA_ROOT), tmp_path)
    saved = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = team.queue
    yield team
    team.stop_all()
    celery_app.conf.task_default_queue = saved
