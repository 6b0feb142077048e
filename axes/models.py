from __future__ import annotations

from typing import Self

from django.db import models
from django.db.models import Q

from conventions.access import restrict
from conventions.models import Convention
from core.limits import LONG_TEXT_MAX_LENGTH, TextLengthValidator


class AxisQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """The whole convention's axes for its porteur; for a lead organisation, the axes of its actions."""
        return restrict(self, user, _axis_condition)


def _axis_condition(mine: frozenset[int]) -> Q:
    led = Axis.objects.filter(actions__lead_organisation_id__in=mine).values("pk")
    return Q(convention__beneficiary_id__in=mine) | Q(pk__in=led)


class Axis(models.Model):
    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="axes"
    )
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("intitulé", max_length=300)
    objective = models.TextField(
        "objectif",
        blank=True,
        max_length=LONG_TEXT_MAX_LENGTH,
        validators=[TextLengthValidator(LONG_TEXT_MAX_LENGTH)],
    )

    objects = AxisQuerySet.as_manager()

    class Meta:
        verbose_name = "axe"
        verbose_name_plural = "axes"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"],
                name="axis_number_unique",
                violation_error_message="Ce numéro d'axe existe déjà dans la convention.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="axis_number_gte_1",
                violation_error_message="Le numéro de l'axe commence à 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"Axe {self.number} : {self.title}"
