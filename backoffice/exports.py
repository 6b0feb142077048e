"""The portfolio's tables as files: one row per status, porteur, year or département."""

from __future__ import annotations

from typing import Any

from backoffice.portfolio import Line
from core.exports import INTEGER, MONEY, RATE, Column, RateOf

FIRST_COLUMN = {
    "statut": "Statut",
    "porteur": "Porteur",
    "annee": "Année",
    "departement": "Département",
}
CNSA_LABEL = {"statut": "Montant CNSA", "porteur": "Montant CNSA"}


def portfolio_columns(table: str) -> list[Column]:
    return [
        Column("label", FIRST_COLUMN[table]),
        Column("count", "Conventions", INTEGER),
        Column("planned", "Prévu", MONEY),
        Column("cnsa", CNSA_LABEL.get(table, "CNSA prévu"), MONEY),
        Column("paid", "Versé", MONEY),
        Column("remaining", "Reste à verser", MONEY),
        Column("spent", "Dépensé", MONEY),
        Column("spent_rate", "Taux de dépense", RATE),
    ]


PORTFOLIO_RATES = {"spent_rate": RateOf("spent", "planned")}


def portfolio_row(line: Line) -> dict[str, Any]:
    return {
        "label": line.label,
        "count": line.count,
        "planned": line.planned,
        "cnsa": line.cnsa,
        "paid": line.paid,
        "remaining": line.remaining,
        "spent": line.spent,
        "spent_rate": line.spent_rate,
    }
