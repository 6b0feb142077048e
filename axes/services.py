from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from axes.models import Axis
from conventions.models import Convention
from conventions.services import save_validated


def axis_validate(axis: Axis) -> None:
    if axis.convention_id and axis.convention.status == Convention.Status.CLOSED:
        raise ValidationError({"convention": "La convention est clôturée : ses axes sont figés."})


def axis_save(*, axis: Axis, by: User | None) -> Axis:
    return save_validated(axis, validator=axis_validate, by=by)


def axis_delete(*, axis: Axis, by: User | None) -> None:
    """An axis goes only while nothing has been reported under it: reports are the programme's record."""
    axis_validate(axis)
    if axis.actions.filter(progress_reports__isnull=False).exists():
        raise ValidationError(
            {"axis": "Des comptes rendus existent sous cet axe : il ne peut plus être supprimé."}
        )
    axis.delete()
