from __future__ import annotations

import uuid
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from conventions.models import Convention
from core.storage import private_storage


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """A report shows the whole convention: only those who see all of it (porteur, CNSA)."""
        return self.filter(convention__in=Convention.objects.fully_visible_to(user))

    def active(self) -> Self:
        return self.filter(status__in=Report.ACTIVE_STATUSES)


def _task_id() -> str:
    return str(uuid.uuid4())


class Report(models.Model):
    """One PDF report and the background job that produces it."""

    # Set on the instance by the request that created the job when the broker refused it.
    broker_down: bool = False

    class Kind(models.TextChoices):
        INTERIM = "interim", "Bilan d'étape"
        ANNUAL = "annual", "Rapport annuel"
        FINAL = "final", "Bilan final"

    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En cours de génération"
        DONE = "done", "Prêt"
        FAILED = "failed", "Échec"

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField("type", max_length=16, choices=Kind.choices)
    period_start = models.DateField("début de période")
    period_end = models.DateField("fin de période")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "statut", max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(
        "fichier PDF", upload_to="reports/%Y/%m/", blank=True, storage=private_storage
    )
    error = models.TextField("erreur", blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    task_id = models.CharField("tâche Celery", max_length=64, default=_task_id, editable=False)
    # Changed by every claim: only the latest claimer may mark the report done.
    claim = models.UUIDField("jeton de prise en charge", null=True, blank=True, editable=False)
    queued_at = models.DateTimeField("demandé le", auto_now_add=True)
    enqueued_at = models.DateTimeField(
        "transmis au service de génération le",
        null=True,
        blank=True,
        help_text="Vide tant que la file de travaux (Redis) n'a pas accepté la demande.",
    )
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "rapport"
        verbose_name_plural = "rapports"
        ordering = ["-queued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "kind", "period_start", "period_end"],
                condition=Q(status__in=["queued", "running"]),
                name="report_one_active_per_period",
                violation_error_message="Ce rapport est déjà en cours de préparation.",
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="report_period_ordered",
                violation_error_message="La fin de la période du rapport doit suivre son début.",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} — {self.convention.reference} — "
            f"{self.period_start:%d/%m/%Y} au {self.period_end:%d/%m/%Y}"
        )

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
