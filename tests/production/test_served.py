"""The production configuration, started for real: gunicorn with DEBUG off on PostgreSQL, a Celery
worker and beat on Redis, hashed static files; then the journeys over HTTP, as behind the
TLS-ending reverse proxy the README describes."""

from __future__ import annotations

import json
import os
import re
import time

import pytest
from django.core.management import call_command
from django.db import connection

from demo.data import DEMO_PASSWORD
from tests.production.served import BIN, Browser, Stack, database_url

# The in-process side only reads (each test in a transaction that is rolled back); the served
# stack writes through its own connections, and the module flushes the database at the end.
pytestmark = [pytest.mark.postgres, pytest.mark.worker, pytest.mark.django_db]
LYON = "CNSA-METROPOLE-LYON-2016-2017"


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory, collected_static):
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        # Module fixtures run before the per-test marker check: same rule here (a failure in CI).
        reason = "needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} (REQUIRE_SERVICES=1: in CI these services must be there)")
        pytest.skip(reason)
    from django.contrib.auth import get_user_model

    from conventions.authentication import api_token_create
    from conventions.models import Convention

    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
        officer = get_user_model().objects.get(username="cnsa.officer")
        _, key = api_token_create(user=officer, name="supervision", by=officer)
        lyon = Convention.objects.get(reference=LYON)
        stack = Stack(tmp_path_factory.mktemp("stack"), database_url())
        stack.env["STATIC_ROOT"] = str(collected_static)
        stack.token, stack.lyon = key, lyon
        try:
            stack.start(
                "web",
                str(BIN / "gunicorn"),
                "config.wsgi",
                f"--bind=127.0.0.1:{stack.port}",
                "--workers=2",
                "--timeout=120",
            )
            stack.start(
                "worker",
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                "--concurrency=1",
                "--loglevel=info",
                f"--hostname=production-test-{os.getpid()}@%h",
            )
            stack.start(
                "beat",
                str(BIN / "celery"),
                "-A",
                "config",
                "beat",
                "--loglevel=info",
                f"--schedule={stack.tmp / 'celerybeat-schedule'}",
            )
            stack.health = stack.wait_healthy(worker=True)
            yield stack
        finally:
            stack.stop()
            call_command("flush", interactive=False, verbosity=0)


def test_healthz_sees_the_database_redis_and_the_worker_heartbeat_from_beat(stack):
    first = stack.health["worker"]["last_heartbeat"]
    time.sleep(3)

    answer = Browser(stack.port).get("/healthz")

    body = json.loads(answer.body)
    assert answer.status == 200
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True}
    assert body["redis"] == {"ok": True}
    assert body["worker"]["last_heartbeat"] > first  # beat keeps sending it, the worker runs it


def test_a_page_is_styled_by_hashed_static_files_with_a_long_cache(stack):
    browser = Browser(stack.port)

    page = browser.get("/connexion/")

    assert page.status == 200
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', page.text)
    hashed = [s for s in stylesheets if re.search(r"dsfr\.min\.[0-9a-f]{12}\.css$", s)]
    assert hashed, stylesheets
    css = browser.get(hashed[0], headers={"Accept-Encoding": "gzip"})
    assert css.status == 200
    assert css.header("Content-Type").startswith("text/css")
    assert css.header("Content-Encoding") == "gzip"
    max_age = int(re.search(r"max-age=(\d+)", css.header("Cache-Control"))[1])
    assert max_age >= 365 * 24 * 3600
    assert "immutable" in css.header("Cache-Control")


def test_every_answer_carries_the_security_headers(stack):
    browser = Browser(stack.port)

    for path in ["/connexion/", "/nexiste-pas/", "/api/docs/", "/admin/login/"]:
        answer = browser.get(path)
        csp = answer.header("Content-Security-Policy")
        assert (
            "script-src 'self'" in csp
            and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        ), path
        assert "frame-ancestors 'none'" in csp
        assert answer.header("Strict-Transport-Security") == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert answer.header("X-Content-Type-Options") == "nosniff"
        assert answer.header("X-Frame-Options") == "DENY"
        assert answer.header("Referrer-Policy") == "same-origin"
        assert answer.header("Cross-Origin-Opener-Policy") == "same-origin"
        assert "camera=()" in answer.header("Permissions-Policy")


def test_plain_http_is_redirected_to_https_and_cookies_are_secure(stack):
    plain = Browser(stack.port, proxied=False).get("/connexion/")
    assert plain.status == 301
    assert plain.header("Location") == "https://127.0.0.1/connexion/"

    browser = Browser(stack.port)
    browser.sign_in("cnsa.officer", DEMO_PASSWORD)
    session = next(c for c in browser.set_cookies if c.startswith("sessionid="))
    assert "Secure" in session and "HttpOnly" in session
    csrf = next(c for c in browser.set_cookies if c.startswith("csrftoken="))
    assert "Secure" in csrf


def test_an_unknown_page_is_the_french_404_not_the_technical_one(stack):
    answer = Browser(stack.port).get("/nexiste-pas/")

    assert answer.status == 404
    assert "<h1>Page introuvable</h1>" in answer.text
    assert "urlpatterns" not in answer.text and "Django" not in answer.text


@pytest.mark.parametrize(
    ("username", "path", "expected"),
    [
        ("cnsa.officer", "/conventions/", "UNCCAS"),
        ("cnsa.lecteur", "/conventions/", "Lyon"),
        ("lyon.coordinateur", "/mes-actions/", "Lyon"),
        ("udccas69.contributeur", "/mes-actions/", "69"),
    ],
)
def test_each_role_signs_in_and_reaches_its_pages(stack, username, path, expected):
    browser = Browser(stack.port)

    signed_in = browser.sign_in(username, DEMO_PASSWORD)
    home = browser.get(signed_in.header("Location"))
    page = browser.get(path)

    assert home.status in {200, 302}
    assert page.status == 200, page.header("Location")
    assert expected in page.text
    assert "fr-header" in page.text


def test_the_api_answers_with_a_token(stack):
    browser = Browser(stack.port)

    refused = browser.get("/api/v1/conventions/")
    answer = browser.get("/api/v1/conventions/", headers={"Authorization": f"Token {stack.token}"})

    assert refused.status == 401
    assert refused.header("Content-Type") == "application/json"
    assert answer.status == 200
    body = json.loads(answer.body)
    assert body["count"] == 3
    lyon = next(c for c in body["results"] if c["id"] == stack.lyon.pk)
    assert re.fullmatch(r"\d+\.\d\d", lyon["cnsa_amount"])
    totals = browser.get(
        f"/api/v1/totals/?convention={stack.lyon.pk}",
        headers={"Authorization": f"Token {stack.token}"},
    )
    row = json.loads(totals.body)["results"][0]
    assert (row["planned"], row["cnsa_rate"]) == ("801500.00", "53.37")


def test_a_report_asked_for_by_the_api_is_accepted_and_downloaded_with_the_token(stack):
    api = Browser(stack.port)
    token = {"Authorization": f"Token {stack.token}"}

    asked = api.request(
        "POST",
        "/api/v1/reports/",
        json={"convention": stack.lyon.pk, "kind": "annual", "year": 2016},
        headers=token,
    )

    assert asked.status == 202, asked.text
    assert asked.header("Location").startswith("https://127.0.0.1/api/v1/reports/")
    report = _wait_done(stack, kind="annual")
    pdf = api.get(f"/api/v1/reports/{report['id']}/download/", headers=token)
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
    assert "rapport-cnsa-metropole-lyon-2016-2017-annual-20160101-20161231.pdf" in pdf.header(
        "Content-Disposition"
    )
    assert Browser(stack.port).get(f"/api/v1/reports/{report['id']}/download/").status == 401


def test_a_report_asked_for_on_its_page_is_made_by_the_worker_and_downloaded(stack):
    coordinator = Browser(stack.port)
    coordinator.sign_in("lyon.coordinateur", DEMO_PASSWORD)
    reports_page = f"/conventions/{stack.lyon.pk}/rapports/"

    asked = coordinator.post_form(reports_page, {"kind": "final"})

    assert asked.status == 302, asked.text[:500]
    report = _wait_done(stack)
    pdf = coordinator.get(f"/rapports/{report['id']}/telecharger/")
    assert pdf.status == 200
    assert pdf.body.startswith(b"%PDF")
    assert pdf.header("Content-Type") == "application/pdf"
    reference = re.sub(r"[^a-z0-9]+", "-", stack.lyon.reference.lower()).strip("-")
    assert re.fullmatch(
        rf'attachment; filename="rapport-{reference}-final-\d{{8}}-\d{{8}}\.pdf"',
        pdf.header("Content-Disposition"),
    )
    by_api = Browser(stack.port).get(
        f"/api/v1/reports/{report['id']}/download/",
        headers={"Authorization": f"Token {stack.token}"},
    )
    assert by_api.body == pdf.body


def _wait_done(stack, *, kind: str = "final", timeout: float = 120) -> dict:
    api = Browser(stack.port)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = api.get(
            f"/api/v1/reports/?convention={stack.lyon.pk}&kind={kind}",
            headers={"Authorization": f"Token {stack.token}"},
        )
        results = json.loads(answer.body)["results"]
        if results and results[0]["status"] in {"done", "failed"}:
            assert results[0]["status"] == "done", results[0]["error"]
            return results[0]
        time.sleep(0.5)
    pytest.fail(f"report not done after {timeout} s\n{stack.log('worker')[-3000:]}")


def test_no_stored_file_is_given_to_anyone_without_the_checked_view(stack):
    _wait_done(stack)
    stored = [p.relative_to(stack.private).as_posix() for p in stack.private.rglob("*.pdf")]
    assert stored, "the report of the previous test is stored"
    anonymous, contributor = Browser(stack.port), Browser(stack.port)
    contributor.sign_in("udccas69.contributeur", DEMO_PASSWORD)

    for name in stored:
        for prefix in ["/media/", "/private/", "/", "/static/", "/static/../private/"]:
            for browser in (anonymous, contributor):
                answer = browser.get(prefix + name)
                assert answer.status in {301, 302, 400, 404}, (prefix + name, answer.status)
                assert not answer.body.startswith(b"%PDF")
    report_id = json.loads(
        Browser(stack.port)
        .get("/api/v1/reports/", headers={"Authorization": f"Token {stack.token}"})
        .body
    )["results"][0]["id"]
    to_sign_in = anonymous.get(f"/rapports/{report_id}/telecharger/")
    assert to_sign_in.status == 302
    assert to_sign_in.header("Location").startswith("/connexion/")
    assert contributor.get(f"/rapports/{report_id}/telecharger/").status == 404


def test_each_request_is_one_log_line_with_its_id_user_id_and_duration(stack):
    browser = Browser(stack.port)
    browser.sign_in("cnsa.officer", DEMO_PASSWORD)

    answer = browser.get("/conventions/", headers={"X-Request-Id": "trace-0123456789"})

    assert answer.header("X-Request-Id") == "trace-0123456789"
    lines = [line for line in stack.log("web").splitlines() if "trace-0123456789" in line]
    assert len(lines) == 1
    assert re.search(
        r"request_id=trace-0123456789 user_id=\d+ GET /conventions/ 200 [\d.]+ms$", lines[0]
    )
    assert "cnsa.officer" not in stack.log("web")


@pytest.mark.browser
def test_a_browser_applies_the_dsfr_styles_and_scripts_served_in_production(stack):
    """Hashed files are rewritten by collectstatic: the browser must still accept and apply them
    (integrity hashes of the shipped files would make it refuse them)."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.test_journey import CHROMIUM_ARGS

    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            base_url=f"http://127.0.0.1:{stack.port}",
            extra_http_headers={"X-Forwarded-Proto": "https"},
        )
        page = context.new_page()
        page.on(
            "console",
            lambda m: (
                problems.append(m.text)
                if m.type == "error" and "status of 404" not in m.text
                else None
            ),
        )
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        page.on(
            "response",
            lambda r: (
                problems.append(f"{r.status}: {r.url}")
                if r.status >= 400 and r.request.resource_type != "document"
                else None
            ),
        )
        for path in ("/connexion/", "/nexiste-pas/"):
            page.goto(path)
            page.wait_for_load_state("networkidle")
            font = page.evaluate("getComputedStyle(document.body).fontFamily")
            button = page.evaluate(
                "getComputedStyle(document.querySelector('main .fr-btn')).backgroundColor"
            )
            assert "Marianne" in font, (path, font)
            assert button == "rgb(0, 0, 145)", (path, button)  # DSFR's blue France
        # The DSFR script ran: it marks the document once its modules are loaded.
        assert page.evaluate("document.documentElement.hasAttribute('data-fr-js')")
        browser.close()
    assert problems == []
