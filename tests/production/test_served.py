"""Production as it runs: gunicorn with DEBUG off on PostgreSQL, a Celery worker and beat on
Redis, everything checked over HTTP."""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command

from conventions.authentication import api_token_create
from conventions.models import Convention
from demo.data import DEMO_PASSWORD
from tests.production.served import Browser, start_stack

pytestmark = [pytest.mark.postgres, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LYON = "CNSA-METROPOLE-LYON-2016-2017"
SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.fixture
def stack(tmp_path):
    call_command("load_demo", verbosity=0)
    served, env = start_stack(tmp_path)
    yield served
    served.stop()


def _path(url: str) -> str:
    """Absolute URLs (https behind the proxy) back to the path this client asks for."""
    return "/" + url.split("://", 1)[-1].split("/", 1)[1] if "://" in url else url


def _wait_for_report(browser: Browser, url: str, headers: dict) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        body = browser.get(url, headers=headers).json()
        if body["status"] in {"done", "failed"}:
            return body
        time.sleep(0.5)
    pytest.fail(f"report still {body['status']} after 120 s")


def test_production_serves_styled_pages_every_role_the_api_and_reports(stack):
    anonymous = Browser(stack.base)

    # Plain http is sent to https; the sign-in page is styled by hashed, long-cached CSS.
    assert anonymous.get("/connexion/", headers={"X-Forwarded-Proto": "http"}).status_code == 301
    page = anonymous.get("/connexion/")
    assert page.status_code == 200
    for header, value in SECURITY_HEADERS.items():
        assert page.headers[header] == value, header
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert "camera=()" in page.headers["Permissions-Policy"]
    stylesheets = [
        href for href in page.text.split('href="')[1:] if href.split('"')[0].endswith(".css")
    ]
    css = anonymous.get(stylesheets[0].split('"')[0])
    assert css.status_code == 200
    assert "max-age=315360000" in css.headers["Cache-Control"]
    assert "immutable" in css.headers["Cache-Control"]

    # An unknown page is the French DSFR page, not Django's technical one.
    missing = anonymous.get("/pas-de-page-ici/")
    assert missing.status_code == 404
    assert "Page introuvable" in missing.text and "URLconf" not in missing.text

    # Every role signs in and lands on its page.
    landing = {
        "cnsa.officer": ("/comptes-rendus/a-relire/", "Comptes rendus à relire"),
        "cnsa.lecteur": ("/mes-actions/", "Mes actions"),
        "unccas.coordinateur": ("/mes-actions/", "Mes actions"),
        "udccas69.contributeur": ("/mes-actions/", "Mes actions"),
    }
    for username, (path, title) in landing.items():
        browser = Browser(stack.base)
        signed_in = browser.sign_in(username, DEMO_PASSWORD)
        assert signed_in.status_code == 302, username
        home = browser.get(signed_in.headers["Location"])
        assert home.headers.get("Location", path).endswith(path), username
        assert title in browser.get(path).text, username

    # The API with a token, then a report asked for, made by the worker, and downloaded.
    officer = Convention.objects.get(reference=LYON).funder.memberships.get(
        user__username="cnsa.officer"
    )
    _, key = api_token_create(user=officer.user, name="production", by=officer.user)
    api = {"Authorization": f"Token {key}"}
    lyon = Convention.objects.get(reference=LYON)
    totals = anonymous.get(f"/api/v1/totals/?convention={lyon.pk}", headers=api).json()
    assert (totals["results"][0]["planned"], totals["results"][0]["cnsa_rate"]) == (
        "801500.00",
        "53.37",
    )
    asked = anonymous.post(
        "/api/v1/reports/", json={"convention": lyon.pk, "kind": "final"}, headers=api
    )
    assert asked.status_code == 202, asked.text
    report = _wait_for_report(anonymous, _path(asked.headers["Location"]), api)
    assert report["status"] == "done", report
    pdf = anonymous.get(_path(report["download_url"]), headers=api)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    disposition = pdf.headers["Content-Disposition"]
    assert "rapport-cnsa-metropole-lyon-2016-2017-final-" in disposition

    # No stored file answers without the checked view: not by its path, not without signing in.
    from reporting.models import Report

    stored = Report.objects.get(pk=report["id"]).file.name
    for path in (f"/media/{stored}", f"/{stored}", f"/static/../private/{stored}"):
        response = anonymous.get(path)
        assert response.status_code == 404, path
        assert not response.content.startswith(b"%PDF")
    assert anonymous.get(_path(report["download_url"])).status_code == 401

    # The orchestrator's probe: database, Redis and the worker's heartbeat sent by the beat.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        health = anonymous.get("/healthz", headers={"X-Forwarded-Proto": "http"})
        if health.json()["worker"]["ok"]:
            break
        time.sleep(1)
    assert health.status_code == 200
    assert health.json()["database"] == {"ok": True}
    assert health.json()["redis"] == {"ok": True}
    assert health.json()["worker"]["ok"] is True
