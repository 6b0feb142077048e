from __future__ import annotations

import os
import secrets
import subprocess

import pytest

from tests.production.served import BIN, ROOT


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """The hashed static files, collected once for every served stack of the run."""
    root = tmp_path_factory.mktemp("static")
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "STATIC_ROOT": str(root),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return root
