"""Backups: a PostgreSQL dump and the private files in one dated archive, and the way back."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.storage import private_storage


class BackupError(Exception):
    pass


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("Les sauvegardes demandent PostgreSQL (DATABASE_URL=postgres://…).")
    args = ["--dbname", db["NAME"], "--host", db.get("HOST") or "127.0.0.1"]
    args += ["--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def file_hashes(root: Path) -> dict[str, str]:
    hashes = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        hashes[path.relative_to(root).as_posix()] = digest.hexdigest()
    return hashes


def backup_create(*, output_dir: Path, now: datetime | None = None) -> Path:
    """pg_dump gives one consistent snapshot; the private files are copied right after it."""
    args, env = _pg_env()
    stamp = (now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    output_dir.mkdir(parents=True, exist_ok=True)
    archive = output_dir / f"conventions-{stamp}.tar.gz"
    private_root = Path(private_storage().location)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "database.dump"
        subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump)]
            + args,
            env=env,
            check=True,
            capture_output=True,
        )
        files = file_hashes(private_root) if private_root.exists() else {}
        manifest = {"created": stamp, "files": files}
        (Path(tmp) / "manifest.json").write_text(json.dumps(manifest, indent=1))
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(dump, arcname="database.dump")
            tar.add(Path(tmp) / "manifest.json", arcname="manifest.json")
            for name in files:
                tar.add(private_root / name, arcname=f"private/{name}")
    return archive


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def backup_restore(*, archive: Path) -> dict[str, int]:
    """Into an empty database and an empty private folder only: a restore never merges."""
    args, env = _pg_env()
    if not _database_is_empty():
        raise BackupError("La base n'est pas vide : restaurez dans une base neuve (createdb).")
    private_root = Path(private_storage().location)
    if private_root.exists() and any(private_root.iterdir()):
        raise BackupError(f"Le dossier des fichiers privés n'est pas vide : {private_root}.")
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(tmp, filter="data")
        manifest = json.loads((Path(tmp) / "manifest.json").read_text())
        subprocess.run(  # noqa: S603
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
            + args
            + [str(Path(tmp) / "database.dump")],
            env=env,
            check=True,
            capture_output=True,
        )
        extracted = Path(tmp) / "private"
        if extracted.exists():
            private_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(extracted, private_root, dirs_exist_ok=True)
    restored = file_hashes(private_root) if private_root.exists() else {}
    if restored != manifest["files"]:
        raise BackupError(
            "Les fichiers restaurés ne correspondent pas à l'inventaire de l'archive."
        )
    return {"files": len(restored)}
