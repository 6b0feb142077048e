"""Settings, all from the environment; safe embedded defaults for a developer machine."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY manque : définissez-la dans l'environnement (ou DEBUG=1 en développement)."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "config.apps.CnsaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "widget_tweaks",
    "dsfr",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "core",
    "conventions",
    "axes",
    "actions",
    "financing",
    "reporting",
    "backoffice",
    "demo",
    "accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionActivityMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dsfr.context_processors.site_config",
                "conventions.context_processors.navigation",
                "actions.context_processors.notifications",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed files served by whitenoise with a year-long cache; `collectstatic` builds them.
# DEBUG (development and the test suite) serves the source files as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "core.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Bodies other than uploaded files (JSON, form fields): 2 Mio is far above any real request.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The financing plan grid posts one field per cell: 300 actions × 5 funders × 6 years fit.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "conventions@cnsa.example")

# The budget line's name changed over time ("Section IV", then a "fonds"): shown, never hard-coded.
CNSA_FUND_LABEL = os.environ.get("CNSA_FUND_LABEL", "Section IV du budget de la CNSA")
SITE_BASE_URL = os.environ.get("SITE_BASE_URL", "http://127.0.0.1:8000")
# The signature closing every e-mail (lines separated by "\n" in the environment).
NOTIFICATIONS_SIGNATURE = os.environ.get(
    "NOTIFICATIONS_SIGNATURE",
    "Le service des conventions de modernisation de l'aide à domicile\n"
    "Caisse nationale de solidarité pour l'autonomie (CNSA)",
).replace("\\n", "\n")
# SCDL `dispositifAide`: the identifier of the aid scheme in the « dispositifs d'aide » schema
# (schema.data.gouv.fr, etalab/schema-dispositif-aide), an identifier, never a label. Empty by
# default: the field is optional and no identifier is registered for the CNSA programme yet.
SCDL_DISPOSITIF_AIDE = os.environ.get("SCDL_DISPOSITIF_AIDE", "")
# How long browsers and proxies may keep the public open-data files (seconds).
OPENDATA_CACHE_SECONDS = int(os.environ.get("OPENDATA_CACHE_SECONDS", "3600"))

# Redis, Celery and the periodic tasks: config/celery_settings.py, read from the same environment.
from config.celery_settings import *  # noqa: E402,F403
from config.celery_settings import REDIS_URL  # noqa: E402

CELERY_TIMEZONE = TIME_ZONE

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.GuardedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.backends.ApiPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.backends.StrictFilterBackend",
        "core.api.filters.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttling.ReadWriteUserThrottle",
        "core.throttling.AnonThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user_read": os.environ.get("API_THROTTLE_READ", "10000/hour"),
        "user_write": os.environ.get("API_THROTTLE_WRITE", "1000/hour"),
        "anon": os.environ.get("API_THROTTLE_ANON", "100/hour"),
    },
    "COERCE_DECIMAL_TO_STRING": True,
    # The API speaks JSON; only the attachment upload reads multipart/form-data, route by route.
    "DEFAULT_PARSER_CLASSES": ["core.parsers.BoundedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "API des conventions de modernisation CNSA",
    "DESCRIPTION": "Conventions, axes, actions, indicateurs, plan de financement, versements et totaux.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ConventionStatusEnum": "conventions.models.Convention.Status",
        "ActionStatusEnum": "actions.models.Action.Status",
        "ProgressReportStatusEnum": "actions.models.ProgressReport.Status",
        "PaymentStatusEnum": "financing.models.Payment.Status",
        "PaymentKindEnum": "financing.models.Payment.Kind",
        "OrganisationKindEnum": "conventions.models.Organisation.Kind",
        "ReportKindEnum": "reporting.models.Report.Kind",
        "ReportStatusEnum": "reporting.models.Report.Status",
    },
}

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that does not answer must not hold a request: fail fast, fall back.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# One line per event, with the request id and the user id (never a name or an address).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request": {"()": "core.logging.RequestContextFilter"},
        "refusals": {"()": "core.logging.RefusalsWithoutTraceback"},
    },
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s "
            "user_id=%(user_id)s %(message)s"
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request"], "formatter": "line"}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"filters": ["refusals"]},
    },
}

# Security headers, cookies, CSP and sign-in: config/security.py, read from the same environment.
from config.security import *  # noqa: E402,F403
