"""The financing plan as a grid: actions (grouped by axis) × funders × years, with every total,
built from four queries whatever the plan's size; the template only iterates lists."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from actions.models import Action
from axes.models import Axis
from conventions.models import Convention, Organisation
from core.money import ZERO, format_decimal_fr, rate_percent
from financing.models import FundingLine
from financing.plan import CellKey, cell_code


@dataclass
class GridColumn:
    funder: Organisation
    year: int
    is_cnsa: bool

    @property
    def code(self) -> str:
        return f"{self.funder.pk}-{self.year}"


@dataclass
class GridCell:
    key: CellKey
    column: GridColumn
    stored: Decimal | None
    value: str
    errors: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return cell_code(self.key)

    @property
    def stored_text(self) -> str:
        return "" if self.stored is None else input_text(self.stored)


@dataclass
class GridRow:
    action: Action
    cells: list[GridCell]

    @cached_property
    def total(self) -> Decimal:
        return sum((c.stored or ZERO for c in self.cells), ZERO)


@dataclass
class GridAxis:
    axis: Axis
    rows: list[GridRow]
    columns: int

    @cached_property
    def column_totals(self) -> list[Decimal]:
        return [
            sum((r.cells[i].stored or ZERO for r in self.rows), ZERO) for i in range(self.columns)
        ]

    @cached_property
    def total(self) -> Decimal:
        return sum((r.total for r in self.rows), ZERO)


@dataclass
class FunderTotal:
    funder: Organisation
    total: Decimal
    share: Decimal | None


@dataclass
class PlanGrid:
    convention: Convention
    funders: list[Organisation]
    columns: list[GridColumn]
    axes: list[GridAxis]
    fingerprint: str

    @property
    def years(self) -> list[int]:
        return list(self.convention.years)

    @cached_property
    def rows(self) -> list[GridRow]:
        return [row for block in self.axes for row in block.rows]

    @cached_property
    def column_totals(self) -> list[Decimal]:
        return [
            sum((b.column_totals[i] for b in self.axes), ZERO) for i in range(len(self.columns))
        ]

    @cached_property
    def total(self) -> Decimal:
        return sum((b.total for b in self.axes), ZERO)

    @cached_property
    def funder_totals(self) -> list[FunderTotal]:
        totals = self.column_totals
        grand = self.total
        rows = []
        for funder in self.funders:
            amount = sum(
                (t for c, t in zip(self.columns, totals, strict=True) if c.funder == funder), ZERO
            )
            rows.append(FunderTotal(funder, amount, rate_percent(amount, grand)))
        return rows

    @cached_property
    def cnsa_total(self) -> Decimal:
        return next(
            (f.total for f in self.funder_totals if f.funder.pk == self.convention.funder_id), ZERO
        )

    @property
    def cnsa_rate(self) -> Decimal | None:
        return rate_percent(self.cnsa_total, self.total)

    @property
    def total_gap(self) -> Decimal:
        return self.total - self.convention.total_cost

    @property
    def cnsa_gap(self) -> Decimal:
        return self.cnsa_total - self.convention.cnsa_amount

    @property
    def errors(self) -> list[GridCell]:
        return [cell for row in self.rows for cell in row.cells if cell.errors]


def input_text(amount: Decimal) -> str:
    """What a cell's input shows: French decimal comma, no grouping (easier to edit)."""
    return format_decimal_fr(amount, sep="")


def plan_grid(*, convention: Convention, extra_funder_ids: list[int]) -> PlanGrid:
    """The grid of the stored plan; funders are CNSA, the porteur, those already in the plan,
    then the ones asked for."""
    lines = list(
        FundingLine.objects.filter(
            action__axis__convention=convention,
            year__gte=convention.start_date.year,
            year__lte=convention.end_date.year,
        ).values_list("action_id", "funder_id", "year", "amount")
    )
    stored: dict[CellKey, Decimal] = {(a, f, y): amount for a, f, y, amount in lines}
    funder_ids = [convention.funder_id, convention.beneficiary_id]
    for candidate in sorted({f for _, f, _ in stored}) + extra_funder_ids:
        if candidate not in funder_ids:
            funder_ids.append(candidate)
    by_pk = Organisation.objects.only("pk", "name", "short_name").in_bulk(funder_ids)
    funders = [by_pk[pk] for pk in funder_ids if pk in by_pk]
    columns = [
        GridColumn(f, year, f.pk == convention.funder_id)
        for f in funders
        for year in convention.years
    ]
    actions = list(
        Action.objects.filter(axis__convention=convention)
        .only("pk", "code", "title", "axis_id")
        .order_by("axis__number", "code")
    )
    axes = list(
        Axis.objects.filter(convention=convention).only("pk", "number", "title").order_by("number")
    )
    blocks = {axis.pk: GridAxis(axis, [], len(columns)) for axis in axes}
    for action in actions:
        cells = []
        for column in columns:
            key = (action.pk, column.funder.pk, column.year)
            amount = stored.get(key)
            cells.append(
                GridCell(key, column, amount, "" if amount is None else input_text(amount))
            )
        blocks[action.axis_id].rows.append(GridRow(action, cells))
    digest = hashlib.sha256(repr(sorted(stored.items())).encode()).hexdigest()[:32]
    return PlanGrid(convention, funders, columns, list(blocks.values()), digest)
