"""French DSFR error pages for people, JSON under /api/, nothing technical shown."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from config import urls
from core import errors
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _is_friendly(html: str, title: str) -> None:
    assert f"<h1>{title}</h1>" in html
    assert 'class="fr-header' in html and 'href="/connexion/"' in html and 'href="/"' in html
    for technical in ("Traceback", "URLconf", "DEBUG", "django.", "Exception"):
        assert technical not in html


def test_an_unknown_page_is_a_french_page_with_a_way_back(client):
    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    _is_friendly(response.content.decode(), "Page introuvable")


def test_an_unknown_api_address_stays_json(client):
    response = client.get("/api/v2/rien/")

    assert response.status_code in {401, 404}
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("handler", "status", "title"),
    [
        (errors.bad_request, 400, "Requête incorrecte"),
        (errors.permission_denied, 403, "Accès refusé"),
        (errors.page_not_found, 404, "Page introuvable"),
    ],
)
def test_each_error_handler_answers_a_french_page(rf, handler, status, title):
    request = rf.get("/quelque-part/")
    request.user = AnonymousUser()

    response = handler(request, Exception("détail interne"))

    assert response.status_code == status
    _is_friendly(response.content.decode(), title)
    assert "détail interne" not in response.content.decode()


def test_a_server_error_page_renders_without_the_request_context():
    response = errors.server_error(RequestFactory().get("/mes-actions/"))

    assert response.status_code == 500
    _is_friendly(response.content.decode(), "Erreur inattendue")


def test_a_server_error_under_api_is_json():
    response = errors.server_error(RequestFactory().get("/api/v1/conventions/"))

    assert (response.status_code, response["Content-Type"]) == (500, "application/json")


def test_the_url_configuration_uses_these_handlers():
    assert (urls.handler400, urls.handler403, urls.handler404, urls.handler500) == (
        "core.errors.bad_request",
        "core.errors.permission_denied",
        "core.errors.page_not_found",
        "core.errors.server_error",
    )


def test_a_form_posted_without_its_csrf_token_gets_a_french_page():
    response = Client(enforce_csrf_checks=True).post(
        "/connexion/", {"username": "x", "password": "y"}
    )

    assert response.status_code == 403
    _is_friendly(response.content.decode(), "Formulaire expiré")


def test_media_urls_serve_nothing(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "secret.pdf").write_bytes(b"%PDF-1.4 secret")

    response = client.get("/media/reports/secret.pdf")

    assert response.status_code == 404
    assert b"secret" not in response.content


# Through the whole request path (middleware, handlers), with pages that fail on purpose.


@pytest.mark.urls("tests.core.boom_urls")
@pytest.mark.parametrize(
    ("path", "status", "title"),
    [
        ("/refuse/", 403, "Accès refusé"),
        ("/suspect/", 400, "Requête incorrecte"),
        ("/boom/", 500, "Erreur inattendue"),
    ],
)
def test_a_failing_page_answers_the_french_page_and_hides_the_detail(path, status, title):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())

    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == status
    _is_friendly(html, title)
    assert f"Erreur {status}" in html
    assert "/static/dsfr/dist/dsfr/dsfr.min.css" in html
    assert "internal" not in html and "SELECT" not in html


@pytest.mark.urls("tests.core.boom_urls")
@pytest.mark.parametrize(("path", "status"), [("/api/v1/nexiste-pas/", 404), ("/api/boom/", 500)])
def test_errors_under_the_api_stay_json_through_the_request_path(path, status):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())

    response = client.get(path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
    assert "SELECT" not in response.content.decode()


def test_an_api_post_without_its_csrf_token_answers_json():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    response = client.post("/api/v1/tokens/", {"name": "x"})

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "CSRF" in response.json()["detail"]
