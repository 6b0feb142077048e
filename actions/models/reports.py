"""Progress reports: what a lead organisation reports on one action for one period."""

from __future__ import annotations

from decimal import Decimal
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.models.actions import Action, Indicator, visible_through_action
from conventions.models import NON_NEGATIVE, Organisation
from conventions.validators import validate_plausible_date
from core.fields import money_field
from core.limits import LONG_TEXT_MAX_LENGTH, NARRATIVE_MAX_LENGTH, TextLengthValidator
from core.storage import private_storage


class ProgressReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        return visible_through_action(self, user, "action__")


class ProgressReport(models.Model):
    """What a lead organisation reports on one action for one period."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        SUBMITTED = "submitted", "Transmis"
        APPROVED = "approved", "Approuvé"
        RETURNED = "returned", "Renvoyé pour correction"

    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.PROTECT, related_name="progress_reports"
    )
    period_start = models.DateField("début de période", validators=[validate_plausible_date])
    period_end = models.DateField("fin de période", validators=[validate_plausible_date])
    status = models.CharField("statut", max_length=16, choices=Status.choices, default=Status.DRAFT)
    narrative = models.TextField(
        "bilan qualitatif",
        blank=True,
        max_length=NARRATIVE_MAX_LENGTH,
        validators=[TextLengthValidator(NARRATIVE_MAX_LENGTH)],
    )
    review_comment = models.TextField(
        "commentaire du relecteur",
        blank=True,
        max_length=LONG_TEXT_MAX_LENGTH,
        validators=[TextLengthValidator(LONG_TEXT_MAX_LENGTH)],
    )
    version = models.PositiveIntegerField("version", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="transmis par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("transmis le", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="relu par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("relu le", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = "compte rendu d'avancement"
        verbose_name_plural = "comptes rendus d'avancement"
        ordering = ["action", "period_start"]
        # The API's orderings, each with its id tie-break (core.api.filters).
        indexes = [
            models.Index(fields=["period_start", "id"], name="report_period_start_id_idx"),
            models.Index(fields=["submitted_at", "id"], name="report_submitted_id_idx"),
            models.Index(fields=["status", "submitted_at", "id"], name="report_status_queue_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "period_start", "period_end"],
                name="progress_report_unique_period",
                violation_error_message="Un compte rendu existe déjà pour cette période de l'action.",
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="progress_report_period_ordered",
                violation_error_message="La fin de la période du compte rendu doit suivre son début.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.code} — {self.period_start:%d/%m/%Y} au {self.period_end:%d/%m/%Y}"


class IndicatorValue(models.Model):
    report = models.ForeignKey(
        ProgressReport, verbose_name="compte rendu", on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="indicateur", on_delete=models.CASCADE, related_name="values"
    )
    value = money_field("valeur atteinte")
    comment = models.CharField("commentaire", max_length=500, blank=True)

    class Meta:
        verbose_name = "valeur d'indicateur"
        verbose_name_plural = "valeurs d'indicateurs"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"],
                name="indicator_value_unique",
                violation_error_message="Une seule valeur par indicateur dans un compte rendu.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.label} : {self.value}"


class Spending(models.Model):
    report = models.ForeignKey(
        ProgressReport,
        verbose_name="compte rendu",
        on_delete=models.PROTECT,
        related_name="spendings",
    )
    funder = models.ForeignKey(
        Organisation,
        verbose_name="financeur",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spendings",
        help_text="Laisser vide quand la dépense n'est pas ventilée.",
    )
    amount = money_field("montant dépensé", validators=NON_NEGATIVE)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "dépense"
        verbose_name_plural = "dépenses"
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="spending_amount_gte_0",
                violation_error_message="Une dépense ne peut pas être négative.",
            ),
            models.UniqueConstraint(
                fields=["report", "funder"],
                name="spending_unique_funder",
                violation_error_message="Une seule dépense par financeur dans un compte rendu.",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder or 'Non ventilé'} : {self.amount}"


class Attachment(models.Model):
    report = models.ForeignKey(
        ProgressReport,
        verbose_name="compte rendu",
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField("fichier", upload_to="attachments/%Y/%m/", storage=private_storage)
    original_name = models.CharField("nom d'origine", max_length=255)
    content_type = models.CharField("type", max_length=100)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ReportReopening(models.Model):
    """An approved report reopened by an officer: who, when, why, and what it said before."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name="compte rendu",
        on_delete=models.PROTECT,
        related_name="reopenings",
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="rouvert par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopened_at = models.DateTimeField("rouvert le", default=timezone.now)
    reason = models.TextField(
        "motif",
        max_length=LONG_TEXT_MAX_LENGTH,
        validators=[TextLengthValidator(LONG_TEXT_MAX_LENGTH)],
    )
    figures_before = models.JSONField(
        "chiffres avant réouverture",
        help_text="Bilan, valeurs des indicateurs, dépenses et relecture tels qu'approuvés.",
    )

    class Meta:
        verbose_name = "réouverture d'un compte rendu"
        verbose_name_plural = "réouvertures de comptes rendus"
        ordering = ["reopened_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="report_reopening_reason_required",
                violation_error_message="Le motif de la réouverture est obligatoire.",
            )
        ]

    def __str__(self) -> str:
        return f"Réouverture du {self.reopened_at:%d/%m/%Y} — {self.report}"

    @property
    def spent_before(self) -> Decimal:
        return Decimal(self.figures_before.get("total_spent") or "0")
