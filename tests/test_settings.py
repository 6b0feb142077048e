"""Settings come from the environment; production refuses to start on a missing secret."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
