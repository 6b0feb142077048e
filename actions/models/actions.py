"""Actions (fiches actions) and their indicators; who sees them."""

from __future__ import annotations

from decimal import Decimal
from typing import Self

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from axes.models import Axis
from conventions.access import QS, scope_for
from conventions.models import Organisation
from conventions.validators import validate_plausible_date
from core.fields import money_field
from core.limits import LONG_TEXT_MAX_LENGTH, TextLengthValidator


def _action_scope(user, prefix: str = "") -> Q | None:
    """Q for the actions a user may see (None: everything; Q(pk__in=[]) style: nothing)."""
    scope = scope_for(user)
    if scope.is_global:
        return None
    if not scope.authenticated:
        return Q(pk__in=[])
    led = Q(**{f"{prefix}lead_organisation_id__in": scope.org_ids})
    if not scope.porteur_ids:  # a union that carries no convention: its own leads, on an index
        return led
    return Q(**{f"{prefix}axis__convention__beneficiary_id__in": scope.porteur_ids}) | led


def visible_through_action(queryset: QS, user, prefix: str) -> QS:
    """Filter rows that hang off an action (prefix like 'action__') by the action's visibility."""
    condition = _action_scope(user, prefix)
    if condition is None:
        return queryset.all()
    if not scope_for(user).authenticated:
        return queryset.none()
    return queryset.filter(condition)


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        return visible_through_action(self, user, "")


class Action(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Prévue"
        IN_PROGRESS = "in_progress", "En cours"
        DONE = "done", "Réalisée"
        CANCELLED = "cancelled", "Abandonnée"

    axis = models.ForeignKey(
        Axis, verbose_name="axe", on_delete=models.PROTECT, related_name="actions"
    )
    code = models.CharField(
        "code", max_length=20, help_text="Numéro de la fiche action (ex. : 1.1, 6.3)."
    )
    title = models.CharField("intitulé", max_length=300)
    description = models.TextField(
        "description",
        blank=True,
        max_length=LONG_TEXT_MAX_LENGTH,
        validators=[TextLengthValidator(LONG_TEXT_MAX_LENGTH)],
    )
    means = models.CharField(
        "moyens financés", max_length=300, blank=True, help_text="Ex. : 8 jours d'accompagnement."
    )
    lead_organisation = models.ForeignKey(
        Organisation, verbose_name="pilote", on_delete=models.PROTECT, related_name="led_actions"
    )
    start_date = models.DateField("début", validators=[validate_plausible_date])
    end_date = models.DateField("fin", validators=[validate_plausible_date])
    status = models.CharField(
        "statut", max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "actions"
        ordering = ["axis__convention", "axis__number", "code"]
        # The API's orderings, each with its id tie-break (core.api.filters).
        indexes = [
            models.Index(fields=["code", "id"], name="action_code_id_idx"),
            models.Index(fields=["start_date", "id"], name="action_start_id_idx"),
            models.Index(fields=["end_date", "id"], name="action_end_id_idx"),
            models.Index(fields=["status", "id"], name="action_status_id_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["axis", "code"],
                name="action_code_unique_in_axis",
                violation_error_message="Ce code d'action existe déjà dans cet axe.",
            ),
            models.CheckConstraint(
                condition=Q(start_date__lte=models.F("end_date")),
                name="action_period_ordered",
                violation_error_message="La date de fin de l'action doit suivre sa date de début.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        return visible_through_action(self, user, "action__")


class Indicator(models.Model):
    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.CASCADE, related_name="indicators"
    )
    label = models.CharField("libellé", max_length=300)
    unit = models.CharField(
        "unité", max_length=60, help_text="Ex. : jours, unions départementales, %."
    )
    baseline = money_field("valeur de départ", default=Decimal("0.00"))
    target = money_field("cible")
    position = models.PositiveSmallIntegerField("ordre", default=1)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        ordering = ["action", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.label} ({self.unit})"
