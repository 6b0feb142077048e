"""Conventions and their amendments (avenants), with the figures before and after."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from conventions.access import money_condition, restrict
from conventions.models.organisations import NON_NEGATIVE, Organisation
from conventions.validators import (
    validate_plausible_date,
)
from core.fields import money_field
from core.limits import LONG_TEXT_MAX_LENGTH, TextLengthValidator
from core.money import rate_percent


class ConventionQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """Funder members see all; a porteur its own; a lead organisation the conventions of its actions."""
        return restrict(self, user, convention_condition)

    def fully_visible_to(self, user) -> Self:
        """Conventions whose every part, money included, the user may read (not just the header).
        The rule is access.money_condition; access.sees_money applies it to one convention."""
        return restrict(self, user, money_condition)


def convention_condition(mine: frozenset[int]) -> Q:
    led = Convention.objects.filter(axes__actions__lead_organisation_id__in=mine).values("pk")
    return Q(beneficiary_id__in=mine) | Q(pk__in=led)


class Convention(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        SIGNED = "signed", "Signée"
        CLOSED = "closed", "Clôturée"

    reference = models.CharField("référence", max_length=64, unique=True)
    title = models.CharField("intitulé", max_length=300)
    funder = models.ForeignKey(
        Organisation,
        verbose_name="financeur",
        on_delete=models.PROTECT,
        related_name="funded_conventions",
    )
    beneficiary = models.ForeignKey(
        Organisation, verbose_name="porteur", on_delete=models.PROTECT, related_name="conventions"
    )
    start_date = models.DateField("début", validators=[validate_plausible_date])
    end_date = models.DateField("fin", validators=[validate_plausible_date])
    signature_date = models.DateField(
        "date de signature", null=True, blank=True, validators=[validate_plausible_date]
    )
    status = models.CharField("statut", max_length=16, choices=Status.choices, default=Status.DRAFT)
    total_cost = money_field("coût global", validators=NON_NEGATIVE)
    cnsa_amount = money_field("montant CNSA", validators=NON_NEGATIVE)
    rate_cap = models.DecimalField(
        "plafond du taux CNSA (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.00"))],
        help_text="Facultatif. Un taux au-dessus du plafond est signalé, pas refusé.",
    )
    final_report_approved_on = models.DateField(
        "bilan final approuvé le",
        null=True,
        blank=True,
        help_text="Le solde ne peut être versé qu'après l'approbation du bilan final.",
        validators=[validate_plausible_date],
    )
    objet = models.CharField(
        "objet (données essentielles)",
        max_length=256,
        blank=True,
        help_text="Objet publié dans les données essentielles (256 caractères au plus).",
    )
    is_illustrative = models.BooleanField(
        "répartitions illustratives",
        default=False,
        help_text="Cochée quand la répartition par axe ou par année n'est pas celle du texte signé.",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = ConventionQuerySet.as_manager()

    class Meta:
        verbose_name = "convention"
        verbose_name_plural = "conventions"
        ordering = ["-start_date", "reference"]
        # The API's orderings, each with its id tie-break (core.api.filters): a deep page is read
        # along an index, never sorted.
        indexes = [
            models.Index(fields=["-start_date", "reference"], name="convention_default_order_idx"),
            models.Index(
                fields=["status", "-start_date", "reference"], name="convention_status_order_idx"
            ),
            models.Index(fields=["reference", "id"], name="convention_reference_id_idx"),
            models.Index(fields=["start_date", "id"], name="convention_start_id_idx"),
            models.Index(fields=["end_date", "id"], name="convention_end_id_idx"),
            models.Index(fields=["total_cost", "id"], name="convention_cost_id_idx"),
            models.Index(fields=["cnsa_amount", "id"], name="convention_cnsa_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lte=models.F("end_date")),
                name="convention_period_ordered",
                violation_error_message="La date de fin de la convention doit suivre sa date de début.",
            ),
            models.CheckConstraint(
                condition=Q(total_cost__gte=0),
                name="convention_total_cost_gte_0",
                violation_error_message="Le coût global ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(cnsa_amount__gte=0),
                name="convention_cnsa_amount_gte_0",
                violation_error_message="Le montant CNSA ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(cnsa_amount__lte=models.F("total_cost")),
                name="convention_cnsa_within_total",
                violation_error_message="Le montant CNSA ne peut pas dépasser le coût global.",
            ),
            models.CheckConstraint(
                condition=Q(rate_cap__isnull=True) | Q(rate_cap__gte=0, rate_cap__lte=100),
                name="convention_rate_cap_percent",
                violation_error_message="Le plafond du taux de cofinancement doit être compris entre 0 et 100 %%.",
            ),
            models.CheckConstraint(
                condition=~Q(funder=models.F("beneficiary")),
                name="convention_funder_not_beneficiary",
                violation_error_message="Le financeur et le porteur doivent être deux organisations différentes.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.start_date > self.end_date:
            errors["end_date"] = "La fin de la convention doit suivre son début."
        if (
            self.total_cost is not None
            and self.cnsa_amount is not None
            and self.cnsa_amount > self.total_cost
        ):
            errors["cnsa_amount"] = "Le montant CNSA ne peut pas dépasser le coût global."
        if self.funder_id and self.beneficiary_id and self.funder_id == self.beneficiary_id:
            errors["beneficiary"] = "Le porteur doit être distinct du financeur."
        if errors:
            raise ValidationError(errors)

    @property
    def cnsa_rate(self) -> Decimal | None:
        return rate_percent(self.cnsa_amount, self.total_cost)

    @property
    def rate_above_cap(self) -> bool:
        rate = self.cnsa_rate
        return self.rate_cap is not None and rate is not None and rate > self.rate_cap

    @property
    def years(self) -> range:
        return range(self.start_date.year, self.end_date.year + 1)

    @property
    def balance_deadline(self) -> datetime.date:
        """The balance may be paid until the end of the year after the last budget year."""
        return datetime.date(self.end_date.year + 1, 12, 31)


class AmendmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        return self.filter(convention__in=Convention.objects.fully_visible_to(user))


class Amendment(models.Model):
    """An avenant: what it changed, with the figures before and after, so the original stays visible."""

    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.PROTECT, related_name="amendments"
    )
    number = models.PositiveSmallIntegerField("numéro")
    signed_on = models.DateField("signé le", validators=[validate_plausible_date])
    description = models.TextField(
        "objet de l'avenant",
        max_length=LONG_TEXT_MAX_LENGTH,
        validators=[TextLengthValidator(LONG_TEXT_MAX_LENGTH)],
    )
    previous_total_cost = money_field("coût global avant")
    previous_cnsa_amount = money_field("montant CNSA avant")
    previous_end_date = models.DateField("fin avant")
    new_total_cost = money_field("coût global après")
    new_cnsa_amount = money_field("montant CNSA après")
    new_end_date = models.DateField("fin après", validators=[validate_plausible_date])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saisi par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("saisi le", auto_now_add=True)

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        verbose_name = "avenant"
        verbose_name_plural = "avenants"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"],
                name="amendment_number_unique",
                violation_error_message="Ce numéro d'avenant existe déjà pour la convention.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="amendment_number_gte_1",
                violation_error_message="Le numéro de l'avenant commence à 1.",
            ),
            models.CheckConstraint(
                condition=Q(new_cnsa_amount__gte=0, new_total_cost__gte=0),
                name="amendment_amounts_gte_0",
                violation_error_message="Les montants de l'avenant ne peuvent pas être négatifs.",
            ),
        ]

    def __str__(self) -> str:
        return f"Avenant n° {self.number} — {self.convention.reference}"
