"""The house keeps the plan docs/architecture.md draws: short modules, and a test file mirroring
every module that holds rules (models, services, selectors, validators, access)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    *tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"],
    "config",
]
LIMIT = 300
RULED = re.compile(r"^(models|services|selectors|validators|access)(_\w+)?$")


def _modules() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def test_the_layers_name_every_package():
    on_disk = {
        p.name
        for p in ROOT.iterdir()
        if (p / "__init__.py").exists() and p.name not in ("tests", "bench")
    }

    assert on_disk == set(PACKAGES)


def test_no_module_is_longer_than_300_lines():
    long = {
        str(path.relative_to(ROOT)): count
        for path in _modules()
        if (count := len(path.read_text().splitlines())) > LIMIT
    }

    assert long == {}


def _mirror(path: Path) -> Path | None:
    app = path.relative_to(ROOT).parts[0]
    if path.parent.name == "models":  # a models/ package is tried in test_models.py
        return ROOT / "tests" / app / "test_models.py"
    if RULED.match(path.stem) and path.parent == ROOT / app:
        return ROOT / "tests" / app / f"test_{path.stem}.py"
    return None


def test_every_module_holding_rules_has_its_test_file():
    missing = sorted(
        str(mirror.relative_to(ROOT))
        for path in _modules()
        if (mirror := _mirror(path)) is not None and not mirror.exists()
    )

    assert missing == []
