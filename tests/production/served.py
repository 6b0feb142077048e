"""The production configuration started for real: gunicorn (DEBUG off) on the test database,
a Celery worker and its beat on Redis, and a small HTTP client that talks to them as a browser
behind the TLS proxy would (X-Forwarded-Proto: https, secure cookies kept by hand)."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def production_env(*, port: int, private_root: Path, queue: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_PROXY_SSL_HEADER": "1",
        "SITE_BASE_URL": f"https://127.0.0.1:{port}",
        "PRIVATE_MEDIA_ROOT": str(private_root),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "LOG_LEVEL": "INFO",
    }


@dataclass
class Stack:
    base: str
    logs: Path
    procs: list[subprocess.Popen] = field(default_factory=list)

    def start(self, name: str, command: list[str], env: dict[str, str], ready: str) -> None:
        log = self.logs / f"{name}.log"
        with log.open("w") as out:
            proc = subprocess.Popen(  # noqa: S603
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.procs.append(proc)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if ready in log.read_text():
                return
            if proc.poll() is not None:
                raise AssertionError(f"{name} stopped at start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        raise AssertionError(f"{name} not ready:\n{log.read_text()[-3000:]}")

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=5)


def start_stack(tmp_path: Path) -> tuple[Stack, dict[str, str]]:
    port = free_port()
    queue = f"test-prod-{uuid.uuid4().hex[:8]}"
    env = production_env(port=port, private_root=tmp_path / "private", queue=queue)
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    stack = Stack(base=f"http://127.0.0.1:{port}", logs=tmp_path)
    try:
        gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
        stack.start("web", gunicorn + ["--workers", "2", "--timeout", "120"], env, "Booting worker")
        celery = [sys.executable, "-m", "celery", "-A", "config"]
        worker = ["worker", "-l", "info", "--concurrency", "1", "-Q", queue, "-n", f"{queue}@%h"]
        stack.start("worker", celery + worker, env, " ready.")
        schedule = str(tmp_path / "celerybeat-schedule")
        stack.start("beat", celery + ["beat", "-l", "info", "-s", schedule], env, "beat: Starting")
    except Exception:
        stack.stop()
        raise
    return stack, env


class Browser:
    """requests keeps secure cookies for https URLs only: behind the proxy the app is https, the
    socket is plain http, so cookies are carried by hand."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.cookies: dict[str, str] = {}
        self.host = base.removeprefix("http://")

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{self.host}{path}",
            **kwargs.pop("headers", {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.http.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=60, **kwargs
        )
        self.http.cookies.clear()
        for cookie in response.raw.headers.getlist("Set-Cookie"):
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def sign_in(self, username: str, password: str) -> requests.Response:
        page = self.get("/connexion/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.post(
            "/connexion/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        )
