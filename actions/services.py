"""Writes with a business rule on actions and indicators."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from actions.models import (
    Action,
    Indicator,
)
from conventions.models import Convention, Organisation
from conventions.services import save_validated
from core.history import set_history_user


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


ACTION_REPORTED = (
    "Cette action a des comptes rendus : elle ne peut plus être supprimée ; "
    "passez-la au statut « Abandonnée »."
)
ACTION_LINES_FIRST = (
    "Cette action a des lignes de financement : supprimez-les d'abord, une par une."
)


def action_validate_delete(action: Action) -> None:
    action_validate(action)
    if action.progress_reports.exists():
        raise ValidationError({"action": ACTION_REPORTED})
    if action.funding_lines.exists():
        raise ValidationError({"action": ACTION_LINES_FIRST})


def action_delete(*, action: Action, by: User | None) -> None:
    """Its indicators go with it (no value declared, or it would have reports); money never does."""
    action_validate_delete(action)
    set_history_user(action, by)
    action.delete()


def indicator_validate_delete(indicator: Indicator) -> None:
    action_validate(indicator.action)
    if indicator.values.exists():
        raise ValidationError(
            {
                "indicator": (
                    "Des valeurs ont été déclarées pour cet indicateur : il ne peut plus être supprimé."
                )
            }
        )


def indicator_delete(*, indicator: Indicator, by: User | None) -> None:
    indicator_validate_delete(indicator)
    indicator.delete()


# Progress reports and their attachments live in their own modules; the names stay importable here.
from actions.services_attachments import (  # noqa: E402
    ALLOWED_TYPES,
    MAX_ATTACHMENT_BYTES,
    REFUSED_TYPE,
    attachment_add,
    attachment_delete,
    attachment_detect,
)
from actions.services_progress import (  # noqa: E402
    EDITABLE,
    ENTRY_ROLES,
    REVIEW_VERBS,
    STALE_MESSAGE,
    SpendingEntry,
    ValueEntry,
    can_enter_progress,
    can_review,
    progress_report_approve,
    progress_report_create,
    progress_report_return,
    progress_report_submit,
    progress_report_update,
    progress_report_validate_period,
)
from actions.services_reopening import progress_report_reopen  # noqa: E402
from actions.services_threads import (  # noqa: E402
    can_post,
    can_write_notes,
    message_attach,
    message_post,
    thread_mark_read,
)

__all__ = [
    "ACTION_LINES_FIRST",
    "ACTION_REPORTED",
    "ALLOWED_TYPES",
    "EDITABLE",
    "ENTRY_ROLES",
    "MAX_ATTACHMENT_BYTES",
    "REFUSED_TYPE",
    "REVIEW_VERBS",
    "STALE_MESSAGE",
    "SpendingEntry",
    "ValueEntry",
    "action_delete",
    "action_save",
    "action_validate",
    "action_validate_delete",
    "attachment_add",
    "attachment_delete",
    "attachment_detect",
    "can_enter_progress",
    "can_post",
    "can_write_notes",
    "can_review",
    "indicator_delete",
    "indicator_save",
    "indicator_validate",
    "indicator_validate_delete",
    "message_attach",
    "message_post",
    "progress_report_approve",
    "progress_report_create",
    "progress_report_reopen",
    "progress_report_return",
    "progress_report_submit",
    "progress_report_update",
    "progress_report_validate_period",
    "thread_mark_read",
]
