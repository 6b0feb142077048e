"""Attachments of a progress report: the content is checked, never the name."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from actions.models import Attachment, ProgressReport
from actions.services_progress import EDITABLE, _require_entry, _status_label
from core import uploads


def _require_editable(report: ProgressReport, by: User) -> None:
    _require_entry(by, report.action)
    current = ProgressReport.objects.filter(pk=report.pk).values_list("status", flat=True).first()
    if current not in EDITABLE:
        raise ValidationError(
            {
                "file": f"Ce compte rendu est {_status_label(current)} : ses pièces jointes sont figées."
            }
        )


def attachment_add(*, report: ProgressReport, upload: UploadedFile, by: User) -> Attachment:
    """Check the content (not the name), store under a server-made name; no row without its file."""
    _require_editable(report, by)
    content_type, extension = attachment_detect(upload)
    upload.seek(0)
    attachment = Attachment(
        report=report,
        original_name=uploads.clean_filename(upload.name),
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=by,
    )
    attachment.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    try:
        with transaction.atomic():
            attachment.save()
    except Exception:
        attachment.file.storage.delete(attachment.file.name or "")
        raise
    return attachment


def attachment_delete(*, attachment: Attachment, by: User) -> None:
    _require_editable(attachment.report, by)
    name, storage = attachment.file.name or "", attachment.file.storage
    with transaction.atomic():
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))


MAX_ATTACHMENT_BYTES = uploads.MAX_UPLOAD_BYTES
ALLOWED_TYPES = {
    uploads.PDF: "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    uploads.XLSX: "xlsx",
    uploads.DOCX: "docx",
    uploads.ODT: "odt",
}
REFUSED_TYPE = (
    "Ce fichier n'est pas accepté : déposez un PDF, un tableur XLSX, un document DOCX ou ODT, "
    "ou une image PNG ou JPEG (le type est vérifié d'après le contenu, pas d'après le nom)."
)


def attachment_detect(upload: UploadedFile) -> tuple[str, str]:
    """(content type, extension) read from the bytes; a ValidationError for anything else."""
    mime, extension = uploads.upload_detect(upload, ALLOWED_TYPES)
    if mime is None:
        raise ValidationError({"file": REFUSED_TYPE})
    return mime, extension
