"""Actions, indicators and progress reports as files: the API's lists, « Mes actions » and the
review queue."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from actions.models import Action, ProgressReport
from core.exports import DATE, DATETIME, INTEGER, MONEY, NUMBER, Column
from core.money import ZERO

ACTION_COLUMNS = [
    Column("id", "Identifiant", INTEGER),
    Column("convention", "Convention (identifiant)", INTEGER),
    Column("axis", "Axe (identifiant)", INTEGER),
    Column("code", "Code"),
    Column("title", "Intitulé"),
    Column("description", "Description"),
    Column("means", "Moyens"),
    Column("lead_organisation", "Pilote (identifiant)", INTEGER),
    Column("start_date", "Début", DATE),
    Column("end_date", "Fin", DATE),
    Column("status", "Statut", display=lambda code: Action.Status(code).label),
]

INDICATOR_COLUMNS = [
    Column("id", "Identifiant", INTEGER),
    Column("action", "Action (identifiant)", INTEGER),
    Column("label", "Indicateur"),
    Column("unit", "Unité"),
    Column("baseline", "Valeur de départ", NUMBER),
    Column("target", "Cible", NUMBER),
    Column("position", "Ordre", INTEGER),
]


def yes_no(value: bool) -> str:
    return "oui" if value else "non"


MESSAGE_COLUMNS = [
    Column("id", "Identifiant", INTEGER),
    Column("action", "Action (identifiant)", INTEGER),
    Column("report", "Compte rendu (identifiant)", INTEGER),
    Column("author", "Auteur"),
    Column("from_cnsa", "De la CNSA", display=yes_no),
    Column("event", "Événement"),
    Column("internal", "Note interne CNSA", display=yes_no),
    Column("body", "Message"),
    Column("created_at", "Écrit le", DATETIME),
    Column("unread", "Non lu", display=yes_no),
]

REPORT_STATUS = Column("status", "Statut", display=lambda code: ProgressReport.Status(code).label)

PROGRESS_REPORT_COLUMNS = [
    Column("id", "Identifiant", INTEGER),
    Column("action", "Action (identifiant)", INTEGER),
    Column("convention", "Convention (identifiant)", INTEGER),
    Column("period_start", "Début de période", DATE),
    Column("period_end", "Fin de période", DATE),
    REPORT_STATUS,
    Column("spent", "Dépenses déclarées", MONEY),
    Column("narrative", "Récit"),
    Column("review_comment", "Commentaire de relecture"),
    Column("submitted_by", "Transmis par"),
    Column("submitted_at", "Transmis le", DATETIME),
    Column("reviewed_by", "Relu par"),
    Column("reviewed_at", "Relu le", DATETIME),
]


def progress_report_row(data: dict[str, Any]) -> dict[str, Any]:
    """A serialized report as a row: its spending lines summed."""
    spent = sum((Decimal(s["amount"]) for s in data.get("spendings") or []), ZERO)
    return {**data, "spent": spent}


MY_ACTION_COLUMNS = [
    Column("code", "Code"),
    Column("title", "Action"),
    Column("convention", "Convention"),
    Column("lead", "Pilote"),
    Column("status", "Statut", display=lambda code: Action.Status(code).label),
    Column("latest_start", "Dernier compte rendu : début", DATE),
    Column("latest_end", "Dernier compte rendu : fin", DATE),
    Column("latest_status", "Dernier compte rendu : statut", display=REPORT_STATUS.display),
    Column("next_due", "Prochaine échéance", DATE),
    Column("due_count", "Comptes rendus à transmettre", INTEGER),
    Column("overdue_count", "Dont en retard", INTEGER),
]


def my_action_row(row: Any) -> dict[str, Any]:
    """A row of `selectors.action_rows` (an action, its latest report, its due reports)."""
    action, latest = row.action, row.latest or {}
    due = sorted(d.due_on for d in row.due)
    return {
        "code": action.code,
        "title": action.title,
        "convention": action.axis.convention.reference,
        "lead": action.lead_organisation.name,
        "status": action.status,
        "latest_start": latest.get("period_start"),
        "latest_end": latest.get("period_end"),
        "latest_status": latest.get("status"),
        "next_due": due[0] if due else None,
        "due_count": len(row.due),
        "overdue_count": len(row.overdue),
    }


REVIEW_COLUMNS = [
    Column("submitted_at", "Transmis le", DATETIME),
    Column("action_code", "Code action"),
    Column("action", "Action"),
    Column("lead", "Pilote"),
    Column("convention", "Convention"),
    Column("period_start", "Début de période", DATE),
    Column("period_end", "Fin de période", DATE),
    Column("spent", "Dépenses déclarées", MONEY),
]


def review_row(report: Any) -> dict[str, Any]:
    """A report of `selectors.review_queue` (annotated with `spent`)."""
    action = report.action
    return {
        "submitted_at": report.submitted_at,
        "action_code": action.code,
        "action": action.title,
        "lead": action.lead_organisation.name,
        "convention": action.axis.convention.reference,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "spent": report.spent,
    }
