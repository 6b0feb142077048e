"""Cells of an uploaded sheet read as people type them: amounts, texts, titles; an `Issue` names
the sheet and cell of what is wrong, in French."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from core.money import CENT, round_money
from financing.imports_files import Sheet

MAX_AMOUNT = Decimal("999999999999.99")  # 14 digits, 2 of them decimals
FLOAT_NOISE = Decimal("0.000001")  # what a formula's binary arithmetic leaves past the cent


@dataclass(frozen=True)
class Issue:
    sheet: str
    cell: str
    message: str

    def __str__(self) -> str:
        where = f"feuille « {self.sheet} »" if self.sheet else "fichier"
        return (
            f"{where}, cellule {self.cell} : {self.message}"
            if self.cell
            else f"{where} : {self.message}"
        )


def amount_parse(value: Any) -> tuple[Decimal | None, str | None]:
    """(amount, None) or (None, the French reason it is not one)."""
    if isinstance(value, bool | datetime.date | datetime.time):
        return None, "une date ou une case à cocher n'est pas un montant : saisissez un nombre."
    if isinstance(value, str):
        shown = value.strip()[:40]
        return (
            None,
            f"« {shown} » n'est pas un montant : saisissez un nombre, sans texte ni symbole.",
        )
    if isinstance(value, float) and not math.isfinite(value):
        return None, "ce nombre n'est pas un montant."
    try:
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None, "ce contenu n'est pas un montant : saisissez un nombre."
    if amount < 0:
        return None, "un montant ne peut pas être négatif."
    if amount > MAX_AMOUNT:
        return None, "ce montant dépasse le plus grand montant admis (999 999 999 999,99 €)."
    rounded = round_money(amount)
    if abs(amount - rounded) >= FLOAT_NOISE:
        shown = format(amount.normalize(), "f").replace(".", ",")
        return None, f"{shown} a plus de deux décimales : arrondissez au centime."
    return rounded.quantize(CENT), None


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, Decimal):
        value = format(value.normalize(), "f")
    return " ".join(str(value).split())


def sheet_header(sheet: Sheet) -> dict[str, int]:
    return {cell_text(v).lower(): column for (row, column), v in sheet.cells.items() if row == 1}
