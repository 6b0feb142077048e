"""Password reset by e-mail (no account enumeration, the link works once) and password change."""

from __future__ import annotations

import html
import re

import pytest
from django.core import mail

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SENT = "Si cette adresse correspond à un compte, un message contenant un lien de réinitialisation vient d'y être envoyé."
NEW = "Un-nouveau-secret-2026"


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_known_and_unknown_addresses_get_the_same_answer(client, partner, settings):
    settings.SITE_BASE_URL = "https://conventions.cnsa.example/"
    known = client.post("/mot-de-passe/oublie/", {"email": "partenaire@example.org"}, follow=True)
    unknown = client.post("/mot-de-passe/oublie/", {"email": "personne@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain == [("/mot-de-passe/oublie/envoye/", 302)]
    assert SENT in _text(known)
    assert _text(known) == _text(unknown)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["partenaire@example.org"]
    assert (
        message.subject
        == "Réinitialisation de votre mot de passe — Conventions de modernisation CNSA"
    )
    assert re.search(
        r"^https://conventions\.cnsa\.example/mot-de-passe/nouveau/[\w-]+/[\w-]+/$",
        message.body,
        re.MULTILINE,
    )


def _link(client, partner) -> str:
    client.post("/mot-de-passe/oublie/", {"email": partner.email})
    return re.search(r"http://\S+/mot-de-passe/nouveau/\S+/", mail.outbox[-1].body).group(0)


def test_the_link_sets_a_new_password_once(client, partner):
    link = _link(client, partner).split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + link, follow=True)
    assert "Nouveau mot de passe" in _text(form)
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert "Votre mot de passe a été modifié. Vous pouvez vous connecter." in _text(done)
    partner.refresh_from_db()
    assert partner.check_password(NEW)

    again = client.get("/" + link, follow=True)
    assert "Ce lien n'est plus valable : il a déjà servi ou il a expiré." in _text(again)
    assert 'name="new_password1"' not in _text(again)
    refused = client.post(
        set_url, {"new_password1": "Autre-secret-99", "new_password2": "Autre-secret-99"}
    )
    assert "Ce lien n'est plus valable" in _text(refused)
    partner.refresh_from_db()
    assert partner.check_password(NEW)


def test_a_weak_new_password_is_refused_in_french(client, partner):
    link = _link(client, partner).split("://", 1)[1].split("/", 1)[1]
    set_url = client.get("/" + link, follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert "Ce mot de passe est trop courant." in _text(response)
    partner.refresh_from_db()
    assert partner.check_password(PASSWORD)


def test_password_change(client, partner):
    client.force_login(partner)
    wrong = client.post(
        "/mot-de-passe/changer/",
        {"old_password": "faux", "new_password1": NEW, "new_password2": NEW},
    )
    assert "Votre ancien mot de passe est incorrect." in _text(wrong)
    response = client.post(
        "/mot-de-passe/changer/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert "Votre mot de passe a été modifié." in _text(response)
    partner.refresh_from_db()
    assert partner.check_password(NEW)


def test_the_sign_in_page_offers_the_reset(client, db):
    assert 'href="/mot-de-passe/oublie/"' in _text(client.get("/connexion/"))
