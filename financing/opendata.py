"""SCDL « subventions » (décret 2017-779, schéma 2.1.1): one CSV row per convention and beneficiary.

The official schema is vendored in `financing/schemas/scdl-subventions/`; a convention that would
give an invalid row (missing or invalid identifier) is listed with its reason instead."""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet

from conventions.models import Convention
from conventions.validators import rna_is_valid, siret_is_valid
from core.spreadsheets import neutralise_row
from financing.models import Payment

SCHEMA_PATH = Path(__file__).parent / "schemas" / "scdl-subventions" / "schema.json"
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
SCDL_FILE_NAME = "subventions.csv"


@cache
def scdl_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ScdlRow:
    values: dict[str, str]


@dataclass(frozen=True)
class ScdlRefusal:
    """A grant that must be published but cannot be, and why (in French, for the officers)."""

    reference: str
    reasons: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"reference": self.reference, "reasons": self.reasons}


@dataclass(frozen=True)
class ScdlExport:
    rows: list[ScdlRow] = field(default_factory=list)
    refused: list[ScdlRefusal] = field(default_factory=list)

    def csv(self) -> str:
        return _write_csv(self.rows)


def scdl_conventions(queryset: QuerySet[Convention]) -> QuerySet[Convention]:
    """Signed or closed grants above the threshold, with the payments actually made, in one query.

    Only money that reached the beneficiary counts: paid instalments, advances and balances, at
    the date they were paid; planned or cancelled payments and reclaims are not « versements »."""
    made = Q(payments__status=Payment.Status.PAID) & ~Q(payments__kind=Payment.Kind.RECLAIM)
    return (
        queryset.exclude(status=Convention.Status.DRAFT)
        .filter(cnsa_amount__gt=PUBLICATION_THRESHOLD)
        .select_related("funder", "beneficiary")
        .annotate(
            first_payment=Min("payments__paid_on", filter=made),
            last_payment=Max("payments__paid_on", filter=made),
            payment_count=Count("payments", filter=made),
        )
        .order_by("signature_date", "reference")
    )


def scdl_export(queryset: QuerySet[Convention]) -> ScdlExport:
    rows: list[ScdlRow] = []
    refused: list[ScdlRefusal] = []
    for convention in scdl_conventions(queryset):
        reasons = scdl_refusal_reasons(convention)
        if reasons:
            refused.append(ScdlRefusal(convention.reference, reasons))
        else:
            rows.append(ScdlRow(_row(convention)))
    return ScdlExport(rows, refused)


def scdl_rows(queryset: QuerySet[Convention]) -> list[ScdlRow]:
    return scdl_export(queryset).rows


def scdl_refusal_reasons(convention: Convention) -> list[str]:
    """Why this grant cannot give a valid SCDL row; empty when it can."""
    funder, beneficiary = convention.funder, convention.beneficiary
    reasons = []
    if not funder.siret:
        reasons.append(f"L'attribuant « {funder.name} » n'a pas de SIRET.")
    elif not siret_is_valid(funder.siret):
        reasons.append(
            f"Le SIRET de l'attribuant « {funder.name} » ({funder.siret}) n'est pas valide "
            "(clé du SIREN ou du SIRET)."
        )
    if not beneficiary.siret and not beneficiary.rna:
        reasons.append(f"Le bénéficiaire « {beneficiary.name} » n'a ni SIRET ni numéro RNA.")
    if beneficiary.siret and not siret_is_valid(beneficiary.siret):
        reasons.append(
            f"Le SIRET du bénéficiaire « {beneficiary.name} » ({beneficiary.siret}) n'est pas "
            "valide (clé du SIREN ou du SIRET)."
        )
    if beneficiary.rna and not rna_is_valid(beneficiary.rna):
        reasons.append(
            f"Le numéro RNA du bénéficiaire « {beneficiary.name} » ({beneficiary.rna}) n'est pas "
            "valide (W suivi de 9 chiffres)."
        )
    if convention.signature_date is None:
        reasons.append("La date de signature de la convention manque.")
    return reasons


def _payment_terms(convention: Any) -> tuple[str, str]:
    """`conditionsVersement` and `datesPeriodeVersement`, from the payments actually made.

    Both fields are required by the schema. With no payment made yet, the date is unknown: the
    schema then asks for a period, the convention's (as amended), and the conditions are `autre`."""
    first, last, count = convention.first_payment, convention.last_payment, convention.payment_count
    if count == 0:
        return "autre", f"{convention.start_date:%Y-%m-%d}/{convention.end_date:%Y-%m-%d}"
    if count == 1:
        return "unique", f"{first:%Y-%m-%d}"
    if first == last:
        return "échelonné", f"{first:%Y-%m-%d}"
    return "échelonné", f"{first:%Y-%m-%d}/{last:%Y-%m-%d}"


def _row(convention: Any) -> dict[str, str]:
    """`convention` comes annotated with first_payment, last_payment and payment_count."""
    conditions, dates = _payment_terms(convention)
    return {
        "nomAttribuant": convention.funder.name,
        "idAttribuant": convention.funder.siret,
        "dateConvention": f"{convention.signature_date:%Y-%m-%d}",
        "referenceDecision": convention.reference,
        "nomBeneficiaire": convention.beneficiary.name,
        "idBeneficiaire": convention.beneficiary.siret,
        "rnaBeneficiaire": convention.beneficiary.rna,
        "objet": (convention.objet or convention.title)[:256],
        "montant": f"{convention.cnsa_amount:.2f}",
        "nature": "aide en numéraire",
        "conditionsVersement": conditions,
        "datesPeriodeVersement": dates,
        "idRAE": "",
        "notificationUE": "non",
        # The beneficiary's share of this grant (one beneficiary: all of it), not the CNSA rate.
        "pourcentageSubvention": "1.00",
        "dispositifAide": settings.SCDL_DISPOSITIF_AIDE,
    }


def _write_csv(rows: list[ScdlRow]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=SCDL_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(neutralise_row(row.values))
    return buffer.getvalue()


def scdl_csv(queryset: QuerySet[Convention]) -> str:
    return scdl_export(queryset).csv()


def scdl_json(content: str, *, published_at: datetime.datetime) -> str:
    """The published CSV as JSON (the schema describes no JSON form of its own): one object per
    row under `data`, the schema's numbers as numbers and empty cells as null, with the schema's
    name, version and the date of publication."""
    schema = scdl_schema()
    types = {f["name"]: f for f in schema["fields"]}

    def typed(key: str, value: str) -> Any:
        field = types[key]
        if value == "":
            return None
        if field["type"] in ("number", "integer"):
            return Decimal(value)
        if field["type"] == "boolean":
            return value in field.get("trueValues", ["true"])
        return value

    rows = [
        {key: typed(key, value) for key, value in row.items()}
        for row in csv.DictReader(io.StringIO(content))
    ]
    return json.dumps(
        {
            "schema": schema["path"],
            "version": schema["version"],
            "datePublication": published_at.isoformat(),
            "data": rows,
        },
        ensure_ascii=False,
        default=_json_number,
        indent=1,
    )


def _json_number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)  # amounts in cents and rates fit a double exactly enough to print
    raise TypeError(type(value).__name__)
