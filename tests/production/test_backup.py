"""Backup and restore: a dated archive of the database and the private files, restored into an
empty database with every row, every amount and every file identical."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from actions.models import Attachment, ProgressReport
from conventions.models import Convention
from core.backup import backup_create, file_hashes
from core.storage import private_storage
from financing.demo import demo_load
from reporting.models import Report

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _dsn(name: str) -> str:
    db = connection.settings_dict
    user = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    return f"postgres://{user}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def fingerprint(dsn: str) -> dict[str, tuple]:
    """Per table: row count, a digest of every row, and the sum of every numeric column."""
    result = {}
    with psycopg.connect(dsn) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        for table in tables:
            numeric = [
                row[0]
                for row in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                    "'public' AND table_name = %s AND data_type = 'numeric' ORDER BY 1",
                    [table],
                )
            ]
            sums = ", ".join(f'sum("{column}")' for column in numeric) or "NULL"
            result[table] = tuple(
                conn.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text),"
                    f" '')), {sums} FROM \"{table}\" t"  # noqa: S608 - names from the catalogue
                ).fetchone()
            )
    return result


@pytest.fixture
def filled(settings):
    demo_load()
    convention = Convention.objects.get(reference__contains="2016")
    report = Report.objects.create(
        convention=convention,
        kind=Report.Kind.FINAL,
        period_start=datetime.date(2016, 1, 1),
        period_end=datetime.date(2018, 12, 31),
        status=Report.Status.DONE,
    )
    report.file.save("rapport.pdf", ContentFile(b"%PDF-1.7 bilan final " * 200))
    progress = ProgressReport.objects.filter(action__axis__convention=convention).first()
    attachment = Attachment(
        report=progress, original_name="facture.pdf", content_type="application/pdf", size=9
    )
    attachment.file.save("facture.pdf", ContentFile(b"%PDF-1.7\x00\xff"))
    return Path(private_storage().location)


@pytest.fixture
def empty_database():
    name = f"{connection.settings_dict['NAME']}_restore"
    with psycopg.connect(_dsn("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _dsn(name)
    with psycopg.connect(_dsn("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore(archive: Path, *, dsn: str, private: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": dsn, "PRIVATE_MEDIA_ROOT": str(private)}
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_backup_restored_into_an_empty_database_gives_back_every_row_amount_and_file(
    filled, empty_database, tmp_path
):
    before = fingerprint(_dsn(connection.settings_dict["NAME"]))
    files_before = file_hashes(filled)
    archive = backup_create(output_dir=tmp_path / "backups")
    shutil.rmtree(filled)  # the files are lost with the server

    result = _restore(archive, dsn=empty_database, private=filled)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Restauré : base et 2 fichier(s) privé(s)."
    after = fingerprint(empty_database)
    assert after == before
    assert file_hashes(filled) == files_before
    assert len(files_before) == 2
    assert before["financing_fundingline"][0] > 0
    assert before["financing_payment"][0] > 0
    money = dict(zip(["count", "digest", "amount"], before["financing_payment"], strict=False))
    assert money["amount"] > Decimal("0.00")


def test_the_archive_is_dated_and_holds_the_dump_the_manifest_and_the_files(filled, tmp_path):
    import tarfile

    archive = backup_create(
        output_dir=tmp_path, now=datetime.datetime(2026, 3, 1, 2, 30, tzinfo=datetime.UTC)
    )

    assert archive.name == "conventions-20260301-023000.tar.gz"
    with tarfile.open(archive) as tar:
        names = sorted(tar.getnames())
    assert names[:2] == ["database.dump", "manifest.json"]
    assert sorted(n for n in names if n.startswith("private/")) == sorted(
        f"private/{name}" for name in file_hashes(filled)
    )


def test_a_restore_into_a_database_that_is_not_empty_is_refused_and_changes_nothing(
    filled, tmp_path
):
    archive = backup_create(output_dir=tmp_path)
    before = fingerprint(_dsn(connection.settings_dict["NAME"]))

    with pytest.raises(CommandError, match="La base n'est pas vide"):
        call_command("restore", str(archive))

    assert fingerprint(_dsn(connection.settings_dict["NAME"])) == before
