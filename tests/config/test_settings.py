"""Settings come from the environment; production refuses to start on a missing secret."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _start(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.LANGUAGE_CODE, settings.TIME_ZONE)",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_without_a_secret_key_unless_debug():
    refused = _start()

    assert refused.returncode != 0
    assert "SECRET_KEY manque" in refused.stderr


def test_it_starts_in_french_with_a_secret_key():
    started = _start(SECRET_KEY="x" * 50)

    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "fr-fr Europe/Paris"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves: not a deployment's setting.
    unset = ("SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(unset)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_gives_no_warning_with_debug_off_and_a_secret_key():
    checked = _manage(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secrets.token_urlsafe(50)
    )

    assert checked.returncode == 0, checked.stderr
    assert "no issues" in checked.stdout


def test_each_https_switch_can_be_turned_off_for_a_plain_http_intranet():
    checked = _manage(
        "check",
        "--deploy",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
    )

    for warning in ("W004", "W008", "W012", "W016"):
        assert f"security.{warning}" in checked.stderr + checked.stdout
