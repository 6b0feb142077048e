"""ProConnect (OpenID Connect) end to end against a real provider (oidc-provider-mock) started on
loopback as a subprocess with its own keys: success, wrong state, wrong nonce, expired or badly
signed ID token, unknown e-mail, logout at the provider."""

from __future__ import annotations

import html
import json
import socket
import subprocess
import sys
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from accounts import oidc
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FAILED = "La connexion avec ProConnect a échoué."


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_provider(users: list[dict]) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    args = [sys.executable, "-m", "oidc_provider_mock", "-p", str(port), "-n", "true"]
    for claims in users:
        args += ["--user-claims", json.dumps(claims)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):  # waits for the server to listen, at most about 20 s
        try:
            requests.get(f"{url}/.well-known/openid-configuration", timeout=1).raise_for_status()
            return process, url
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the OpenID Connect provider did not start")


@pytest.fixture(scope="module")
def provider():
    process, url = _start_provider(
        [
            {"sub": "agent-1", "email": "Agent.CNSA@cnsa.example"},
            {"sub": "inconnu-1", "email": "inconnu@exemple.gouv.fr"},
        ]
    )
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def other_provider():
    """Another provider: other signing keys."""
    process, url = _start_provider([])
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture
def proconnect(settings, provider):
    settings.PROCONNECT_ISSUER = provider
    settings.PROCONNECT_CLIENT_ID = "conventions-cnsa"
    settings.PROCONNECT_CLIENT_SECRET = "secret-de-test"
    settings.PROCONNECT_SCOPES = "openid email"
    settings.PROCONNECT_EXTRA_PARAMS = {}
    settings.SITE_BASE_URL = "https://conventions.cnsa.example"
    oidc._discovery.clear()
    yield provider
    oidc._discovery.clear()


@pytest.fixture
def agent(officer):
    officer.email = "agent.cnsa@cnsa.example"
    officer.save()
    return officer


def _authorize(client, sub: str, next_url: str = "/mes-actions/") -> str:
    """Our redirect to the provider, the provider's consent for `sub`; returns our callback URL."""
    start = client.get(f"/proconnect/?next={next_url}")
    assert start.status_code == 302
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["nonce"][0] and query["state"][0]
    answer = requests.post(start["Location"], data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["Location"])
    assert callback.path == "/proconnect/retour/"
    return f"{callback.path}?{callback.query}"


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_button_shows_only_when_configured(client, db, settings):
    settings.PROCONNECT_ISSUER = ""
    assert "ProConnect" not in _text(client.get("/connexion/"))
    assert client.get("/proconnect/").status_code == 404
    settings.PROCONNECT_ISSUER = "http://127.0.0.1:9"
    settings.PROCONNECT_CLIENT_ID = "x"
    text = _text(client.get("/connexion/"))
    assert '<span class="fr-connect__login">Se connecter avec</span>' in text
    assert '<span class="fr-connect__brand">ProConnect</span>' in text


def test_an_agent_signs_in_with_proconnect(client, proconnect, agent):
    callback = _authorize(client, "agent-1")
    response = client.get(callback)
    assert response.status_code == 302
    assert response["Location"] == "/mes-actions/"
    assert client.session["_auth_user_id"] == str(agent.pk)
    assert client.session["accounts_method"] == "proconnect"
    # ProConnect authenticated the agent: no second factor is asked here.
    assert client.get("/mes-actions/").status_code == 200


def test_a_replayed_callback_is_refused(client, proconnect, agent):
    callback = _authorize(client, "agent-1")
    assert client.get(callback)["Location"] == "/mes-actions/"
    client.logout()
    response = client.get(callback, follow=True)
    assert FAILED in _text(response)
    assert "_auth_user_id" not in client.session


def test_a_wrong_state_is_refused(client, proconnect, agent):
    callback = _authorize(client, "agent-1")
    path, query = callback.split("?")
    params = parse_qs(query)
    tampered = f"{path}?code={params['code'][0]}&state=autre-etat"
    response = client.get(tampered, follow=True)
    assert FAILED in _text(response)
    assert "_auth_user_id" not in client.session


def test_a_wrong_nonce_is_refused(client, proconnect, agent):
    callback = _authorize(client, "agent-1")
    session = client.session
    for entry in session["oidc_states"].values():
        entry["nonce"] = "un-autre-nonce"
    session.save()
    response = client.get(callback, follow=True)
    assert FAILED in _text(response)
    assert "_auth_user_id" not in client.session


def test_an_expired_id_token_is_refused(client, proconnect, agent, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    callback = _authorize(client, "agent-1")
    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.get(callback, follow=True)
    assert FAILED in _text(response)
    assert "_auth_user_id" not in client.session


def test_a_token_signed_with_other_keys_is_refused(
    client, proconnect, agent, settings, other_provider
):
    settings.PROCONNECT_JWKS_URL = f"{other_provider}/jwks"
    callback = _authorize(client, "agent-1")
    response = client.get(callback, follow=True)
    assert FAILED in _text(response)
    assert "_auth_user_id" not in client.session


def test_an_unknown_email_is_refused_and_no_account_is_created(client, proconnect, agent):
    from django.contrib.auth.models import User

    before = User.objects.count()
    callback = _authorize(client, "inconnu-1")
    response = client.get(callback, follow=True)
    assert (
        "Aucun compte actif ne correspond à l'adresse inconnu@exemple.gouv.fr. Demandez à un "
        "chargé de mission CNSA de vous ouvrir un accès avec cette adresse, puis réessayez."
    ) in _text(response)
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == before


def test_an_inactive_account_is_refused(client, proconnect, agent):
    agent.is_active = False
    agent.save()
    response = client.get(_authorize(client, "agent-1"), follow=True)
    assert "Aucun compte actif ne correspond" in _text(response)
    assert "_auth_user_id" not in client.session


def test_sign_out_also_ends_the_provider_session(client, proconnect, agent):
    client.get(_authorize(client, "agent-1"))
    id_token = client.session["oidc_id_token"]
    response = client.post("/deconnexion/")
    assert "_auth_user_id" not in client.session
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}" == proconnect
    assert location.path == "/oauth2/end_session"
    query = parse_qs(location.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["https://conventions.cnsa.example/connexion/"]
    # The provider knows the end-session request and sends the agent back to us.
    confirm = requests.post(
        f"{proconnect}/oauth2/end_session/confirm",
        data={"redirect_uri": query["post_logout_redirect_uri"][0]},
        allow_redirects=False,
        timeout=10,
    )
    assert confirm.headers["Location"] == "https://conventions.cnsa.example/connexion/"
    assert requests.get(response["Location"], timeout=10).status_code == 200


def test_a_password_session_signs_out_here_only(client, partner):
    client.force_login(partner)
    response = client.post("/deconnexion/")
    assert response["Location"] == "/connexion/"


def test_matching_uses_the_siret_when_given(client, proconnect, agent, cnsa):
    UserFactory(username="autre")  # unrelated
    backend = oidc.ProConnectBackend()

    class Request:
        pass

    backend.request = Request()
    cnsa.siret = "18002002600019"
    cnsa.save()
    assert backend.filter_users_by_claims({"email": agent.email, "siret": "18002002600019"}) == [
        agent
    ]
    assert backend.filter_users_by_claims({"email": agent.email, "siret": "11111111111111"}) == []
    assert "SIRET 11111111111111" in backend.request.accounts_oidc_error
    assert backend.filter_users_by_claims({"email": agent.email}) == [agent]
