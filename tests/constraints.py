"""Database constraints, tried one by one: the model's own validation refuses the change with the
constraint's French message (what admin, API and pages show), and the database refuses the same
change written past Django (a raw UPDATE), so no door can store it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction


@dataclass(frozen=True)
class Case:
    """`make()` builds valid rows and returns one of them with the changes that break `name`."""

    name: str
    make: Callable[[], tuple[models.Model, dict[str, Any]]]

    def __str__(self) -> str:
        return self.name


def constraint_names(app_label: str) -> set[str]:
    return {
        constraint.name
        for model in apps.get_app_config(app_label).get_models()
        for constraint in model._meta.constraints
    }


def constraint_of(obj: models.Model, name: str) -> models.BaseConstraint:
    return next(c for c in obj._meta.constraints if c.name == name)


def check_refused(case: Case) -> None:
    obj, changes = case.make()
    constraint = constraint_of(obj, case.name)
    message = constraint.get_violation_error_message()
    assert case.name not in message, "a constraint's message must not show its technical name"

    for field, value in changes.items():
        setattr(obj, field, value)
    with pytest.raises(ValidationError) as refused:
        obj.validate_constraints()
    assert message in refused.value.messages

    with pytest.raises(IntegrityError), transaction.atomic():
        type(obj)._base_manager.filter(pk=obj.pk).update(**changes)
