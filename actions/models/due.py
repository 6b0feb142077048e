"""The earliest report an action still owes, kept so that lateness is read, not recomputed."""

from __future__ import annotations

from django.db import models

from actions.models.actions import Action


class ActionDue(models.Model):
    """The due date of the earliest deadline the action owes and has not covered with a
    transmitted report (null: it owes nothing open). The action is late once that date has passed,
    so "late across the country" is an index range, not a walk over every action and report.

    Kept by actions.services_due in the transaction of every write that can move it (reports,
    actions, deadlines, a convention's dates), rebuilt and checked by `manage.py rebuild_due`.
    Never edited by hand."""

    action = models.OneToOneField(
        Action,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="due",
        verbose_name="action",
    )
    first_open_due_on = models.DateField("premier compte rendu attendu le", null=True)

    class Meta:
        verbose_name = "échéance ouverte d'une action"
        verbose_name_plural = "échéances ouvertes des actions"
        indexes = [models.Index(fields=["first_open_due_on", "action"], name="action_due_open_idx")]

    def __str__(self) -> str:
        return f"{self.action_id} — {self.first_open_due_on or 'rien d’attendu'}"
