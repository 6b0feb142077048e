"""The spreadsheet template of one convention (XLSX or ODS): its figures, its financing plan as
actions × funders × years with today's amounts, and its indicators. Filled in and uploaded back,
it is what `financing.imports` reads."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.exports import EURO_FORMAT, INTEGER, MONEY, RATE, RATE_FORMAT, TEXT, XML_ILLEGAL
from core.spreadsheets import neutralise_cell
from financing.imports_plan import (
    INDICATOR_HEADERS,
    PLAN_HEADERS,
    SHEET_CONVENTION,
    SHEET_INDICATORS,
    SHEET_PLAN,
    PlanState,
)

NUMBER = "number"
NUMBER_FORMAT = "#,##0.00"
GUIDE = (
    "Plan de financement : un montant en euros par action, financeur et année, deux décimales au "
    "plus ; une cellule vide retire la ligne. Pour un autre financeur déjà enregistré, ajoutez une "
    "ligne avec son nom exact. Indicateurs : une ligne par indicateur ; une ligne retirée supprime "
    "l'indicateur. Ne renommez pas les feuilles, ne fusionnez pas de cellules."
)


@dataclass(frozen=True)
class TemplateSheet:
    """`kinds[i]` types the cells of row i; `header` rows are bold and frozen."""

    title: str
    rows: list[list[Any]]
    kinds: list[Sequence[str]]
    widths: Sequence[int]
    header: bool = True


def template_sheets(state: PlanState) -> list[TemplateSheet]:
    convention = state.convention
    about: list[list[Any]] = [
        ["Référence", convention.reference],
        ["Intitulé", convention.title],
        ["Porteur", convention.beneficiary.name],
        ["Période", f"{state.years.start}-{state.years.stop - 1}"],
        ["Coût global", convention.total_cost],
        ["Montant CNSA", convention.cnsa_amount],
        ["Taux CNSA", convention.cnsa_rate],
        ["Statut", convention.get_status_display()],
        ["Mode d'emploi", GUIDE],
    ]
    about_kinds: list[Sequence[str]] = [
        *[(TEXT, TEXT)] * 4,
        *[(TEXT, MONEY)] * 2,
        (TEXT, RATE),
        *[(TEXT, TEXT)] * 2,
    ]
    plan: list[list[Any]] = [[*PLAN_HEADERS, *state.years]]
    for action in state.actions:
        for funder in state.funders:
            amounts = [state.lines.get((action.pk, funder.pk, year)) for year in state.years]
            plan.append([action.axis.number, action.code, action.title, funder.name, *amounts])
    codes = {action.pk: action for action in state.actions}
    indicators: list[list[Any]] = [list(INDICATOR_HEADERS)]
    for (action_id, label), indicator in state.indicators.items():
        action = codes[action_id]
        indicators.append(
            [action.code, action.title, label, indicator.unit, indicator.baseline, indicator.target]
        )
    plan_kinds = (INTEGER, TEXT, TEXT, TEXT, *[MONEY] * len(state.years))
    indicator_kinds = (TEXT, TEXT, TEXT, TEXT, NUMBER, NUMBER)
    return [
        TemplateSheet(SHEET_CONVENTION, about, about_kinds, (18, 90), header=False),
        TemplateSheet(
            SHEET_PLAN,
            plan,
            _with_header(plan_kinds, len(plan)),
            (6, 12, 50, 40, *[16] * len(state.years)),
        ),
        TemplateSheet(
            SHEET_INDICATORS,
            indicators,
            _with_header(indicator_kinds, len(indicators)),
            (12, 50, 50, 20, 16, 16),
        ),
    ]


def _with_header(kinds: Sequence[str], rows: int) -> list[Sequence[str]]:
    return [(TEXT,) * len(kinds)] + [kinds] * (rows - 1)


def _clean(value: Any) -> Any:
    return neutralise_cell(XML_ILLEGAL.sub("", value)) if isinstance(value, str) else value


def template_xlsx(state: PlanState) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    formats = {MONEY: EURO_FORMAT, RATE: RATE_FORMAT, NUMBER: NUMBER_FORMAT}
    for sheet in template_sheets(state):
        worksheet = workbook.create_sheet(sheet.title)
        for index, (row, kinds) in enumerate(zip(sheet.rows, sheet.kinds, strict=True)):
            for column, (value, kind) in enumerate(zip(row, kinds, strict=True), start=1):
                if kind == RATE and value is not None:
                    value = value / 100
                cell = worksheet.cell(row=index + 1, column=column, value=_clean(value))
                cell.number_format = formats.get(kind, "General")
                if index == 0 and sheet.header:
                    cell.font = Font(bold=True)
                if isinstance(value, str) and len(value) > 60:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for column, width in enumerate(sheet.widths, start=1):
            worksheet.column_dimensions[get_column_letter(column)].width = width
        if sheet.header:
            worksheet.freeze_panes = "A2"
    handle = io.BytesIO()
    workbook.save(handle)
    return handle.getvalue()


def template_ods(state: PlanState) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table

    from core.exports_ods import _ods_row, _ods_styles

    document = OpenDocumentSpreadsheet()
    styles = _ods_styles(document)
    for sheet in template_sheets(state):
        table = Table(name=sheet.title)
        for row, row_kinds in zip(sheet.rows, sheet.kinds, strict=True):
            kinds = [INTEGER if k == NUMBER else k for k in row_kinds]
            table.addElement(_ods_row([_clean(v) for v in row], kinds, styles))
        document.spreadsheet.addElement(table)
    handle = io.BytesIO()
    document.write(handle)
    return handle.getvalue()


def template_filename(state: PlanState, fmt: str) -> str:
    return f"plan-de-financement-{state.convention.reference}.{fmt}"
