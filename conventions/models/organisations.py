"""Organisations (funders, porteurs, unions) and the memberships that give people their roles."""

from __future__ import annotations

from decimal import Decimal
from typing import Self

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from conventions.access import restrict
from conventions.validators import (
    validate_departement_code,
    validate_rna,
    validate_siret,
)

NON_NEGATIVE = [MinValueValidator(Decimal("0.00"), message="Le montant ne peut pas être négatif.")]


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        return restrict(self, user, _related_organisations)


def _related_organisations(mine: frozenset[int]) -> Q:
    """Own organisations and those met through visible conventions, actions and funding lines.
    One subquery per path (not one join over all of them) so no path multiplies the others; reverse
    lookups rather than imports, since the apps to the right must not be imported here."""
    # Conventions point at organisations: they are imported when the rule runs, not at load time.
    from conventions.models.conventions import Convention, convention_condition

    conventions = Convention.objects.filter(convention_condition(mine))
    organisations = Organisation.objects
    return (
        Q(pk__in=mine)
        | Q(pk__in=conventions.values("beneficiary_id"))
        | Q(pk__in=conventions.values("funder_id"))
        | Q(
            pk__in=organisations.filter(
                led_actions__axis__convention__beneficiary_id__in=mine
            ).values("pk")
        )
        | Q(
            pk__in=organisations.filter(
                funding_lines__action__axis__convention__beneficiary_id__in=mine
            ).values("pk")
        )
        | Q(
            pk__in=organisations.filter(
                funding_lines__action__lead_organisation_id__in=mine
            ).values("pk")
        )
    )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        FUNDER = "funder", "Financeur (CNSA)"
        NATIONAL_UNION = "national_union", "Union nationale"
        DEPARTMENTAL_UNION = "departmental_union", "Union départementale"
        DEPARTEMENT = "departement", "Département"
        METROPOLE = "metropole", "Métropole"
        COFUNDER = "cofunder", "Cofinanceur (ARS, CARSAT…)"
        OTHER = "other", "Autre"

    name = models.CharField("nom", max_length=200, unique=True)
    short_name = models.CharField("sigle", max_length=40, blank=True)
    kind = models.CharField("type", max_length=32, choices=Kind.choices)
    siret = models.CharField(
        "SIRET",
        max_length=14,
        blank=True,
        validators=[validate_siret],
        help_text="14 chiffres, clé de contrôle vérifiée.",
    )
    rna = models.CharField("RNA", max_length=10, blank=True, validators=[validate_rna])
    departement_code = models.CharField(
        "département",
        max_length=3,
        blank=True,
        validators=[validate_departement_code],
        help_text="Code du département (ex. : 69, 2A, 974).",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="organisation mère",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    email = models.EmailField("courriel de contact", blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=~Q(siret=""),
                name="organisation_siret_unique",
                violation_error_message="Une organisation porte déjà ce SIRET.",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        return restrict(self, user, lambda mine: Q(organisation_id__in=mine))


class Membership(models.Model):
    class Role(models.TextChoices):
        OFFICER = "officer", "Chargé de mission CNSA"
        COORDINATOR = "coordinator", "Coordinateur (porteur)"
        CONTRIBUTOR = "contributor", "Contributeur (union départementale)"
        READER = "reader", "Lecteur"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField("rôle", max_length=16, choices=Role.choices)
    is_active = models.BooleanField("active", default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "appartenance"
        verbose_name_plural = "appartenances"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="membership_unique",
                violation_error_message="Cette personne appartient déjà à cette organisation.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"
