"""Conventions, funding lines and payments as files: the same columns for the API and the pages."""

from __future__ import annotations

from typing import Any

from conventions.models import Convention
from core.exports import DATE, INTEGER, MONEY, RATE, Column, RateOf
from financing.models import Payment

CONVENTION_COLUMNS = [
    Column("id", "Identifiant", INTEGER),
    Column("reference", "Référence"),
    Column("title", "Intitulé"),
    Column("beneficiary", "Porteur"),
    Column("beneficiary_siret", "SIRET du porteur"),
    Column("start_date", "Début", DATE),
    Column("end_date", "Fin", DATE),
    Column("signature_date", "Signée le", DATE),
    Column("status", "Statut", display=lambda code: Convention.Status(code).label),
    Column("total_cost", "Coût global", MONEY),
    Column("cnsa_amount", "Montant CNSA", MONEY),
    Column("cnsa_rate", "Taux CNSA", RATE),
    Column("planned", "Prévu au plan", MONEY),
    Column("cnsa_planned", "Prévu CNSA au plan", MONEY),
    Column("paid", "Versé", MONEY),
    Column("spent", "Dépensé", MONEY),
]
CONVENTION_RATES = {"cnsa_rate": RateOf("cnsa_amount", "total_cost")}


def convention_export_row(convention: Any) -> dict[str, Any]:
    """`convention` comes from `conventions_with_totals` (planned, cnsa_planned, paid, spent)."""
    row = {c.code: getattr(convention, c.code, None) for c in CONVENTION_COLUMNS}
    row["beneficiary"] = convention.beneficiary.name
    row["beneficiary_siret"] = convention.beneficiary.siret
    return row


FUNDING_LINE_COLUMNS = [
    Column("id", "Identifiant", INTEGER),
    Column("convention", "Convention (identifiant)", INTEGER),
    Column("action", "Action (identifiant)", INTEGER),
    Column("funder", "Financeur (identifiant)", INTEGER),
    Column("year", "Année", INTEGER),
    Column("amount", "Montant", MONEY),
]

PAYMENT_COLUMNS = [
    Column("id", "Identifiant", INTEGER),
    Column("convention", "Convention (identifiant)", INTEGER),
    Column("kind", "Nature", display=lambda code: Payment.Kind(code).label),
    Column("amount", "Montant", MONEY),
    Column("due_date", "Échéance", DATE),
    Column("paid_on", "Versé le", DATE),
    Column("status", "Statut", display=lambda code: Payment.Status(code).label),
    Column("reference", "Référence"),
    Column("note", "Note"),
]
