"""Spreadsheets for the import tests: the template as downloaded, edited cell by cell."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl

from conventions.models import Convention
from financing.imports_plan import plan_state
from financing.imports_template import template_ods, template_xlsx
from tests.factories import ActionFactory, AxisFactory, ConventionFactory, FundingLineFactory


def template(convention: Convention, fmt: str = "xlsx") -> bytes:
    state = plan_state(convention=convention)
    return template_xlsx(state) if fmt == "xlsx" else template_ods(state)


def edited(data: bytes, sheet: str, **cells: Any) -> io.BytesIO:
    """The workbook with `E3=value` cells changed on `sheet`."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for name, value in cells.items():
        workbook[sheet][name] = value
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def plan_rows(data: bytes) -> list[list[Any]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [[c.value for c in row] for row in workbook["Plan de financement"].iter_rows()]


def small_convention(cnsa, **fields: Any) -> Convention:
    """Two actions, CNSA and the porteur on 2019-2020: 4 000 € planned, 2 000 € CNSA."""
    convention = ConventionFactory(
        funder=cnsa,
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2020, 12, 31),
        total_cost=Decimal("4000.00"),
        cnsa_amount=Decimal("2000.00"),
        **fields,
    )
    axis = AxisFactory(convention=convention, number=1)
    for code in ("1.1", "1.2"):
        action = ActionFactory(axis=axis, code=code)
        for funder in (cnsa, convention.beneficiary):
            FundingLineFactory(action=action, funder=funder, year=2019, amount=Decimal("1000.00"))
    return convention
