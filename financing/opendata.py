"""SCDL « subventions » (décret 2017-779, schéma 2.1.1): one CSV row per convention and beneficiary."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet

from conventions.models import Convention
from financing.models import Payment

SCDL_COLUMNS = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
]
PUBLICATION_THRESHOLD = Decimal("23000.00")


@dataclass(frozen=True)
class ScdlRow:
    values: dict[str, str]


def scdl_conventions(queryset: QuerySet[Convention]) -> QuerySet[Convention]:
    """Signed or closed grants above the threshold, with their payment dates, in one query."""
    live = ~Q(payments__status=Payment.Status.CANCELLED)
    return (
        queryset.exclude(status=Convention.Status.DRAFT)
        .filter(cnsa_amount__gt=PUBLICATION_THRESHOLD)
        .select_related("funder", "beneficiary")
        .annotate(
            first_payment=Min("payments__due_date", filter=live),
            last_payment=Max("payments__due_date", filter=live),
        )
        .order_by("signature_date", "reference")
    )


def scdl_rows(queryset: QuerySet[Convention]) -> list[ScdlRow]:
    conventions = scdl_conventions(queryset).annotate(
        payment_count=Count("payments", filter=~Q(payments__status=Payment.Status.CANCELLED))
    )
    return [ScdlRow(_row(c)) for c in conventions]


def _row(convention: Any) -> dict[str, str]:
    """`convention` comes annotated with first_payment, last_payment and payment_count."""
    first, last = convention.first_payment, convention.last_payment
    if first and last and first != last:
        dates = f"{first:%Y-%m-%d}/{last:%Y-%m-%d}"
    elif first:
        dates = f"{first:%Y-%m-%d}"
    else:
        dates = f"{convention.start_date:%Y-%m-%d}/{convention.end_date:%Y-%m-%d}"
    return {
        "nomAttribuant": convention.funder.name,
        "idAttribuant": convention.funder.siret,
        "dateConvention": f"{convention.signature_date:%Y-%m-%d}"
        if convention.signature_date
        else "",
        "referenceDecision": convention.reference,
        "nomBeneficiaire": convention.beneficiary.name,
        "idBeneficiaire": convention.beneficiary.siret,
        "rnaBeneficiaire": convention.beneficiary.rna,
        "objet": (convention.objet or convention.title)[:256],
        "montant": f"{convention.cnsa_amount:.2f}",
        "nature": "aide en numéraire",
        "conditionsVersement": "échelonné" if convention.payment_count > 1 else "unique",
        "datesPeriodeVersement": dates,
        "idRAE": "",
        "notificationUE": "non",
        # The beneficiary's share of this grant (one beneficiary: all of it), not the CNSA rate.
        "pourcentageSubvention": "1",
        "dispositifAide": settings.CNSA_FUND_LABEL,
    }


def scdl_csv(queryset: QuerySet[Convention]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SCDL_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in scdl_rows(queryset):
        writer.writerow(row.values)
    return buffer.getvalue()
