"""The compose file is a production stack: no development server, no DEBUG, every service there."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_stack_has_its_services_volumes_and_healthchecks():
    services = COMPOSE["services"]

    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat"}
    assert {"pgdata", "private"} <= set(COMPOSE["volumes"])
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )


def test_no_service_runs_the_development_server_or_debug():
    for name, service in COMPOSE["services"].items():
        command = " ".join(service.get("command", []) or [])
        assert "runserver" not in command, name
        environment = service.get("environment", {}) or {}
        assert str(environment.get("DEBUG", "0")) == "0", name
    assert "gunicorn" in " ".join(COMPOSE["services"]["web"]["command"])
    assert "beat" in COMPOSE["services"]["beat"]["command"]
    assert "--max-memory-per-child" in COMPOSE["services"]["worker"]["command"]


def test_every_variable_the_settings_read_is_in_env_example():
    settings_text = (ROOT / "config" / "settings.py").read_text()
    example = (ROOT / ".env.example").read_text()
    read = set(re.findall(r'(?:environ\.get|env_bool)\(\s*"([A-Z_]+)"', settings_text))
    missing = {name for name in read if name not in example}
    assert not missing


@pytest.mark.skipif(not shutil.which("docker"), reason="docker is not installed")
def test_docker_compose_config_validates_when_docker_is_there(tmp_path):
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip("no docker compose plugin here; the file is checked by the tests above")
    (tmp_path / ".env").write_text("SECRET_KEY=x\nPOSTGRES_PASSWORD=y\n")
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    done = subprocess.run(
        ["docker", "compose", "config", "--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], "POSTGRES_PASSWORD": "y"},
    )
    assert done.returncode == 0, done.stderr
