"""The uploaded sheets read against the convention: every refusal names its sheet and cell.

Nothing is written here: the result is the plan and indicators the file asks for, or the list of
what is wrong with it."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from conventions.models import Organisation
from core.money import CENT, round_money
from financing.imports_files import Sheet, cell_name
from financing.imports_plan import (
    SHEET_CONVENTION,
    SHEET_INDICATORS,
    SHEET_PLAN,
    IndicatorKey,
    LineKey,
    PlanState,
)

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


@dataclass(frozen=True)
class IndicatorRow:
    action_id: int
    label: str
    unit: str
    baseline: Decimal
    target: Decimal
    row: int


@dataclass
class ParsedFile:
    lines: dict[LineKey, Decimal] = field(default_factory=dict)
    cells: dict[LineKey, str] = field(default_factory=dict)
    indicators: dict[IndicatorKey, IndicatorRow] | None = None
    issues: list[Issue] = field(default_factory=list)


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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, Decimal):
        value = format(value.normalize(), "f")
    return " ".join(str(value).split())


def _header(sheet: Sheet) -> dict[str, int]:
    return {_text(v).lower(): column for (row, column), v in sheet.cells.items() if row == 1}


def file_parse(sheets: dict[str, Sheet], state: PlanState) -> ParsedFile:
    parsed = ParsedFile()
    if SHEET_PLAN not in sheets:
        names = ", ".join(f"« {name} »" for name in sheets) or "aucune"
        parsed.issues.append(
            Issue(
                "",
                "",
                f"la feuille « {SHEET_PLAN} » est introuvable (feuilles du fichier : {names}). "
                "Partez du modèle téléchargé pour cette convention, sans renommer ses feuilles.",
            )
        )
        return parsed
    for name in (SHEET_CONVENTION, SHEET_PLAN, SHEET_INDICATORS):
        for merged in sheets[name].merged if name in sheets else []:
            parsed.issues.append(
                Issue(
                    name, merged, "cellules fusionnées : défusionnez-les, une valeur par cellule."
                )
            )
    if parsed.issues:
        return parsed
    if SHEET_CONVENTION in sheets:
        _check_reference(sheets[SHEET_CONVENTION], state, parsed)
    _PlanReader(sheets[SHEET_PLAN], state, parsed).read()
    if SHEET_INDICATORS in sheets:
        parsed.indicators = {}
        _read_indicators(sheets[SHEET_INDICATORS], state, parsed)
    return parsed


def _check_reference(sheet: Sheet, state: PlanState, parsed: ParsedFile) -> None:
    found = _text(sheet.value(1, 2))
    if _text(sheet.value(1, 1)) == "Référence" and found != state.convention.reference:
        parsed.issues.append(
            Issue(
                SHEET_CONVENTION,
                "B1",
                f"ce fichier est le modèle de la convention « {found} », pas de "
                f"« {state.convention.reference} ».",
            )
        )


class _PlanReader:
    def __init__(self, sheet: Sheet, state: PlanState, parsed: ParsedFile) -> None:
        self.sheet, self.state, self.parsed = sheet, state, parsed
        self.actions = {action.code: action for action in state.actions}
        self.funders = {funder.name.lower(): funder.pk for funder in state.funders}
        self.seen: dict[tuple[int, int], int] = {}

    def issue(self, row: int, column: int, message: str) -> None:
        self.parsed.issues.append(Issue(SHEET_PLAN, cell_name(row, column), message))

    def read(self) -> None:
        header = _header(self.sheet)
        code_column, funder_column = header.get("code action"), header.get("financeur")
        if code_column is None or funder_column is None:
            self.issue(1, 1, "la ligne 1 doit porter les titres « Code action » et « Financeur ».")
            return
        years = self._years()
        if years is None:
            return
        rows = sorted({row for row, _ in self.sheet.cells if row > 1})
        self._know_funders(rows, funder_column)
        for row in rows:
            self._row(row, code_column, funder_column, years)

    def _years(self) -> dict[int, int] | None:
        period = self.state.years
        years: dict[int, int] = {}
        for (row, column), value in sorted(self.sheet.cells.items()):
            text = _text(value)
            if row != 1 or not (text.isdigit() and len(text) == 4):
                continue
            year = int(text)
            if year not in period:
                self.issue(
                    row,
                    column,
                    f"l'année {year} est hors de la période de la convention "
                    f"({period.start}-{period.stop - 1}).",
                )
            years[year] = column
        for year in period:
            if year not in years:
                self.issue(1, 1, f"la colonne de l'année {year} manque en ligne 1.")
        return None if any(i.sheet == SHEET_PLAN for i in self.parsed.issues) else years

    def _know_funders(self, rows: list[int], column: int) -> None:
        """Funders named in the file but not yet in this plan: one query for them all."""
        names = {_text(self.sheet.value(row, column)).lower() for row in rows} - {""}
        unknown = names - set(self.funders)
        if unknown:
            for pk, name in Organisation.objects.filter(
                name__iregex=r"^(" + "|".join(map(_regex_literal, unknown)) + r")$"
            ).values_list("pk", "name"):
                self.funders[name.lower()] = pk

    def _row(self, row: int, code_column: int, funder_column: int, years: dict[int, int]) -> None:
        code = _text(self.sheet.value(row, code_column))
        funder_name = _text(self.sheet.value(row, funder_column))
        amounts = {year: self.sheet.value(row, column) for year, column in years.items()}
        if not code and not funder_name and all(v is None for v in amounts.values()):
            return
        action = self.actions.get(code)
        funder_id = self.funders.get(funder_name.lower())
        if action is None:
            known = ", ".join(self.actions) or "aucune"
            self.issue(
                row,
                code_column,
                f"action « {code} » inconnue dans la convention {self.state.convention.reference} "
                f"(actions : {known})."
                if code
                else "indiquez le code de l'action.",
            )
        if funder_id is None:
            self.issue(
                row,
                funder_column,
                f"financeur « {funder_name} » inconnu : enregistrez d'abord l'organisation, puis "
                "reprenez son nom exact."
                if funder_name
                else "indiquez le nom du financeur.",
            )
        if action is None or funder_id is None:
            return
        if (action.pk, funder_id) in self.seen:
            self.issue(
                row,
                funder_column,
                f"l'action {code} et ce financeur figurent déjà ligne {self.seen[action.pk, funder_id]}.",
            )
            return
        self.seen[action.pk, funder_id] = row
        for year, value in amounts.items():
            key = (action.pk, funder_id, year)
            self.parsed.cells[key] = cell_name(row, years[year])
            if value is None:
                continue
            amount, problem = amount_parse(value)
            if problem:
                self.issue(row, years[year], problem)
                continue
            self.parsed.lines[key] = amount  # type: ignore[assignment]


def _regex_literal(text: str) -> str:
    import re

    return re.escape(text)


INDICATOR_COLUMNS = {
    "code action": "code",
    "indicateur": "label",
    "unité": "unit",
    "valeur de départ": "baseline",
    "cible": "target",
}


def _read_indicators(sheet: Sheet, state: PlanState, parsed: ParsedFile) -> None:
    header = _header(sheet)
    missing = [title for title in INDICATOR_COLUMNS if title not in header]
    if missing:
        titles = ", ".join(f"« {t.capitalize()} »" for t in INDICATOR_COLUMNS)
        parsed.issues.append(
            Issue(SHEET_INDICATORS, "A1", f"la ligne 1 doit porter les titres {titles}.")
        )
        return
    columns = {key: header[title] for title, key in INDICATOR_COLUMNS.items()}
    actions = {action.code: action for action in state.actions}
    assert parsed.indicators is not None
    for row in sorted({row for row, _ in sheet.cells if row > 1}):
        values = {key: sheet.value(row, column) for key, column in columns.items()}
        if all(v is None for v in values.values()):
            continue
        found = _indicator(row, values, columns, actions, parsed)
        if found is None:
            continue
        key = (found.action_id, found.label)
        if key in parsed.indicators:
            parsed.issues.append(
                Issue(
                    SHEET_INDICATORS,
                    cell_name(row, columns["label"]),
                    f"indicateur en double : il figure déjà ligne {parsed.indicators[key].row}.",
                )
            )
            continue
        parsed.indicators[key] = found


def _indicator(
    row: int, values: dict[str, Any], columns: dict[str, int], actions: dict, parsed: ParsedFile
) -> IndicatorRow | None:
    problems: list[tuple[str, str]] = []
    code, label, unit = (_text(values[k]) for k in ("code", "label", "unit"))
    action = actions.get(code)
    if action is None:
        problems.append(
            (
                "code",
                f"action « {code} » inconnue dans cette convention."
                if code
                else "indiquez le code de l'action.",
            )
        )
    if not label or len(label) > 300:
        problems.append(("label", "indiquez le libellé de l'indicateur (300 caractères au plus)."))
    if not unit or len(unit) > 60:
        problems.append(("unit", "indiquez l'unité (60 caractères au plus)."))
    numbers: dict[str, Decimal] = {}
    for key in ("baseline", "target"):
        if values[key] is None and key == "baseline":
            numbers[key] = Decimal("0.00")
            continue
        if values[key] is None:
            problems.append((key, "indiquez la cible."))
            continue
        number, problem = amount_parse(values[key])
        if problem:
            problems.append((key, problem.replace("un montant", "une valeur")))
        else:
            numbers[key] = number  # type: ignore[assignment]
    for key, message in problems:
        parsed.issues.append(Issue(SHEET_INDICATORS, cell_name(row, columns[key]), message))
    if problems or action is None:
        return None
    return IndicatorRow(action.pk, label, unit, numbers["baseline"], numbers["target"], row)
