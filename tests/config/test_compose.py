"""The compose file is a production stack (no development server, no DEBUG, every service
there), and .env.example names every setting the code reads."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TEST_ONLY = {"REPORT_RENDER_DELAY_SECONDS"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_no_service_runs_the_development_server_or_debug(compose):
    for name, service in compose["services"].items():
        assert "runserver" not in _command(service), name
        environment = service.get("environment", {})
        assert str(environment.get("DEBUG", "0")) == "0", name
    assert compose["x-app"]["environment"]["DEBUG"] == "0"


def test_the_stack_has_its_services_in_order(compose):
    services = compose["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat"}
    assert _command(services["migrate"]) == "python manage.py migrate --noinput"
    assert _command(services["web"]).startswith("gunicorn config.wsgi --bind=0.0.0.0:8000")
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    worker = _command(services["worker"])
    assert worker.startswith("celery -A config worker")
    assert "--max-tasks-per-child=" in worker and "--max-memory-per-child=" in worker
    assert _command(services["beat"]).startswith("celery -A config beat")
    for name in ("db", "redis", "web", "worker"):
        assert services[name]["healthcheck"]["test"], name


def test_database_and_private_files_live_in_volumes(compose):
    assert set(compose["volumes"]) == {"pgdata", "private"}
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    assert "private:/data/private" in compose["services"]["web"]["volumes"]
    assert compose["services"]["web"]["environment"]["PRIVATE_MEDIA_ROOT"] == "/data/private"


def test_no_secret_is_written_in_the_repository(compose):
    environment = compose["x-app"]["environment"]
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
    assert compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )
    example = (ROOT / ".env.example").read_text()
    assert re.search(r"^SECRET_KEY=$", example, flags=re.M)
    assert re.search(r"^POSTGRES_PASSWORD=$", example, flags=re.M)


def test_env_example_names_every_variable_the_code_reads():
    read = set()
    for path in ROOT.glob("*/**/*.py"):
        if path.parts[len(ROOT.parts)] in {".venv", "tests", "bench"}:
            continue
        text = path.read_text()
        read |= set(re.findall(r'os\.environ(?:\.get)?[\[(]"([A-Z_]+)"', text))
        read |= set(re.findall(r'env_bool\("([A-Z_]+)"', text))
    example = set(re.findall(r"^#? ?([A-Z][A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert {"SECRET_KEY", "REDIS_URL", "PRIVATE_MEDIA_ROOT", "SECURE_SSL_REDIRECT"} <= read
    assert "DATABASE_URL" in example  # read by dj-database-url
    assert read - TEST_ONLY - {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"} <= example


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
        env={"PATH": os.environ["PATH"]},
    )
    assert done.returncode == 0, done.stderr
