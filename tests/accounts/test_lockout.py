"""Sign-in resists guessing: wrong passwords and tokens lock the account and the address for a
while, in the database (the guard holds with Redis down); officers lift lockouts."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import FailedSignIn, Lockout
from accounts.services import lockout_lift
from conventions.authentication import api_token_create
from tests.accounts.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCKED_ACCOUNT = "Trop de tentatives infructueuses : ce compte est bloqué jusqu'à"
LOCKED_ADDRESS = (
    "Trop de tentatives infructueuses : les connexions depuis votre adresse sont bloquées jusqu'à"
)
INCORRECT = "Identifiant ou mot de passe incorrect."


def _sign_in(client, username, password, address="192.0.2.10", url="/connexion/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", ["/connexion/", "/admin/login/"])
def test_thirty_wrong_passwords_then_the_right_one_is_refused_until_the_lockout_ends(
    client, clock, officer, url
):
    officer.is_staff = True
    officer.save()
    for _ in range(30):
        response = _sign_in(client, "officer", "mauvais", url=url)
    assert response.status_code == 200
    response = _sign_in(client, "officer", PASSWORD, url=url)
    text = _text(response)
    assert LOCKED_ACCOUNT in text
    assert "(dans 15 minutes). Réessayez ensuite, ou demandez à un chargé de mission CNSA" in text
    assert not _signed_in(client)
    # Only the attempts before the lockout count: the lockout is not prolonged by more guesses.
    assert FailedSignIn.objects.count() == 5
    assert Lockout.objects.get().kind == "account"

    clock.advance(minutes=14, seconds=59)
    assert LOCKED_ACCOUNT in _text(_sign_in(client, "officer", PASSWORD, url=url))
    assert not _signed_in(client)

    clock.advance(seconds=2)
    response = _sign_in(client, "officer", PASSWORD, url=url)
    assert response.status_code == 302
    assert _signed_in(client)


def test_the_lockout_is_per_account_whatever_the_address(client, partner):
    for i in range(5):
        _sign_in(client, "partenaire", "mauvais", address=f"198.51.100.{i}")
    response = _sign_in(client, "partenaire", PASSWORD, address="203.0.113.7")
    assert LOCKED_ACCOUNT in _text(response)
    assert not _signed_in(client)
    # Another account is not affected.
    UserFactory(username="autre")
    assert _sign_in(client, "autre", PASSWORD, address="203.0.113.7").status_code == 302


def test_four_wrong_passwords_still_say_incorrect_and_the_right_one_signs_in(client, partner):
    for _ in range(4):
        response = _sign_in(client, "partenaire", "mauvais")
    assert INCORRECT in _text(response)
    assert LOCKED_ACCOUNT not in _text(response)
    assert _sign_in(client, "partenaire", PASSWORD).status_code == 302


def test_wrong_passwords_on_many_accounts_lock_the_address(client, clock, partner):
    for i in range(30):
        _sign_in(client, f"inconnu{i}", "mauvais", address="192.0.2.66")
    response = _sign_in(client, "partenaire", PASSWORD, address="192.0.2.66")
    assert LOCKED_ADDRESS in _text(response)
    assert not _signed_in(client)
    assert FailedSignIn.objects.filter(address="192.0.2.66").count() == 20

    # The same account signs in from elsewhere.
    assert _sign_in(client, "partenaire", PASSWORD, address="192.0.2.67").status_code == 302
    client.logout()

    clock.advance(minutes=16)
    assert _sign_in(client, "partenaire", PASSWORD, address="192.0.2.66").status_code == 302


def test_the_count_is_within_a_window(client, clock, partner):
    for _ in range(4):
        _sign_in(client, "partenaire", "mauvais")
    clock.advance(minutes=16)
    for _ in range(4):
        _sign_in(client, "partenaire", "mauvais")
    assert Lockout.objects.count() == 0
    assert _sign_in(client, "partenaire", PASSWORD).status_code == 302


def test_the_guard_holds_with_the_cache_down(client, settings, partner):
    # Nothing listens on port 1: any cache call would fail.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    for _ in range(30):
        _sign_in(client, "partenaire", "mauvais")
    response = _sign_in(client, "partenaire", PASSWORD)
    assert response.status_code == 200
    assert LOCKED_ACCOUNT in _text(response)
    assert not _signed_in(client)


# --- API tokens ---------------------------------------------------------------------------


def _api(client, key, address="192.0.2.20"):
    return client.get(
        "/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {key}", REMOTE_ADDR=address
    )


def test_thirty_wrong_tokens_then_the_right_one_is_refused_until_the_lockout_ends(
    client, clock, partner
):
    _, key = api_token_create(user=partner, name="outil", by=None)
    assert _api(client, key).status_code == 200
    for i in range(30):
        response = _api(client, f"faux-jeton-{i}")
    assert response.status_code == 429
    response = _api(client, key)
    assert response.status_code == 429
    assert response.json()["detail"].startswith(LOCKED_ADDRESS)
    assert response.headers["Retry-After"] == "900"
    assert FailedSignIn.objects.filter(scope="token").count() == 20

    # Another address is not affected.
    assert _api(client, key, address="192.0.2.21").status_code == 200

    clock.advance(minutes=15, seconds=1)
    assert _api(client, key).status_code == 200


def test_a_wrong_token_says_so_before_the_limit(client, partner):
    response = _api(client, "faux")
    assert response.status_code == 401
    assert response.json() == {"detail": "Jeton invalide ou révoqué."}
    assert FailedSignIn.objects.get().address == "192.0.2.20"


def test_session_requests_are_not_counted_as_token_failures(client, partner):
    client.force_login(partner)
    for _ in range(25):
        assert client.get("/api/v1/organisations/", REMOTE_ADDR="192.0.2.20").status_code == 200
    assert FailedSignIn.objects.count() == 0


# --- Unlocking ----------------------------------------------------------------------------


def _lock(client, username="partenaire"):
    for _ in range(5):
        _sign_in(client, username, "mauvais")
    return Lockout.objects.get(key=username)


def test_an_officer_lifts_a_lockout_from_the_admin(client, officer, partner):
    lockout = _lock(client)
    officer.is_staff = True
    officer.save()
    admin_client = type(client)()
    admin_client.force_login(officer)
    listing = admin_client.get(reverse("admin:accounts_lockout_changelist") + "?etat=actif")
    assert listing.status_code == 200
    assert "partenaire" in _text(listing)

    response = admin_client.post(
        reverse("admin:accounts_lockout_changelist"),
        {"action": "lift", "_selected_action": [lockout.pk]},
        follow=True,
    )
    assert "1 blocage(s) levé(s)." in _text(response)
    lockout.refresh_from_db()
    assert lockout.lifted_by == officer
    assert lockout.lifted_at is not None
    assert _sign_in(client, "partenaire", PASSWORD).status_code == 302


def test_after_a_lift_the_count_starts_afresh(client, officer, partner):
    lockout = _lock(client)
    lockout_lift(lockout=lockout, by=officer)
    for _ in range(4):
        _sign_in(client, "partenaire", "mauvais")
    assert _sign_in(client, "partenaire", PASSWORD).status_code == 302


def test_only_an_officer_lifts_a_lockout(client, partner):
    lockout = _lock(client)
    with pytest.raises(PermissionDenied) as refused:
        lockout_lift(lockout=lockout, by=partner)
    assert str(refused.value) == "Seul un chargé de mission CNSA peut déverrouiller une connexion."
    lockout.refresh_from_db()
    assert lockout.lifted_at is None
    assert LOCKED_ACCOUNT in _text(_sign_in(client, "partenaire", PASSWORD))


def test_a_partner_does_not_see_the_lockouts_in_the_admin(client, partner, cnsa):
    partner.is_staff = True
    partner.is_superuser = False
    partner.save()
    client.force_login(partner)
    response = client.get(reverse("admin:accounts_lockout_changelist"))
    assert response.status_code == 302  # the admin itself is for officers only
