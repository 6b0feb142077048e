"""make backup / make restore: a dump and the private files, restored into an empty database,
give back every row, every amount and every file."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from config.celery import app as celery_app
from conventions.models import Convention
from core.backup import backup_create, file_hashes
from reporting import services as reports
from tests.production.served import database_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _figures(dsn: str) -> dict[str, tuple]:
    """Per table: row count, the sum of every numeric column, and a digest of all rows."""
    figures = {}
    with psycopg.connect(dsn) as db:
        tables = db.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()
        for (table,) in tables:
            numeric = [
                c
                for (c,) in db.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                    "AND data_type = 'numeric' ORDER BY 1",
                    [table],
                )
            ]
            sums = ", ".join(f'COALESCE(SUM("{c}"), 0)' for c in numeric)
            row = db.execute(
                f"SELECT COUNT(*), md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), ''))"
                f'{", " + sums if sums else ""} FROM "{table}" t'
            ).fetchone()
            figures[table] = tuple(row)
    return figures


@pytest.fixture
def eager_tasks():
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def private_root(settings, tmp_path, monkeypatch):
    root = tmp_path / "private"
    monkeypatch.setenv("PRIVATE_MEDIA_ROOT", str(root))
    settings.MEDIA_ROOT = tmp_path / "media-moved"  # storage locations are computed again
    return root


def test_a_backup_restored_into_an_empty_database_gives_back_every_row_amount_and_file(
    private_root, tmp_path, eager_tasks, django_capture_on_commit_callbacks
):
    call_command("load_demo", verbosity=0)
    lyon = Convention.objects.get(reference="CNSA-METROPOLE-LYON-2016-2017")
    officer = lyon.funder.memberships.get(user__username="cnsa.officer").user
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_request(convention=lyon, kind="final", by=officer)
    source = _figures(database_url())
    files = file_hashes(private_root)
    assert len(files) == 1 and next(iter(files)).endswith(".pdf")
    planned = source["financing_fundingline"]
    assert planned[0] > 0 and planned[2] >= Decimal("801500.00")

    archive = backup_create(output_dir=tmp_path / "backups")

    target = f"restore_{uuid.uuid4().hex[:8]}"
    connection.cursor().execute(f'CREATE DATABASE "{target}"')
    restored_root = tmp_path / "restored-private"
    target_url = database_url().rsplit("/", 1)[0] + f"/{target}"
    try:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "restore", str(archive)],
            cwd=ROOT,
            env={
                **os.environ,
                "DEBUG": "1",
                "DATABASE_URL": target_url,
                "PRIVATE_MEDIA_ROOT": str(restored_root),
            },
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        assert _figures(target_url) == source
        assert file_hashes(restored_root) == files
    finally:
        connection.cursor().execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')


def test_a_restore_refuses_a_database_that_is_not_empty(private_root, tmp_path):
    call_command("load_demo", verbosity=0)
    archive = backup_create(output_dir=tmp_path / "backups")

    with pytest.raises(CommandError, match="La base n'est pas vide"):
        call_command("restore", str(archive))


def test_the_archive_is_dated_and_holds_the_dump_the_manifest_and_the_files(private_root, tmp_path):
    import datetime
    import tarfile

    from django.core.files.base import ContentFile

    from core.storage import private_storage

    private_storage().save("reports/2026/03/rapport.pdf", ContentFile(b"%PDF-1.7 bilan"))
    private_storage().save("attachments/2026/03/facture.pdf", ContentFile(b"%PDF-1.7 facture"))

    archive = backup_create(
        output_dir=tmp_path, now=datetime.datetime(2026, 3, 1, 2, 30, tzinfo=datetime.UTC)
    )

    assert archive.name == "conventions-20260301-023000.tar.gz"
    with tarfile.open(archive) as tar:
        names = sorted(tar.getnames())
    assert names == [
        "database.dump",
        "manifest.json",
        "private/attachments/2026/03/facture.pdf",
        "private/reports/2026/03/rapport.pdf",
    ]
