from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from axes.models import Axis
from conventions.models import Convention


def axis_validate(axis: Axis) -> None:
    if axis.convention_id and axis.convention.status == Convention.Status.CLOSED:
        raise ValidationError({"convention": "La convention est clôturée : ses axes sont figés."})


def axis_save(*, axis: Axis, by: User | None) -> Axis:
    axis.full_clean()
    axis_validate(axis)
    axis.save()
    return axis
