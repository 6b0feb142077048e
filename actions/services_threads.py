"""Conversations on an action or a progress report: who may write, messages with their
attachments (checked like a report's), internal notes, and how far each person has read."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from actions import notifications
from actions.models import (
    Action,
    Kind,
    Message,
    MessageAttachment,
    Notification,
    ProgressReport,
    Thread,
    ThreadRead,
)
from actions.selectors_notifications import unread_forget
from conventions.access import CONTRIBUTOR, COORDINATOR, scope_for
from core import limits, uploads

MAX_FILES_PER_MESSAGE = 5
EMPTY_MESSAGE = "Écrivez votre message avant de l'envoyer."
WRITERS = {CONTRIBUTOR, COORDINATOR}
Checked = tuple[UploadedFile, str, str]


def can_post(user: User | None, action: Action) -> bool:
    """CNSA officers, and the contributors and coordinators of the action's pilot or porteur."""
    scope = scope_for(user)
    if scope.is_officer:
        return True
    convention = action.axis.convention
    roles = {scope.role_in(action.lead_organisation_id), scope.role_in(convention.beneficiary_id)}
    return bool(roles & WRITERS)


def can_write_notes(user: User | None) -> bool:
    return scope_for(user).is_officer


def thread_for(*, action: Action, report: ProgressReport | None = None) -> Thread:
    """The thread of the report (if given) or of the action, opened on first use."""
    if report is not None:
        thread, _ = Thread.objects.get_or_create(report=report, defaults={"action": action})
    else:
        thread, _ = Thread.objects.get_or_create(action=action, report=None)
    return thread


def _checked(files: Sequence[UploadedFile]) -> list[Checked]:
    if len(files) > MAX_FILES_PER_MESSAGE:
        raise ValidationError(
            {"file": f"Joignez au plus {MAX_FILES_PER_MESSAGE} fichiers à un message."}
        )
    # Imported here: the review workflow writes in threads, and attachments depend on it.
    from actions.services_attachments import attachment_detect

    checked = []
    for upload in files:
        content_type, extension = attachment_detect(upload)
        upload.seek(0)
        checked.append((upload, content_type, extension))
    return checked


def _store(message: Message, checked: list[Checked]) -> list[MessageAttachment]:
    """Files under server-made names; none left behind if a row cannot be written."""
    stored: list[MessageAttachment] = []
    try:
        for upload, content_type, extension in checked:
            attachment = MessageAttachment(
                message=message,
                original_name=uploads.clean_filename(upload.name),
                content_type=content_type,
                size=upload.size or 0,
                uploaded_at=message.created_at,
            )
            attachment.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
            stored.append(attachment)
            with transaction.atomic():
                attachment.save()
    except Exception:
        for attachment in stored:
            attachment.file.storage.delete(attachment.file.name or "")
        raise
    return stored


def _clean_body(body: str, field: str = "body") -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({field: EMPTY_MESSAGE})
    limits.text_check(field=field, value=body, limit=limits.LONG_TEXT_MAX_LENGTH)
    return body


@transaction.atomic
def message_post(
    *,
    action: Action,
    by: User,
    body: str,
    report: ProgressReport | None = None,
    internal: bool = False,
    files: Sequence[UploadedFile] = (),
) -> Message:
    """A message (or an internal note, officers only) in the thread of the action or the report;
    the other side is told, as each person chose."""
    if report is not None and report.action_id != action.pk:
        raise ValidationError({"report": "Ce compte rendu n'appartient pas à cette action."})
    if not can_post(by, action):
        raise PermissionDenied(
            "Seuls la CNSA, le pilote de l'action et le porteur écrivent dans ces échanges."
        )
    if internal and not can_write_notes(by):
        raise PermissionDenied(
            "Seuls les chargés de mission de la CNSA écrivent des notes internes."
        )
    text = _clean_body(body)
    checked = _checked(files)
    message = Message.objects.create(
        thread=thread_for(action=action, report=report),
        author=by,
        body=text,
        internal=internal,
        created_at=timezone.now(),
    )
    _store(message, checked)
    notifications.message_posted(message=message, action=action, report=report)
    return message


def message_record(*, report: ProgressReport, by: User, body: str, event: str) -> Message:
    """A review's comment (return, approval, reopening) kept in the report's thread: nothing is
    overwritten. The review's own notification tells the partner."""
    return Message.objects.create(
        thread=thread_for(action=report.action, report=report),
        author=by,
        body=body,
        event=event,
        created_at=timezone.now(),
    )


def message_attach(*, message: Message, files: Sequence[UploadedFile], by: User) -> list:
    """Files added to one's own message afterwards (the API sends them apart from the text)."""
    if message.author_id != by.pk:
        raise PermissionDenied("Seul l'auteur d'un message y joint des fichiers.")
    count = message.attachments.count()
    checked = _checked(files)
    if count + len(checked) > MAX_FILES_PER_MESSAGE:
        raise ValidationError(
            {"file": f"Un message porte au plus {MAX_FILES_PER_MESSAGE} pièces jointes."}
        )
    return _store(message, checked)


def thread_mark_read(*, thread: Thread, user: User, last_id: int) -> None:
    """The person has seen the thread up to message `last_id`; markers only move forward."""
    if not last_id or not user.is_authenticated:
        return
    row, created = ThreadRead.objects.get_or_create(
        user=user, thread=thread, defaults={"last_read_id": last_id}
    )
    if not created and row.last_read_id < last_id:
        ThreadRead.objects.filter(pk=row.pk, last_read_id__lt=last_id).update(
            last_read_id=last_id, read_at=timezone.now()
        )


def thread_notifications_read(*, user: User, link: str) -> int:
    """Reading a thread reads the « new message » notifications that lead to it."""
    count = (
        Notification.objects.visible_to(user)
        .unread()
        .filter(kind=Kind.MESSAGE, link=link)
        .update(read_at=timezone.now())
    )
    if count:
        unread_forget(users=[user])
    return count
