"""Hostile uploads refused within bounded memory, in French, with nothing kept."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from actions.models import Attachment
from actions.services import attachment_add
from conventions.authentication import api_token_create
from core import uploads
from tests.actions import files
from tests.actions.world import build_world
from tests.factories import ProgressReportFactory

XLSX_MANIFEST = (
    '<Types><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)


def _bomb(inflated: int = 1536 * 1024 * 1024) -> bytes:
    """A zip whose [Content_Types].xml inflates to `inflated` bytes of spaces (1.5 Go)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        info = zipfile.ZipInfo("[Content_Types].xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            member.write(XLSX_MANIFEST.encode())
            chunk = b" " * (16 * 1024 * 1024)
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def zip_bomb() -> bytes:
    return _bomb()


def _office(entries: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _pdf(extra_catalog: str = "", body: str = "") -> bytes:
    return (
        f"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R{extra_catalog}>>endobj\n"
        f"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n{body}"
        "trailer<</Root 1 0 R>>\n%%EOF\n"
    ).encode()


DOCX_MANIFEST = (
    '<Types><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
HOSTILE = {
    "macro_docx": (
        "rapport.docx",
        _office(
            {
                "[Content_Types].xml": DOCX_MANIFEST,
                "word/document.xml": "<w:document/>",
                "word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro",
            }
        ),
        uploads.REFUSED_MACROS,
    ),
    "xlsm": (
        "budget.xlsx",
        _office(
            {
                "[Content_Types].xml": '<Types><Override PartName="/xl/workbook.xml" '
                'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>',
                "xl/workbook.xml": "<workbook/>",
            }
        ),
        uploads.REFUSED_MACROS,
    ),
    "pdf_javascript": (
        "bilan.pdf",
        _pdf("/OpenAction 3 0 R", "3 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n"),
        uploads.REFUSED_ACTIVE_PDF,
    ),
    "pdf_embedded_file": (
        "bilan.pdf",
        _pdf("/Names<</EmbeddedFiles 3 0 R>>", "3 0 obj<</Names[(x.exe) 4 0 R]>>endobj\n"),
        uploads.REFUSED_ACTIVE_PDF,
    ),
    "too_many_members": (
        "budget.xlsx",
        _office(
            {"[Content_Types].xml": XLSX_MANIFEST, "xl/workbook.xml": "<workbook/>"}
            | {f"xl/media/{i}.xml": "x" for i in range(uploads.MAX_ZIP_MEMBERS + 1)}
        ),
        uploads.REFUSED_BOMB,
    ),
}


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT).parent
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def report(world):
    return ProgressReportFactory(action=world.action69)


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_without_inflating_it(world, report, zip_bomb):
    assert len(zip_bomb) < 3 * 1024 * 1024
    upload = SimpleUploadedFile("budget.xlsx", zip_bomb)

    tracemalloc.start()
    with pytest.raises(ValidationError) as refused:
        attachment_add(report=report, upload=upload, by=world.contributor69)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert refused.value.message_dict == {"file": [uploads.REFUSED_BOMB]}
    assert peak < 32 * 1024 * 1024  # far below the 1.5 Go it would inflate to
    assert Attachment.objects.count() == 0 and _stored_files() == []


def test_a_member_lying_about_its_size_is_read_within_bounds():
    data = _office({"[Content_Types].xml": " " * (uploads.MAX_MANIFEST_BYTES + 10)})

    with pytest.raises(ValidationError) as refused:
        uploads.zip_office_type(io.BytesIO(data))

    assert refused.value.message_dict == {"file": [uploads.REFUSED_BOMB]}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_are_refused_with_their_reason_and_nothing_kept(world, report, case):
    name, content, message = HOSTILE[case]

    with pytest.raises(ValidationError) as refused:
        attachment_add(
            report=report, upload=SimpleUploadedFile(name, content), by=world.contributor69
        )

    assert refused.value.message_dict == {"file": [message]}
    assert Attachment.objects.count() == 0 and _stored_files() == []


@pytest.mark.django_db
def test_the_api_refuses_a_macro_document_and_keeps_nothing(world, report):
    _, key = api_token_create(user=world.contributor69, name="dépôt", by=world.contributor69)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    name, content, message = HOSTILE["macro_docx"]

    response = api.post(
        f"/api/v1/progress-reports/{report.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )

    assert response.status_code == 409
    assert response.json() == {"file": [message]}
    assert Attachment.objects.count() == 0 and _stored_files() == []


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\agent\\bilan 2021.pdf", "bilan 2021.pdf"),
        ("rapport\x00\x1b[31m.pdf", "rapport[31m.pdf"),
        ("a<b>:c|d?.pdf", "a_b__c_d_.pdf"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
        ("", "fichier"),
        ("...", "fichier"),
    ],
)
def test_file_names_are_cleaned_and_stay_readable(given, kept):
    assert uploads.clean_filename(given) == kept


@pytest.mark.django_db
def test_a_clean_pdf_and_office_files_are_still_accepted(world, report):
    for name, content in (("a.pdf", files.PDF), ("b.docx", files.docx()), ("c.xlsx", files.xlsx())):
        attachment_add(
            report=report, upload=SimpleUploadedFile(name, content), by=world.contributor69
        )
    assert Attachment.objects.count() == 3
