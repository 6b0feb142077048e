"""What a report shows, as plain data: the templates and the ODT writer read these, never query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from conventions.models import Convention
from core.money import ZERO, rate_percent
from financing.selectors import ConventionSummary


@dataclass(frozen=True)
class IndicatorRow:
    label: str
    unit: str
    baseline: Decimal
    target: Decimal
    achieved: Decimal | None
    achieved_on: datetime.date | None

    @property
    def percent(self) -> Decimal | None:
        return rate_percent(self.achieved, self.target) if self.achieved is not None else None


@dataclass(frozen=True)
class Narrative:
    text: str
    period_start: datetime.date
    period_end: datetime.date


@dataclass
class ActionBlock:
    code: str
    title: str
    lead: str
    status: str
    means: str
    planned: Decimal = ZERO
    cnsa_planned: Decimal = ZERO
    spent: Decimal = ZERO
    indicators: list[IndicatorRow] = field(default_factory=list)
    narrative: Narrative | None = None

    @property
    def spent_rate(self) -> Decimal | None:
        return rate_percent(self.spent, self.planned)


@dataclass
class AxisBlock:
    number: int
    title: str
    objective: str
    actions: list[ActionBlock] = field(default_factory=list)

    @property
    def planned(self) -> Decimal:
        return sum((a.planned for a in self.actions), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((a.spent for a in self.actions), ZERO)


@dataclass(frozen=True)
class FunderPlan:
    name: str
    by_year: list[Decimal]
    total: Decimal
    is_cnsa: bool


@dataclass(frozen=True)
class PaymentRow:
    kind: str
    status: str
    date: datetime.date | None
    amount: Decimal


@dataclass(frozen=True)
class AmendmentRow:
    number: int
    signed_on: datetime.date
    description: str
    previous_total_cost: Decimal
    new_total_cost: Decimal
    previous_cnsa_amount: Decimal
    new_cnsa_amount: Decimal


@dataclass
class ReportContext:
    convention: Convention
    kind_label: str
    period_start: datetime.date
    period_end: datetime.date
    generated_on: datetime.date
    summary: ConventionSummary
    years: list[int]
    plan: list[FunderPlan]
    plan_year_totals: list[Decimal]
    payments: list[PaymentRow]
    amendments: list[AmendmentRow]
    axes: list[AxisBlock]

    @property
    def action_count(self) -> int:
        return sum(len(axis.actions) for axis in self.axes)
