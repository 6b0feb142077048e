"""Two-factor authentication: officers signing in with a password enrol then give a code; partners
may opt in; the admin is behind it; API tokens are not affected."""

from __future__ import annotations

import html
import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import recovery_codes_renew
from conventions.authentication import api_token_create
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "Code incorrect ou déjà utilisé."


def _text(response) -> str:
    return html.unescape(response.content.decode())


def code_for(device: TOTPDevice, step_offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = (totp.t() + step_offset) * device.step + device.t0
    return f"{totp.token():0{device.digits}d}"


def _sign_in(client, username, url="/connexion/", next_url=None):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(url, data)


def _enrolled(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return device


def _verified(client) -> bool:
    return "otp_device_id" in client.session


def test_an_officer_without_a_device_is_sent_to_enrol_and_enrols(client, officer):
    _sign_in(client, "officer")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/double-authentification/?next=%2F"
    page = client.get(response["Location"])
    text = _text(page)
    assert "Activer la double authentification" in text
    assert 'src="data:image/svg+xml' in text
    device = TOTPDevice.objects.get(user=officer)
    assert device.confirmed is False

    wrong = client.post(response["Location"], {"code": "000000", "next": "/"})
    assert WRONG in _text(wrong)
    device.refresh_from_db()
    assert device.confirmed is False
    assert not _verified(client)

    done = client.post(response["Location"], {"code": code_for(device), "next": "/"})
    codes = re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert "ils ne seront plus affichés" in _text(done)
    device.refresh_from_db()
    assert device.confirmed is True
    assert _verified(client)
    assert client.get("/", follow=True).status_code == 200


def test_an_enrolled_officer_gives_a_correct_code(client, officer):
    device = _enrolled(officer)
    response = _sign_in(client, "officer", next_url="/mes-actions/")
    assert response.status_code == 302
    blocked = client.get("/mes-actions/")
    assert blocked["Location"] == "/connexion/verification/?next=%2Fmes-actions%2F"
    done = client.post(
        "/connexion/verification/", {"code": code_for(device), "next": "/mes-actions/"}
    )
    assert done.status_code == 302
    assert done["Location"] == "/mes-actions/"
    assert _verified(client)
    assert client.get("/mes-actions/").status_code == 200


def test_a_wrong_code_is_refused(client, officer):
    _enrolled(officer)
    _sign_in(client, "officer")
    response = client.post("/connexion/verification/", {"code": "123456"})
    assert response.status_code == 200
    assert WRONG in _text(response)
    assert not _verified(client)
    assert client.get("/mes-actions/").status_code == 302


def test_a_replayed_code_is_refused(client, officer):
    device = _enrolled(officer)
    code = code_for(device)
    _sign_in(client, "officer")
    assert client.post("/connexion/verification/", {"code": code}).status_code == 302
    client.logout()
    _sign_in(client, "officer")
    response = client.post("/connexion/verification/", {"code": code})
    assert WRONG in _text(response)
    assert not _verified(client)


def test_a_recovery_code_works_once(client, officer):
    _enrolled(officer)
    codes = recovery_codes_renew(user=officer)
    _sign_in(client, "officer")
    response = client.post("/connexion/verification/", {"code": codes[0]}, follow=True)
    assert "Code de secours utilisé : il vous en reste 9." in _text(response)
    assert _verified(client)
    assert StaticToken.objects.filter(device__user=officer).count() == 9
    client.logout()
    _sign_in(client, "officer")
    assert WRONG in _text(client.post("/connexion/verification/", {"code": codes[0]}))
    assert not _verified(client)


def test_five_wrong_codes_lock_the_account(client, officer):
    _enrolled(officer)
    _sign_in(client, "officer")
    for _ in range(4):
        client.post("/connexion/verification/", {"code": "123456"})
    response = client.post("/connexion/verification/", {"code": "123456"}, follow=True)
    assert "ce compte est bloqué jusqu'à" in _text(response)
    assert "_auth_user_id" not in client.session


def test_the_admin_is_behind_the_second_factor(client, officer):
    officer.is_staff = True
    officer.save()
    device = _enrolled(officer)
    assert _sign_in(client, "officer", url="/admin/login/").status_code == 302
    response = client.get("/admin/")
    assert response["Location"] == "/connexion/verification/?next=%2Fadmin%2F"
    client.post("/connexion/verification/", {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_enrolment_cannot_replace_a_device_with_only_the_password(client, officer):
    device = _enrolled(officer)
    _sign_in(client, "officer")
    response = client.get("/compte/double-authentification/")
    assert response["Location"].startswith("/connexion/verification/")
    assert list(TOTPDevice.objects.filter(user=officer)) == [device]


def test_a_pending_session_gets_a_french_403_from_the_api(client, officer):
    _enrolled(officer)
    _sign_in(client, "officer")
    response = client.get("/api/v1/organisations/")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Double authentification requise")


def test_api_tokens_are_not_affected(client, officer):
    _enrolled(officer)
    _, key = api_token_create(user=officer, name="outil", by=None)
    response = client.get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_a_partner_without_a_device_signs_in_with_the_password_alone(client, partner):
    _sign_in(client, "partenaire")
    assert client.get("/mes-actions/").status_code == 200
    assert "accounts_second_factor" not in client.session


def test_a_partner_who_enrolled_is_asked_for_a_code(client, partner):
    device = _enrolled(partner)
    _sign_in(client, "partenaire")
    assert client.get("/mes-actions/").status_code == 302
    client.post("/connexion/verification/", {"code": code_for(device)})
    assert client.get("/mes-actions/").status_code == 200


def test_a_partner_enrols_from_the_account_page(client, partner):
    _sign_in(client, "partenaire")
    page = _text(client.get("/compte/"))
    assert "Facultative pour votre compte, recommandée." in page
    client.get("/compte/double-authentification/")
    device = TOTPDevice.objects.get(user=partner)
    client.post("/compte/double-authentification/", {"code": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed is True
    assert (
        "Activée : un code est demandé après le mot de passe. Codes de secours restants : 10."
        in _text(client.get("/compte/"))
    )
