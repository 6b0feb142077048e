"""Correcting an approved report: an officer reopens it with a reason. The reopening keeps who,
when, why and the figures as approved; the report goes back to the partner (returned), so its
spending stops counting in the totals (the database triggers recompute them) until approved again."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from actions import notifications
from actions.models import Message, ProgressReport, ReportReopening
from actions.services_progress import _claim, _require_review, _save_transition, _status_label
from actions.services_threads import message_record
from conventions.models import Convention
from core import limits
from core.money import ZERO

REASON_REQUIRED = (
    "Dites au partenaire pourquoi le compte rendu est rouvert : le motif est obligatoire."
)


def report_figures(report: ProgressReport) -> dict:
    """What the report says, as plain JSON (amounts as exact decimal strings)."""
    values = report.values.select_related("indicator").order_by("indicator__position", "pk")
    spendings = list(report.spendings.select_related("funder").order_by("funder__name", "pk"))
    return {
        "status": report.status,
        "narrative": report.narrative,
        "review_comment": report.review_comment,
        "reviewed_by": report.reviewed_by.username if report.reviewed_by else None,
        "reviewed_at": report.reviewed_at.isoformat() if report.reviewed_at else None,
        "values": [
            {
                "indicator": v.indicator_id,
                "label": v.indicator.label,
                "value": str(v.value),
                "comment": v.comment,
            }
            for v in values
        ],
        "spendings": [
            {
                "funder": s.funder_id,
                "funder_name": str(s.funder) if s.funder else "Non ventilé",
                "amount": str(s.amount),
            }
            for s in spendings
        ],
        "total_spent": str(sum((s.amount for s in spendings), ZERO)),
    }


@transaction.atomic
def progress_report_reopen(
    *, report: ProgressReport, by: User, reason: str, version: int | None = None
) -> ReportReopening:
    """approved -> returned, traced; the partner is told why."""
    _require_review(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    limits.text_check(field="reason", value=reason, limit=limits.LONG_TEXT_MAX_LENGTH)
    if report.action.axis.convention.status == Convention.Status.CLOSED:
        raise ValidationError(
            {"status": "La convention est clôturée : ses comptes rendus ne se rouvrent plus."}
        )
    locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
    figures = report_figures(locked)
    _claim(
        report,
        version=report.version if version is None else version,
        statuses=[ProgressReport.Status.APPROVED],
        refused=(
            "Seul un compte rendu approuvé peut être rouvert "
            f"(celui-ci est {_status_label(locked.status)})."
        ),
    )
    report.status = ProgressReport.Status.RETURNED
    report.review_comment = reason
    _save_transition(report, by, ["review_comment"])
    reopening = ReportReopening.objects.create(
        report=report, reopened_by=by, reason=reason, figures_before=figures
    )
    message_record(report=report, by=by, body=reason, event=Message.Event.REOPENING)
    notifications.report_reopened(report=report, reason=reason)
    return reopening
