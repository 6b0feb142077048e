"""Sessions suited to agents: idle timeout, the list of one's sessions and tokens, sign-out
everywhere."""

from __future__ import annotations

import html

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.models import UserSession
from conventions.authentication import api_token_create
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _sign_in(address: str, agent: str = "Navigateur A") -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(
        "/connexion/", {"username": "partenaire", "password": PASSWORD}, REMOTE_ADDR=address
    )
    assert response.status_code == 302
    return client


def test_an_idle_session_is_signed_out(clock, partner):
    client = _sign_in("192.0.2.1")
    clock.advance(minutes=29)
    assert client.get("/mes-actions/").status_code == 200
    clock.advance(minutes=29)  # active 29 minutes ago: still in
    assert client.get("/mes-actions/").status_code == 200
    clock.advance(minutes=31)
    response = client.get("/mes-actions/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/connexion/")
    assert "Votre session a expiré après 30 minutes d'inactivité : reconnectez-vous." in _text(
        response
    )
    assert "_auth_user_id" not in client.session
    assert UserSession.objects.count() == 0


def test_the_account_page_lists_sessions_and_tokens(partner):
    first = _sign_in("192.0.2.1", "Navigateur A")
    _sign_in("192.0.2.2", "Navigateur B")
    api_token_create(user=partner, name="Outil de suivi", by=None)
    page = _text(first.get("/compte/"))
    assert "192.0.2.1" in page and "192.0.2.2" in page
    assert "Navigateur A" in page and "Navigateur B" in page
    assert page.count("Mot de passe</td>") == 2
    assert "(cette session)" in page
    assert "Outil de suivi" in page
    assert "Révoquer « Outil de suivi »" in page


def test_close_the_other_sessions(partner):
    first = _sign_in("192.0.2.1")
    second = _sign_in("192.0.2.2")
    response = first.post("/compte/", {"action": "end_others"}, follow=True)
    assert "Autres sessions fermées : 1." in _text(response)
    assert first.get("/mes-actions/").status_code == 200
    assert second.get("/mes-actions/").status_code == 302
    assert UserSession.objects.count() == 1


def test_sign_out_everywhere(partner):
    first = _sign_in("192.0.2.1")
    second = _sign_in("192.0.2.2")
    first.post("/compte/", {"action": "end_all"})
    assert first.get("/mes-actions/").status_code == 302
    assert second.get("/mes-actions/").status_code == 302
    assert UserSession.objects.count() == 0
    assert Session.objects.filter(session_key__in=[second.session.session_key]).count() == 0


def test_revoke_a_token_from_the_account_page(client, partner, officer):
    token, key = api_token_create(user=partner, name="outil", by=None)
    other, _ = api_token_create(user=officer, name="autre", by=None)
    client.force_login(partner)
    client.post("/compte/", {"action": "revoke_token", "token": other.pk})
    other.refresh_from_db()
    assert other.revoked_at is None  # not one's own: nothing happens
    response = client.post("/compte/", {"action": "revoke_token", "token": token.pk}, follow=True)
    assert "Jeton « outil » révoqué." in _text(response)
    api = Client()
    assert api.get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
