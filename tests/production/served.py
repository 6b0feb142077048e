"""The production configuration started for real (gunicorn with DEBUG off, a Celery worker and
beat on Redis, hashed static files) and a small HTTP client that talks to it as a browser behind
the TLS-ending reverse proxy would: X-Forwarded-Proto: https, secure cookies kept by hand, redirects
not followed."""

from __future__ import annotations

import http.client
import json as _json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

from demo.data import DEMO_RECOVERY_CODES

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Browser:
    port: int
    proxied: bool = True
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookies: list[str] = field(default_factory=list)

    def request(self, method: str, path: str, *, data=None, json=None, headers=None) -> Answer:
        sent = {"Host": "127.0.0.1", **(headers or {})}
        if self.proxied:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = f"https://127.0.0.1{path}"
        if json is not None:
            body = _json.dumps(json)
            sent["Content-Type"] = "application/json"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        for raw in answer.headers.get_all("Set-Cookie") or []:
            self.set_cookies.append(raw)
            for name, morsel in SimpleCookie(raw).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return answer

    def get(self, path: str, **kwargs) -> Answer:
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, data: dict) -> Answer:
        """Posts a form the way a browser does: the page first, then its CSRF token."""
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no CSRF token in {path} ({page.status})"
        return self.request("POST", path, data={"csrfmiddlewaretoken": token[1], **data})

    def sign_in(self, username: str, password: str) -> Answer:
        answer = self.post_form("/connexion/", {"username": username, "password": password})
        assert answer.status == 302, f"sign-in of {username}: {answer.status}"
        landing = self.get(answer.header("Location"))
        if landing.status == 302 and landing.header("Location").startswith(
            "/connexion/verification/"
        ):
            # Officers give their second factor: one of the demo's single-use recovery codes.
            answer = self.post_form(landing.header("Location"), {"code": next(RECOVERY_CODES)})
            assert answer.status == 302, f"second factor of {username}: {answer.status}"
            assert not answer.header("Location").startswith("/connexion"), username
        return answer


RECOVERY_CODES = iter(DEMO_RECOVERY_CODES)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Stack:
    def __init__(self, tmp: Path, database_url: str) -> None:
        self.tmp = tmp
        self.port = free_port()
        self.private = tmp / "private"
        self.processes: list[subprocess.Popen] = []
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DJANGO_"))}
        self.env = {
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database_url,
            "REDIS_URL": os.environ.get("REDIS_URL", ""),
            "CELERY_TASK_DEFAULT_QUEUE": f"production-test-{os.getpid()}",
            "HEARTBEAT_SECONDS": "2",
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "PRIVATE_MEDIA_ROOT": str(self.private),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_BASE_URL": "https://127.0.0.1",
            "SECURE_PROXY_SSL_HEADER": "1",
            "LOG_LEVEL": "INFO",
        }

    def run(self, *args: str) -> None:
        result = subprocess.run(
            args, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr

    def start(self, name: str, *args: str) -> None:
        log = (self.tmp / f"{name}.log").open("wb")
        self.processes.append(
            subprocess.Popen(
                args,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def wait_healthy(self, *, worker: bool, timeout: float = 90) -> dict:
        deadline = time.monotonic() + timeout
        body: dict = {}
        while time.monotonic() < deadline:
            for process in self.processes:
                assert process.poll() is None, f"a process of the stack stopped: {process.args}"
            try:
                answer = Browser(self.port).get("/healthz")
                body = _json.loads(answer.body)
                if answer.status == 200 and (body["worker"]["ok"] or not worker):
                    return body
            except (OSError, ValueError):
                pass
            time.sleep(0.5)
        pytest.fail(f"stack not healthy after {timeout} s: {body}\n{self.log('web')}")


def database_url() -> str:
    db = connection.settings_dict
    auth = f"{db['USER']}:{db['PASSWORD']}" if db["PASSWORD"] else db["USER"]
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
