"""ProConnect (OpenID Connect) for State agents, with mozilla-django-oidc.

Authorization code flow with PKCE; state and nonce checked by the library; the ID token's
signature (provider's JWKS), issuer, audience, expiry and issue date checked here. The account is
matched to an existing active user by e-mail (and by SIRET when the provider gives one and the
user's organisations have one): never created. Configured by environment (PROCONNECT_*), the
endpoints read from the provider's discovery document."""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from conventions.models import Membership

logger = logging.getLogger(__name__)

SESSION_METHOD = "accounts_method"
FAILED = "La connexion avec ProConnect a échoué. Réessayez, ou connectez-vous avec votre identifiant et votre mot de passe."
LEEWAY = timedelta(seconds=60)
_discovery: dict[str, dict] = {}


def enabled() -> bool:
    return bool(settings.PROCONNECT_ISSUER and settings.PROCONNECT_CLIENT_ID)


def discovery() -> dict:
    """The provider's metadata, fetched once per process."""
    issuer = settings.PROCONNECT_ISSUER.rstrip("/")
    if issuer not in _discovery:
        url = settings.PROCONNECT_DISCOVERY_URL or f"{issuer}/.well-known/openid-configuration"
        response = requests.get(url, timeout=settings.PROCONNECT_TIMEOUT)
        response.raise_for_status()
        _discovery[issuer] = response.json()
    return _discovery[issuer]


def oidc_setting(attr: str, *args):
    """mozilla-django-oidc's settings, from PROCONNECT_* and the discovery document."""
    if attr.startswith("OIDC_") and not enabled():
        raise Http404
    fixed = {
        "OIDC_RP_CLIENT_ID": lambda: settings.PROCONNECT_CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": lambda: settings.PROCONNECT_CLIENT_SECRET,
        "OIDC_RP_SCOPES": lambda: settings.PROCONNECT_SCOPES,
        "OIDC_RP_SIGN_ALGO": lambda: settings.PROCONNECT_SIGN_ALGO,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": lambda: discovery()["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": lambda: discovery()["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": lambda: discovery()["userinfo_endpoint"],
        "OIDC_OP_JWKS_ENDPOINT": lambda: settings.PROCONNECT_JWKS_URL or discovery()["jwks_uri"],
        "OIDC_USE_PKCE": lambda: True,
        "OIDC_USE_NONCE": lambda: True,
        "OIDC_CREATE_USER": lambda: False,
        "OIDC_STORE_ID_TOKEN": lambda: True,
        "OIDC_TIMEOUT": lambda: settings.PROCONNECT_TIMEOUT,
        "OIDC_AUTHENTICATION_CALLBACK_URL": lambda: "oidc_authentication_callback",
        "LOGIN_REDIRECT_URL_FAILURE": lambda: reverse("login"),
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": lambda: settings.PROCONNECT_EXTRA_PARAMS,
    }
    if attr in fixed:
        return fixed[attr]()
    return import_from_settings(attr, *args)


class ProConnectBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        self.enabled = enabled()
        if self.enabled:
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not self.enabled or request is None or "code_verifier" not in kwargs:
            return None  # a password sign-in: not ours
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        """Signature and claims: issuer, audience (our client id), expiry and issue date."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("unexpected ID token algorithm")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=discovery()["issuer"],
                options={"require": ["iss", "aud", "exp", "iat", "sub"], "verify_exp": False},
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error
        now = timezone.now().timestamp()
        if claims["exp"] + LEEWAY.total_seconds() < now:
            raise SuspiciousOperation("ID token expired")
        if claims["iat"] - LEEWAY.total_seconds() > now:
            raise SuspiciousOperation("ID token issued in the future")
        return claims

    def retrieve_matching_jwk(self, token):
        """The provider's key for this token: same key id when the token names one, same algorithm."""
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.PROCONNECT_TIMEOUT)
        response.raise_for_status()
        header = jwt.get_unverified_header(token)
        for key in response.json().get("keys", []):
            if header.get("kid") and key.get("kid") != header["kid"]:
                continue
            if key.get("alg", header.get("alg")) != header.get("alg"):
                continue
            if key.get("use", "sig") != "sig":
                continue
            return jwt.PyJWK(key)
        raise SuspiciousOperation("no provider key matches the token")

    def get_userinfo(self, access_token, id_token, payload):
        """ProConnect answers userinfo as a signed JWT; other providers as JSON."""
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=settings.PROCONNECT_TIMEOUT,
        )
        response.raise_for_status()
        if response.headers.get("Content-Type", "").startswith("application/jwt"):
            token = response.text
            key = self.retrieve_matching_jwk(token)
            info = jwt.decode(
                token, key, algorithms=[self.OIDC_RP_SIGN_ALGO], audience=self.OIDC_RP_CLIENT_ID
            )
        else:
            info = response.json()
        if info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo subject differs from the ID token's")
        return info

    def verify_claims(self, claims):
        return bool(claims.get("email"))

    def filter_users_by_claims(self, claims):
        email = claims.get("email", "").strip()
        users = list(get_user_model().objects.filter(email__iexact=email, is_active=True))
        siret = (claims.get("siret") or "").strip()
        if siret and len(users) == 1:
            sirets = set(
                Membership.objects.filter(user=users[0], is_active=True)
                .exclude(organisation__siret="")
                .values_list("organisation__siret", flat=True)
            )
            if sirets and siret not in sirets:
                self.request.accounts_oidc_error = (
                    f"Votre compte ProConnect ({email}) relève d'une organisation (SIRET {siret}) "
                    "qui n'est pas celle de votre accès ici. Demandez à un chargé de mission CNSA "
                    "de vérifier votre accès."
                )
                return []
        if not users:
            self.request.accounts_oidc_error = (
                f"Aucun compte actif ne correspond à l'adresse {email}. Demandez à un chargé de "
                "mission CNSA de vous ouvrir un accès avec cette adresse, puis réessayez."
            )
        return users

    def update_user(self, user, claims):
        return user  # the provider never changes rights nor names here


class ProConnectLoginView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(oidc_setting)


class ProConnectCallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException) as error:
            logger.warning("proconnect sign-in refused: %s", error)
            return self.login_failure()

    def login_failure(self):
        messages.error(self.request, getattr(self.request, "accounts_oidc_error", FAILED))
        return HttpResponseRedirect(reverse("login"))

    def login_success(self):
        response = super().login_success()
        self.request.session[SESSION_METHOD] = "proconnect"
        return response


def provider_logout_url(request, id_token: str) -> str | None:
    """The provider's end-session URL, back to our sign-in page afterwards."""
    if not enabled():
        return None
    endpoint = discovery().get("end_session_endpoint")
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": settings.SITE_BASE_URL.rstrip("/") + reverse("login"),
            "client_id": settings.PROCONNECT_CLIENT_ID,
        }
    )
    return f"{endpoint}?{query}"
