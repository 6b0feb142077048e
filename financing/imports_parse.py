"""The uploaded sheets read against the convention: every refusal names its sheet and cell.

Nothing is written here: the result is the plan and indicators the file asks for, or the list of
what is wrong with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from conventions.models import Organisation
from financing.imports_cells import Issue, amount_parse, cell_text, sheet_header
from financing.imports_files import Sheet, cell_name
from financing.imports_indicators import IndicatorRow, indicators_read
from financing.imports_plan import (
    SHEET_CONVENTION,
    SHEET_INDICATORS,
    SHEET_PLAN,
    IndicatorKey,
    LineKey,
    PlanState,
)

__all__ = ["Issue", "ParsedFile", "amount_parse", "file_parse"]


@dataclass
class ParsedFile:
    lines: dict[LineKey, Decimal] = field(default_factory=dict)
    cells: dict[LineKey, str] = field(default_factory=dict)
    indicators: dict[IndicatorKey, IndicatorRow] | None = None
    issues: list[Issue] = field(default_factory=list)


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
        parsed.indicators, issues = indicators_read(sheets[SHEET_INDICATORS], state)
        parsed.issues += issues
    return parsed


def _check_reference(sheet: Sheet, state: PlanState, parsed: ParsedFile) -> None:
    found = cell_text(sheet.value(1, 2))
    if cell_text(sheet.value(1, 1)) == "Référence" and found != state.convention.reference:
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
        header = sheet_header(self.sheet)
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
            text = cell_text(value)
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
        names = {cell_text(self.sheet.value(row, column)).lower() for row in rows} - {""}
        unknown = names - set(self.funders)
        if unknown:
            for pk, name in Organisation.objects.filter(
                name__iregex=r"^(" + "|".join(map(_regex_literal, unknown)) + r")$"
            ).values_list("pk", "name"):
                self.funders[name.lower()] = pk

    def _row(self, row: int, code_column: int, funder_column: int, years: dict[int, int]) -> None:
        code = cell_text(self.sheet.value(row, code_column))
        funder_name = cell_text(self.sheet.value(row, funder_column))
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
