"""The reporting calendar of a convention: its terms, and the reports due under them."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from conventions.models import Convention
from conventions.validators import validate_plausible_date


class ReportingTerms(models.Model):
    """How the calendar is generated: the delays the agreement gives after each period."""

    convention = models.OneToOneField(
        Convention,
        verbose_name="convention",
        on_delete=models.CASCADE,
        related_name="reporting_terms",
    )
    annual_delay_months = models.PositiveSmallIntegerField(
        "délai du compte rendu annuel (mois)",
        default=6,
        help_text="Nombre de mois après la fin de chaque année (6 dans les conventions signées).",
    )
    final_delay_months = models.PositiveSmallIntegerField(
        "délai du bilan final (mois)",
        default=6,
        help_text="Nombre de mois après la fin de la convention.",
    )
    generated_start = models.DateField("période calculée : début", null=True, blank=True)
    generated_end = models.DateField("période calculée : fin", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modifié par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "modalités de compte rendu"
        verbose_name_plural = "modalités de compte rendu"
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_delay_months__gte=1, annual_delay_months__lte=24),
                name="reporting_terms_annual_delay_range",
                violation_error_message="Le délai du compte rendu annuel est compris entre 1 et 24 mois.",
            ),
            models.CheckConstraint(
                condition=Q(final_delay_months__gte=1, final_delay_months__lte=24),
                name="reporting_terms_final_delay_range",
                violation_error_message="Le délai du bilan final est compris entre 1 et 24 mois.",
            ),
        ]

    def __str__(self) -> str:
        return f"Modalités de compte rendu — {self.convention.reference}"


class ReportDeadlineQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """Whoever sees the convention sees its calendar (a union: the dates its actions owe)."""
        return self.filter(convention__in=Convention.objects.visible_to(user))

    def active(self) -> Self:
        return self.filter(withdrawn_at__isnull=True)


class ReportDeadline(models.Model):
    """One report due under a convention: every action running in its period owes it."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", "Compte rendu annuel"
        INTERIM = "interim", "Bilan d'étape"
        FINAL = "final", "Bilan final"

    class Origin(models.TextChoices):
        GENERATED = "generated", "Calculée d'après la convention"
        EDITED = "edited", "Date modifiée par la CNSA"
        MANUAL = "manual", "Ajoutée par la CNSA"

    convention = models.ForeignKey(
        Convention,
        verbose_name="convention",
        on_delete=models.CASCADE,
        related_name="report_deadlines",
    )
    kind = models.CharField("nature", max_length=16, choices=Kind.choices)
    period_start = models.DateField("début de la période", validators=[validate_plausible_date])
    period_end = models.DateField("fin de la période", validators=[validate_plausible_date])
    due_on = models.DateField("échéance", validators=[validate_plausible_date])
    origin = models.CharField(
        "origine", max_length=16, choices=Origin.choices, default=Origin.GENERATED
    )
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    withdrawn_reason = models.CharField("motif du retrait", max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modifiée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ReportDeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = "échéance de compte rendu"
        verbose_name_plural = "échéances de compte rendu"
        ordering = ["convention", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="report_deadline_period_ordered",
                violation_error_message="La fin de la période couverte doit suivre son début.",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("period_end")),
                name="report_deadline_after_period",
                violation_error_message="L'échéance ne peut précéder la fin de la période couverte.",
            ),
            models.UniqueConstraint(
                fields=["convention", "kind", "period_end"],
                condition=Q(withdrawn_at__isnull=True),
                name="report_deadline_unique_active",
                violation_error_message="Cette échéance figure déjà au calendrier de la convention.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — échéance {self.due_on:%d/%m/%Y}"

    @property
    def title(self) -> str:
        return deadline_title(self.kind, self.period_start, self.period_end)


def deadline_title(kind: str, period_start, period_end) -> str:
    if kind == ReportDeadline.Kind.ANNUAL:
        return f"Compte rendu {period_end.year}"
    if kind == ReportDeadline.Kind.INTERIM:
        return f"Bilan d'étape au {period_end:%d/%m/%Y}"
    return "Bilan final"
