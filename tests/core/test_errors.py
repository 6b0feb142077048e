"""Error pages: French, in the DSFR style, a way back, nothing technical; JSON under /api/."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.boom_urls")]

TECHNICAL = ("Traceback", "urlpatterns", "SELECT", "internal", "DEBUG", "Django")


def _assert_friendly(response, status: int, title: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f"<h1>{title}</h1>" in html
    assert f"Erreur {status}" in html
    assert 'href="/"' in html and "Page d'accueil" in html
    assert 'href="/connexion/"' in html and "Se connecter" in html
    assert "/static/dsfr/dist/dsfr/dsfr.min.css" in html
    assert not [word for word in TECHNICAL if word in html]
    return html


def test_an_unknown_page_answers_the_french_404_page(client):
    response = client.get("/nexiste-pas/")

    _assert_friendly(response, 404, "Page introuvable")


def test_a_refused_page_answers_the_french_403_page(client):
    client.force_login(UserFactory())

    _assert_friendly(client.get("/refuse/"), 403, "Accès refusé")


def test_a_bad_request_answers_the_french_400_page(client):
    _assert_friendly(client.get("/suspect/"), 400, "Requête incorrecte")


def test_a_failure_answers_the_french_500_page_without_the_detail():
    client = Client(raise_request_exception=False)

    _assert_friendly(client.get("/boom/"), 500, "Erreur inattendue")


def test_a_form_posted_without_its_csrf_token_answers_the_french_csrf_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/connexion/", {"username": "x", "password": "y"})

    html = _assert_friendly(response, 403, "Formulaire expiré")
    assert "rechargez la page" in html


@pytest.mark.parametrize(("path", "status"), [("/api/v1/nexiste-pas/", 404), ("/api/boom/", 500)])
def test_errors_under_the_api_stay_json(path, status):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())

    response = client.get(path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
    assert "SELECT" not in response.content.decode()


def test_an_api_post_without_csrf_token_answers_json():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    response = client.post("/api/v1/tokens/", {"name": "x"})

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "CSRF" in response.json()["detail"]
