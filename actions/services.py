"""Writes with a business rule on actions and indicators."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from actions import notifications
from actions.models import (
    Action,
    Attachment,
    Indicator,
    IndicatorValue,
    ProgressReport,
    Spending,
)
from conventions.access import CONTRIBUTOR, COORDINATOR, scope_for
from conventions.models import Convention, Organisation
from conventions.services import save_validated
from core import limits, uploads
from core.history import set_history_user
from core.money import round_money


def action_validate(action: Action) -> None:
    errors: dict[str, str] = {}
    if action.start_date and action.end_date and action.start_date > action.end_date:
        errors["end_date"] = "La fin de l'action doit suivre son début."
    if action.axis_id:
        convention = action.axis.convention
        if convention.status == Convention.Status.CLOSED:
            errors["axis"] = "La convention est clôturée : ses actions sont figées."
        if action.start_date and action.start_date < convention.start_date:
            errors["start_date"] = (
                f"L'action ne peut commencer avant la convention ({convention.start_date:%d/%m/%Y})."
            )
        if action.end_date and action.end_date > convention.end_date:
            errors["end_date"] = (
                f"L'action ne peut finir après la convention ({convention.end_date:%d/%m/%Y})."
            )
    if action.lead_organisation_id and action.lead_organisation.kind == Organisation.Kind.FUNDER:
        errors["lead_organisation"] = (
            "Le financeur ne pilote pas d'action : choisissez un partenaire."
        )
    if errors:
        raise ValidationError(errors)


def action_save(*, action: Action, by: User | None) -> Action:
    return save_validated(action, validator=action_validate, by=by)


def indicator_validate(indicator: Indicator) -> None:
    if indicator.target is not None and indicator.target < 0:
        raise ValidationError({"target": "La cible ne peut pas être négative."})


def indicator_save(*, indicator: Indicator, by: User | None) -> Indicator:
    return save_validated(indicator, validator=indicator_validate, by=by)


def action_delete(*, action: Action, by: User | None) -> None:
    action_validate(action)
    if action.progress_reports.exists():
        raise ValidationError(
            {
                "action": (
                    "Cette action a des comptes rendus : elle ne peut plus être supprimée ; "
                    "passez-la au statut « Abandonnée »."
                )
            }
        )
    action.delete()


def indicator_delete(*, indicator: Indicator, by: User | None) -> None:
    action_validate(indicator.action)
    if indicator.values.exists():
        raise ValidationError(
            {
                "indicator": (
                    "Des valeurs ont été déclarées pour cet indicateur : il ne peut plus être supprimé."
                )
            }
        )
    indicator.delete()


# --- Progress reports: entry, workflow, attachments -------------------------------------------

STALE_MESSAGE = (
    "Quelqu'un d'autre a modifié ce compte rendu pendant que vous le saisissiez : "
    "rechargez la page pour voir sa version actuelle, puis refaites vos modifications."
)
EDITABLE = (ProgressReport.Status.DRAFT, ProgressReport.Status.RETURNED)
ENTRY_ROLES = {CONTRIBUTOR, COORDINATOR}


def can_enter_progress(user: User | None, action: Action) -> bool:
    """Contributors and coordinators of the lead organisation, coordinators of the porteur."""
    scope = scope_for(user)
    if scope.role_in(action.lead_organisation_id) in ENTRY_ROLES:
        return True
    return scope.role_in(action.axis.convention.beneficiary_id) == COORDINATOR


def can_review(user: User | None) -> bool:
    return scope_for(user).is_officer


def _require_entry(user: User | None, action: Action) -> None:
    if not can_enter_progress(user, action):
        raise PermissionDenied(
            "Seuls le pilote de l'action et le coordinateur du porteur saisissent son avancement."
        )


def _require_review(user: User | None) -> None:
    if not can_review(user):
        raise PermissionDenied("Seul un chargé de mission de la CNSA relit les comptes rendus.")


def progress_report_validate_period(
    *, action: Action, period_start: datetime.date, period_end: datetime.date
) -> None:
    convention = action.axis.convention
    if period_start > period_end:
        raise ValidationError({"period": "La fin de la période doit suivre son début."})
    if period_start < convention.start_date or period_end > convention.end_date:
        raise ValidationError(
            {
                "period": f"La période doit être comprise dans la convention "
                f"({convention.start_date:%d/%m/%Y} – {convention.end_date:%d/%m/%Y})."
            }
        )
    overlapping = ProgressReport.objects.filter(
        action=action, period_start__lte=period_end, period_end__gte=period_start
    )
    if overlapping.exists():
        raise ValidationError(
            {"period": "Un compte rendu couvre déjà tout ou partie de cette période."}
        )


@transaction.atomic
def progress_report_create(
    *, action: Action, period_start: datetime.date, period_end: datetime.date, by: User
) -> ProgressReport:
    _require_entry(by, action)
    if action.axis.convention.status == Convention.Status.CLOSED:
        raise ValidationError({"period": "La convention est clôturée : plus aucun compte rendu."})
    progress_report_validate_period(action=action, period_start=period_start, period_end=period_end)
    report = ProgressReport(
        action=action, period_start=period_start, period_end=period_end, created_by=by
    )
    set_history_user(report, by)
    report.save()
    return report


def _claim(report: ProgressReport, *, version: int, statuses, refused: str) -> None:
    """Conditional UPDATE: the caller's version must still be the current one, in an allowed state.

    The bumped version makes every other open form on this report stale."""
    claimed = ProgressReport.objects.filter(
        pk=report.pk, version=version, status__in=statuses
    ).update(version=F("version") + 1)
    if claimed:
        report.version = version + 1
        return
    current = ProgressReport.objects.filter(pk=report.pk).values("status", "version").first()
    if current is None or current["version"] != version:
        raise ValidationError({"version": STALE_MESSAGE})
    raise ValidationError({"status": refused})


def _status_label(status: str | None) -> str:
    return ProgressReport.Status(status or "").label.lower()


@dataclass(frozen=True)
class SpendingEntry:
    funder_id: int | None
    amount: Decimal


@dataclass(frozen=True)
class ValueEntry:
    indicator_id: int
    value: Decimal
    comment: str = ""


def _validate_entries(
    action: Action, values: list[ValueEntry], spendings: list[SpendingEntry]
) -> None:
    errors: dict[str, str] = {}
    indicator_ids = set(action.indicators.values_list("pk", flat=True))
    seen_indicators: set[int] = set()
    for entry in values:
        key = f"value_{entry.indicator_id}"
        if entry.indicator_id not in indicator_ids:
            errors[key] = "Cet indicateur n'appartient pas à l'action."
        elif entry.value < 0:
            errors[key] = "La valeur ne peut pas être négative."
        elif entry.indicator_id in seen_indicators:
            errors[key] = "Une seule valeur par indicateur."
        seen_indicators.add(entry.indicator_id)
    funder_ids = _spending_funder_ids(action)
    seen: set[int | None] = set()
    for spending in spendings:
        key = f"spending_{spending.funder_id or 'none'}"
        if spending.funder_id is not None and spending.funder_id not in funder_ids:
            errors[key] = "Ce financeur ne figure pas au plan de financement de l'action."
        elif spending.amount < 0:
            errors[key] = "Le montant ne peut pas être négatif."
        elif spending.funder_id in seen:
            errors[key] = "Une seule dépense par financeur."
        seen.add(spending.funder_id)
    if errors:
        raise ValidationError(errors)


def _spending_funder_ids(action: Action) -> set[int]:
    """Spending may be attributed to the action's funders in the plan, CNSA and the porteur."""
    convention = action.axis.convention
    planned = action.funding_lines.values_list("funder_id", flat=True)
    return {*planned, convention.funder_id, convention.beneficiary_id}


@transaction.atomic
def progress_report_update(
    *,
    report: ProgressReport,
    by: User,
    version: int,
    narrative: str,
    values: list[ValueEntry],
    spendings: list[SpendingEntry],
) -> ProgressReport:
    """Replace what the report says; refused once submitted or approved, or if someone saved first."""
    _require_entry(by, report.action)
    limits.text_check(field="narrative", value=narrative, limit=limits.NARRATIVE_MAX_LENGTH)
    _validate_entries(report.action, values, spendings)
    _claim(
        report,
        version=version,
        statuses=EDITABLE,
        refused=f"Ce compte rendu est {_status_label(report.status)} : il ne peut plus être modifié.",
    )
    report.narrative = narrative
    set_history_user(report, by)
    report.save(update_fields=["narrative", "version", "updated_at"])
    _replace_values(report, values)
    _replace_spendings(report, spendings)
    return report


def _replace_values(report: ProgressReport, values: list[ValueEntry]) -> None:
    report.values.all().delete()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            report=report,
            indicator_id=e.indicator_id,
            value=round_money(e.value),
            comment=e.comment,
        )
        for e in values
    )


def _replace_spendings(report: ProgressReport, spendings: list[SpendingEntry]) -> None:
    report.spendings.all().delete()
    Spending.objects.bulk_create(
        Spending(report=report, funder_id=e.funder_id, amount=round_money(e.amount))
        for e in spendings
        if e.amount
    )


def _save_transition(report: ProgressReport, by: User, fields: list[str]) -> None:
    set_history_user(report, by)
    report.save(update_fields=[*fields, "status", "version", "updated_at"])


@transaction.atomic
def progress_report_submit(
    *, report: ProgressReport, by: User, comment: str = "", version: int | None = None
) -> ProgressReport:
    """draft | returned -> submitted; officers are told once the transaction commits."""
    _require_entry(by, report.action)
    if not report.narrative.strip():
        raise ValidationError(
            {"narrative": "Rédigez le bilan qualitatif avant de transmettre le compte rendu."}
        )
    _claim(
        report,
        version=report.version if version is None else version,
        statuses=EDITABLE,
        refused=f"Ce compte rendu est déjà {_status_label(report.status)} : il ne peut pas être transmis.",
    )
    report.status = ProgressReport.Status.SUBMITTED
    report.submitted_by, report.submitted_at = by, timezone.now()
    _save_transition(report, by, ["submitted_by", "submitted_at"])
    transaction.on_commit(lambda: notifications.report_submitted(report_id=report.pk))
    return report


@transaction.atomic
def progress_report_approve(
    *, report: ProgressReport, by: User, comment: str = ""
) -> ProgressReport:
    """submitted -> approved: the report is locked and its spending counts in the totals."""
    _require_review(by)
    return _review(report, by, outcome=ProgressReport.Status.APPROVED, comment=comment)


@transaction.atomic
def progress_report_return(*, report: ProgressReport, by: User, comment: str) -> ProgressReport:
    """submitted -> returned, with the reviewer's comment saying what to correct."""
    _require_review(by)
    if not (comment or "").strip():
        raise ValidationError(
            {
                "comment": "Dites au partenaire ce qu'il doit corriger : le commentaire est obligatoire."
            }
        )
    return _review(report, by, outcome=ProgressReport.Status.RETURNED, comment=comment)


REVIEW_VERBS: dict[str, str] = {
    ProgressReport.Status.APPROVED: "approuvé",
    ProgressReport.Status.RETURNED: "renvoyé",
}


def _review(report: ProgressReport, by: User, *, outcome: str, comment: str) -> ProgressReport:
    limits.text_check(field="comment", value=comment, limit=limits.LONG_TEXT_MAX_LENGTH)
    _claim(
        report,
        version=report.version,
        statuses=[ProgressReport.Status.SUBMITTED],
        refused=(
            f"Seul un compte rendu transmis peut être {REVIEW_VERBS[outcome]} "
            f"(celui-ci est {_status_label(report.status)})."
        ),
    )
    report.status = outcome
    report.review_comment = comment.strip()
    report.reviewed_by, report.reviewed_at = by, timezone.now()
    _save_transition(report, by, ["review_comment", "reviewed_by", "reviewed_at"])
    transaction.on_commit(lambda: notifications.report_reviewed(report_id=report.pk))
    return report


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
