"""Security settings, imported by config/settings.py: HTTPS switches, headers, cookies, the
Content-Security-Policy, and sign-in (lockouts, two factors, ProConnect, idle sessions). All from
the environment, on by default outside DEBUG."""

from __future__ import annotations

import os

from csp.constants import NONE, SELF

from config.env import env_bool

DEBUG = env_bool("DEBUG", False)

# --- Security: on by default outside DEBUG; each switch can be turned off for a plain-HTTP intranet.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    # Behind a reverse proxy that ends TLS and sets X-Forwarded-Proto (and only then).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# django-dsfr's integrity attributes hold the hashes of its files as shipped; collectstatic
# rewrites the URLs inside them (hashed names), so browsers would refuse the rewritten files. They
# come from our own origin under content-hashed names: the hash in the name pins them instead.
DSFR_USE_INTEGRITY_CHECKSUMS = False

# Content-Security-Policy (django-csp): scripts only from our own static files, never inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Sign-in and account security (accounts/): see the README, « Connexion et sécurité des comptes ».
# Lockouts live in the database, not the cache: they hold when Redis is down.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.GuardedModelBackend",
    "accounts.oidc.ProConnectBackend",
]
SIGNIN_WINDOW_SECONDS = int(os.environ.get("SIGNIN_WINDOW_SECONDS", "900"))
SIGNIN_LOCKOUT_SECONDS = int(os.environ.get("SIGNIN_LOCKOUT_SECONDS", "900"))
SIGNIN_ACCOUNT_LIMIT = int(os.environ.get("SIGNIN_ACCOUNT_LIMIT", "5"))
SIGNIN_ADDRESS_LIMIT = int(os.environ.get("SIGNIN_ADDRESS_LIMIT", "20"))
SIGNIN_TOKEN_ADDRESS_LIMIT = int(os.environ.get("SIGNIN_TOKEN_ADDRESS_LIMIT", "20"))
# Behind a reverse proxy that sets it (and only then): the META key holding the client's address.
SIGNIN_ADDRESS_HEADER = os.environ.get("SIGNIN_ADDRESS_HEADER", "")
# Two-factor authentication (django-otp): the issuer shown in authenticator apps.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Conventions CNSA")
# Wrong codes count in the sign-in lockout above (5 per account); django-otp's own growing delay
# would refuse a right code typed just after a wrong one.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# ProConnect (OpenID Connect) for State agents: on when PROCONNECT_ISSUER and PROCONNECT_CLIENT_ID
# are set. The endpoints come from the issuer's discovery document.
PROCONNECT_ISSUER = os.environ.get("PROCONNECT_ISSUER", "")
PROCONNECT_DISCOVERY_URL = os.environ.get("PROCONNECT_DISCOVERY_URL", "")
PROCONNECT_JWKS_URL = os.environ.get("PROCONNECT_JWKS_URL", "")
PROCONNECT_CLIENT_ID = os.environ.get("PROCONNECT_CLIENT_ID", "")
PROCONNECT_CLIENT_SECRET = os.environ.get("PROCONNECT_CLIENT_SECRET", "")
PROCONNECT_SCOPES = os.environ.get("PROCONNECT_SCOPES", "openid email given_name usual_name siret")
PROCONNECT_SIGN_ALGO = os.environ.get("PROCONNECT_SIGN_ALGO", "RS256")
PROCONNECT_TIMEOUT = int(os.environ.get("PROCONNECT_TIMEOUT", "10"))
PROCONNECT_EXTRA_PARAMS = {"acr_values": os.environ.get("PROCONNECT_ACR_VALUES", "eidas1")}
if PROCONNECT_ISSUER:
    # Signing out at the provider is a redirect after our sign-out form: the CSP must allow it.
    from urllib.parse import urlsplit as _urlsplit

    _provider = _urlsplit(PROCONNECT_ISSUER)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] = [
        *CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"],
        f"{_provider.scheme}://{_provider.netloc}",
    ]
# A session idle for longer than this is signed out (the list of sessions is on « Mon compte »).
SESSION_IDLE_TIMEOUT_SECONDS = int(os.environ.get("SESSION_IDLE_TIMEOUT_SECONDS", "1800"))
# --- End of sign-in settings.

SILENCED_SYSTEM_CHECKS = ["models.W047"]
