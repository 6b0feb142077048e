"""Security headers on every answer, and no stored file behind any URL."""

from __future__ import annotations

import re

import pytest

from core.storage import private_storage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize("path", ["/connexion/", "/nexiste-pas/", "/admin/login/", "/api/docs/"])
def test_every_page_carries_the_security_headers(client, path):
    response = client.get(path)

    csp = _directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-Id"])


@pytest.mark.parametrize("path", ["/connexion/", "/admin/login/", "/api/docs/"])
def test_no_page_has_an_inline_script(client, path):
    html = client.get(path).content.decode()

    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts, "the page loads its scripts"
    assert [attrs for attrs, body in scripts if "src=" not in attrs or body.strip()] == []


def test_the_swagger_start_up_script_is_served_as_a_file(client):
    client.force_login(UserFactory())

    response = client.get("/api/docs/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


def test_nothing_under_media_url_or_the_private_folder_is_served(client, settings):
    settings.DEBUG = True
    (settings.MEDIA_ROOT / "reports").mkdir(parents=True)
    (settings.MEDIA_ROOT / "reports" / "old.pdf").write_bytes(b"%PDF-1.7 public?")
    name = private_storage().save("reports/2026/01/rapport.pdf", _content(b"%PDF-1.7 private"))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    for path in ["/media/reports/old.pdf", f"/media/{name}", f"/private/{name}", f"/{name}"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"%PDF" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_private_storage_gives_no_url():
    with pytest.raises(ValueError):
        private_storage().url("reports/2026/01/rapport.pdf")


def _content(data: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(data)
