from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from axes.models import Axis
from conventions.models import Convention
from conventions.services import save_validated
from core.history import set_history_user


def axis_validate(axis: Axis) -> None:
    if axis.convention_id and axis.convention.status == Convention.Status.CLOSED:
        raise ValidationError({"convention": "La convention est clôturée : ses axes sont figés."})


def axis_save(*, axis: Axis, by: User | None) -> Axis:
    return save_validated(axis, validator=axis_validate, by=by)


AXIS_ACTIONS_FIRST = (
    "Cet axe a des actions : supprimez-les d'abord (une action qui a des comptes rendus passe au "
    "statut « Abandonnée »)."
)


def axis_validate_delete(axis: Axis) -> None:
    """An axis goes only while nothing hangs below it: its actions carry the money and the reports."""
    axis_validate(axis)
    if axis.actions.filter(progress_reports__isnull=False).exists():
        raise ValidationError(
            {"axis": "Des comptes rendus existent sous cet axe : il ne peut plus être supprimé."}
        )
    if axis.actions.exists():
        raise ValidationError({"axis": AXIS_ACTIONS_FIRST})


def axis_delete(*, axis: Axis, by: User | None) -> None:
    axis_validate_delete(axis)
    set_history_user(axis, by)
    axis.delete()
