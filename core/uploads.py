"""Uploaded files checked within bounded memory and time: the type read from the content, zip
archives inspected without inflating them, macros and active PDF content refused, names cleaned."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO, Any

import filetype
from django.core.exceptions import ValidationError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ZIP_MEMBERS = 1000
MAX_MEMBER_BYTES = 50 * 1024 * 1024  # inflated size of one member
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # inflated size of the whole archive
MAX_RATIO = 200  # inflated / compressed, for members above 1 Mo: a zip bomb is ~1000
MAX_MANIFEST_BYTES = 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

REFUSED_BOMB = (
    "Ce fichier est refusé : son archive se décompresse en un volume anormal (fichier piégé ou "
    "corrompu). Enregistrez-le de nouveau depuis votre logiciel."
)
REFUSED_MACROS = (
    "Ce fichier est refusé : il contient des macros. Enregistrez-le sans macros "
    "(format .docx, .xlsx ou .odt ordinaire) et déposez-le de nouveau."
)
REFUSED_ACTIVE_PDF = (
    "Ce PDF est refusé : il contient du JavaScript, une action automatique ou des fichiers "
    "incorporés. Imprimez-le de nouveau en PDF depuis votre logiciel et déposez-le."
)
REFUSED_TOO_BIG = "Le fichier dépasse 10 Mo : réduisez-le ou découpez-le avant de le déposer."


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def clean_filename(name: str | None, *, default: str = "fichier") -> str:
    """The last part of any path, no control or reserved characters, 150 characters at most."""
    name = PureWindowsPath(PurePosixPath(name or "").name).name
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r'[<>:"/\\|?*]', "_", name).strip(" .")
    if not name:
        return default
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        return name[:150]
    return f"{stem[: 150 - len(extension) - 1]}.{extension}"


def zip_office_type(upload: IO[bytes]) -> str | None:
    """DOCX, XLSX, ODT, ODS from their manifest, read within bounds; any other zip is None."""
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            _check_members(members)
            names = {member.filename for member in members}
            if "mimetype" in names:
                mimetype = _read_bounded(archive, "mimetype").decode("ascii", "replace").strip()
                _check_odf_macros(names)
                return mimetype if mimetype in {ODT, ODS} else None
            if "[Content_Types].xml" not in names:
                return None
            manifest = _read_bounded(archive, "[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, EOFError):
        return None
    lowered = manifest.lower()
    if (
        any(name.lower().endswith(("vbaproject.bin", "vbadata.xml")) for name in names)
        or "macroenabled" in lowered
        or "vnd.ms-office.vbaproject" in lowered
    ):
        raise _refuse(REFUSED_MACROS)
    if "word/document.xml" in names and "wordprocessingml.document.main+xml" in manifest:
        return DOCX
    if "xl/workbook.xml" in names and "spreadsheetml.sheet.main+xml" in manifest:
        return XLSX
    return None


def _check_members(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        raise _refuse(REFUSED_BOMB)
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        too_dense = member.file_size > 1024 * 1024 and ratio > MAX_RATIO
        if member.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES or too_dense:
            raise _refuse(REFUSED_BOMB)


def _read_bounded(archive: zipfile.ZipFile, name: str) -> bytes:
    """Declared sizes can lie: never inflate more than the bound, whatever the header says."""
    with archive.open(name) as member:
        data = member.read(MAX_MANIFEST_BYTES + 1)
    if len(data) > MAX_MANIFEST_BYTES:
        raise _refuse(REFUSED_BOMB)
    return data


def _check_odf_macros(names: set[str]) -> None:
    if any(name.startswith(("Basic/", "Scripts/")) for name in names):
        raise _refuse(REFUSED_MACROS)


_ACTIVE_PDF_MARKERS = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/OpenAction")


def pdf_check(upload: IO[bytes]) -> None:
    """Active content refused: by the raw markers, then by the parsed document (object streams
    hide markers from a byte scan)."""
    upload.seek(0)
    raw = upload.read(MAX_UPLOAD_BYTES + 1)
    upload.seek(0)
    if any(marker in raw for marker in _ACTIVE_PDF_MARKERS):
        raise _refuse(REFUSED_ACTIVE_PDF)
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(upload, strict=False)
        catalog: Any = reader.trailer["/Root"]
        names = catalog.get("/Names") or {}
        if "/OpenAction" in catalog or "/AA" in catalog:
            raise _refuse(REFUSED_ACTIVE_PDF)
        if "/JavaScript" in names or "/EmbeddedFiles" in names:
            raise _refuse(REFUSED_ACTIVE_PDF)
        for page in reader.pages[:500]:
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A") or {}
                if action.get("/S") in {"/JavaScript", "/Launch"}:
                    raise _refuse(REFUSED_ACTIVE_PDF)
    except ValidationError:
        raise
    except (PyPdfError, KeyError, ValueError, TypeError, AttributeError, RecursionError):
        # A PDF the parser cannot walk is kept only if the byte scan found nothing active:
        # small hand-made PDFs are common and harmless.
        pass
    finally:
        upload.seek(0)


def upload_detect(upload, allowed: dict[str, str]) -> tuple[str, str]:
    """(content type, extension) read from the bytes, or a French ValidationError on `file`."""
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise _refuse(REFUSED_TOO_BIG)
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if head[:4] == b"PK\x03\x04":
        mime = zip_office_type(upload)
    upload.seek(0)
    if mime == PDF:
        pdf_check(upload)
    if mime not in allowed:
        return None, None  # type: ignore[return-value]
    return mime, allowed[mime]
