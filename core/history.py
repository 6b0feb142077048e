"""django-simple-history: who made a change is passed on the instance before it is saved."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Model

HISTORY_USER = "_history_user"  # the attribute HistoricalRecords reads


def set_history_user(instance: Model, by: User | None) -> None:
    setattr(instance, HISTORY_USER, by)
