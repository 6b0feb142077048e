"""`make run` on the embedded defaults: SQLite, no Redis, DEBUG off under gunicorn, the demo data.
Every demo account signs in and follows every link of the pages it reaches: none answers a server
error (SQLite is stricter than PostgreSQL on some queries: a union of ordered parts, for one)."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest
from django_otp.oath import totp

from demo.data import DEMO_PASSWORD, DEMO_TOTP_KEY_HEX, DEMO_USERS
from tests.production.served import BIN, Browser, Stack

SKIPPED = ("/deconnexion", "/admin/", "/static/", "/api/", "/media/", "format=", "/telecharger")
PAGES_PER_ACCOUNT = 150
PER_KIND = 2  # pages of one kind (same path with other ids, other filters) visited at most


@pytest.fixture(scope="module")
def embedded(tmp_path_factory, collected_static):
    tmp = tmp_path_factory.mktemp("embedded")
    stack = Stack(tmp, f"sqlite:///{tmp / 'db.sqlite3'}")
    stack.env.update(REDIS_URL="", STATIC_ROOT=str(collected_static))
    try:
        stack.run(str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v0")
        stack.run(str(BIN / "python"), "manage.py", "load_demo")
        stack.start(
            "web",
            str(BIN / "gunicorn"),
            "config.wsgi",
            f"--bind=127.0.0.1:{stack.port}",
            "--workers=2",
        )
        stack.wait_healthy(worker=False)
        yield stack
    finally:
        stack.stop()


def _sign_in(browser: Browser, username: str) -> str:
    answer = browser.post_form("/connexion/", {"username": username, "password": DEMO_PASSWORD})
    assert answer.status == 302, f"sign-in of {username}: {answer.status}"
    landing = answer.header("Location")
    if landing.startswith("/connexion/verification/"):
        code = f"{totp(bytes.fromhex(DEMO_TOTP_KEY_HEX), t0=0, step=30, digits=6):06d}"
        answer = browser.post_form(landing, {"code": code})
        assert answer.status == 302, f"second factor of {username}: {answer.status}"
        landing = answer.header("Location")
    return landing


def _links(html: str, base: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"#]*)"', html):
        url = urlparse(urljoin(base, href.replace("&amp;", "&")))
        if url.netloc not in ("", "127.0.0.1") or not url.path.startswith("/"):
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if not any(s in path for s in SKIPPED):
            found.append(path)
    return found


@pytest.mark.parametrize("username", [u[0] for u in DEMO_USERS])
def test_every_page_a_demo_account_reaches_answers_without_a_server_error(embedded, username):
    browser = Browser(embedded.port)
    todo, seen, errors = [_sign_in(browser, username)], set(), []
    kinds: dict[str, int] = {}
    while todo and len(seen) < PAGES_PER_ACCOUNT:
        path = todo.pop(0)
        kind = re.sub(r"\d+", "N", path.split("?")[0]) + ("?" if "?" in path else "")
        if path in seen or kinds.get(kind, 0) >= PER_KIND:
            continue
        seen.add(path)
        kinds[kind] = kinds.get(kind, 0) + 1
        answer = browser.get(path)
        if answer.status >= 500:
            errors.append((answer.status, path))
        if answer.status in (301, 302):
            todo.insert(0, answer.header("Location"))
        elif "text/html" in answer.header("Content-Type"):
            todo += _links(answer.text, f"https://127.0.0.1{path}")

    assert errors == [], embedded.log("web")[-3000:]
    assert len(seen) >= 5, f"{username} reached only {sorted(seen)}"
