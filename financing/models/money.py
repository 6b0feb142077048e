"""Funding lines (each funder's amount per action and year), CNSA payments, open-data publications."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from actions.models import Action, visible_through_action
from conventions.models import NON_NEGATIVE, Convention, Organisation
from conventions.validators import validate_plausible_date
from core.fields import money_field


class FundingLineQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        return visible_through_action(self, user, "action__")


class FundingLine(models.Model):
    """One funder's amount for one action and one budget year."""

    action = models.ForeignKey(
        Action, verbose_name="action", on_delete=models.PROTECT, related_name="funding_lines"
    )
    funder = models.ForeignKey(
        Organisation,
        verbose_name="financeur",
        on_delete=models.PROTECT,
        related_name="funding_lines",
    )
    year = models.PositiveSmallIntegerField("année")
    amount = money_field("montant", validators=NON_NEGATIVE)
    history = HistoricalRecords()

    objects = FundingLineQuerySet.as_manager()

    class Meta:
        verbose_name = "ligne de financement"
        verbose_name_plural = "lignes de financement"
        ordering = ["action", "year", "funder"]
        # The API's orderings, each with its id tie-break (core.api.filters).
        indexes = [
            models.Index(fields=["year", "id"], name="funding_line_year_id_idx"),
            models.Index(fields=["amount", "id"], name="funding_line_amount_id_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "funder", "year"],
                name="funding_line_unique_action_funder_year",
                violation_error_message="Une ligne existe déjà pour cette action, ce financeur et cette année.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="funding_line_amount_gte_0",
                violation_error_message="Le montant d'une ligne de financement ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2199),
                name="funding_line_year_plausible",
                violation_error_message="L'année d'une ligne de financement doit être comprise entre 1990 et 2199.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.code} — {self.funder} — {self.year}"


class PaymentQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        return self.filter(convention__in=Convention.objects.fully_visible_to(user))


class Payment(models.Model):
    class Kind(models.TextChoices):
        ADVANCE = "advance", "Avance"
        INSTALMENT = "instalment", "Acompte"
        BALANCE = "balance", "Solde"
        RECLAIM = "reclaim", "Reversement"

    class Status(models.TextChoices):
        PLANNED = "planned", "Prévu"
        PAID = "paid", "Versé"
        CANCELLED = "cancelled", "Annulé"

    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField("nature", max_length=16, choices=Kind.choices)
    amount = money_field(
        "montant",
        validators=NON_NEGATIVE,
        help_text="Toujours positif ; un reversement vient en déduction des versements.",
    )
    due_date = models.DateField(
        "échéance", null=True, blank=True, validators=[validate_plausible_date]
    )
    paid_on = models.DateField(
        "versé le", null=True, blank=True, validators=[validate_plausible_date]
    )
    status = models.CharField(
        "statut", max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    reference = models.CharField("référence comptable", max_length=64, blank=True)
    note = models.CharField("observation", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saisi par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = "versement"
        verbose_name_plural = "versements"
        ordering = ["convention", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="payment_amount_gt_0",
                violation_error_message="Le montant d'un versement doit être strictement positif.",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_on__isnull=False),
                name="payment_paid_has_date",
                violation_error_message="Un versement effectué doit avoir sa date de versement.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.convention.reference}"

    @property
    def signed_amount(self):
        return -self.amount if self.kind == self.Kind.RECLAIM else self.amount


class Publication(models.Model):
    """A public open-data file as last published: served as it is, regenerated by the services."""

    name = models.CharField("fichier", max_length=64, unique=True)
    content = models.TextField("contenu")
    published_at = models.DateTimeField("publié le")
    row_count = models.PositiveIntegerField("lignes publiées", default=0)
    refused = models.JSONField(
        "conventions non publiées",
        default=list,
        blank=True,
        help_text="Référence et motif de chaque convention écartée faute d'identifiant valide.",
    )

    class Meta:
        verbose_name = "publication de données ouvertes"
        verbose_name_plural = "publications de données ouvertes"

    def __str__(self) -> str:
        return self.name
