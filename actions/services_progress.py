"""Progress reports: entry with a version check, and the review workflow (one function per move)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from actions import notifications
from actions.models import Action, IndicatorValue, Message, ProgressReport, Spending
from actions.services_notifications import reminders_cancel
from actions.services_threads import message_record
from conventions.access import CONTRIBUTOR, COORDINATOR, scope_for
from conventions.models import Convention
from core import limits
from core.history import set_history_user
from core.money import round_money

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
    notifications.report_submitted(report=report)
    reminders_cancel(
        action=report.action, period_start=report.period_start, period_end=report.period_end
    )
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


REVIEW_EVENTS: dict[str, str] = {
    ProgressReport.Status.APPROVED: Message.Event.APPROVAL,
    ProgressReport.Status.RETURNED: Message.Event.RETURN,
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
    if report.review_comment:
        event = REVIEW_EVENTS[outcome]
        message_record(report=report, by=by, body=report.review_comment, event=event)
    notifications.report_reviewed(report=report)
    return report
