"""What a report shows, as plain data: the templates and the ODT writer read these, never query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from conventions.models import Convention
from core.money import ZERO, rate_percent
from financing.selectors import ConventionSummary, Problem

UNSPLIT = "Non ventilé"


@dataclass(frozen=True)
class PeriodValue:
    label: str
    value: Decimal


@dataclass
class IndicatorRow:
    label: str
    unit: str
    baseline: Decimal
    target: Decimal
    values: list[PeriodValue] = field(default_factory=list)

    @property
    def achieved(self) -> Decimal | None:
        """Values are the level reached at the end of a period: the latest one is 'achieved'."""
        return self.values[-1].value if self.values else None

    @property
    def percent(self) -> Decimal | None:
        achieved = self.achieved
        return rate_percent(achieved, self.target) if achieved is not None else None


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
    def anchor(self) -> str:
        return f"axe-{self.number}"

    @property
    def planned(self) -> Decimal:
        return sum((a.planned for a in self.actions), ZERO)

    @property
    def cnsa_planned(self) -> Decimal:
        return sum((a.cnsa_planned for a in self.actions), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((a.spent for a in self.actions), ZERO)

    @property
    def spent_rate(self) -> Decimal | None:
        return rate_percent(self.spent, self.planned)


@dataclass(frozen=True)
class FunderPlan:
    """One funder's amounts per budget year (planned, or spent as justified)."""

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


@dataclass(frozen=True)
class OverdueRow:
    """A late progress report, as the convention page lists it."""

    code: str
    title: str
    lead: str
    label: str


@dataclass(frozen=True)
class OverdueGroup:
    """One action's late progress reports: a single table row in the report."""

    code: str
    title: str
    lead: str
    labels: list[str]


def overdue_by_action(rows: list[OverdueRow]) -> list[OverdueGroup]:
    """Consecutive rows of one action together, in their order (the selectors' order: by action)."""
    groups: list[OverdueGroup] = []
    for row in rows:
        if groups and groups[-1].code == row.code:
            groups[-1].labels.append(row.label)
        else:
            groups.append(OverdueGroup(row.code, row.title, row.lead, [row.label]))
    return groups


@dataclass(frozen=True)
class MoneyLine:
    """A line of the financial summary; `note` says how to read it (a projection, a closure)."""

    label: str
    amount: Decimal | None
    note: str = ""
    total: bool = False


@dataclass
class ReportContext:
    convention: Convention
    kind: str
    kind_label: str
    period_start: datetime.date
    period_end: datetime.date
    generated_on: datetime.date
    summary: ConventionSummary
    years: list[int]
    plan: list[FunderPlan]
    plan_year_totals: list[Decimal]
    spending: list[FunderPlan]
    spending_year_totals: list[Decimal]
    payments: list[PaymentRow]
    amendments: list[AmendmentRow]
    axes: list[AxisBlock]
    overdue: list[OverdueRow]
    problems: list[Problem]
    prepared_by: str = ""
    money_lines: list[MoneyLine] = field(default_factory=list)
    summary_paragraphs: list[str] = field(default_factory=list)

    @property
    def action_count(self) -> int:
        return sum(len(axis.actions) for axis in self.axes)

    @property
    def partner_names(self) -> list[str]:
        """The cover's logo area: the funder, the porteur, then the plan's other funders."""
        parties = (self.convention.funder, self.convention.beneficiary)
        names = [party.short_name or party.name for party in parties]
        for line in self.plan:  # named as the plan names them: short name, else name
            if not line.is_cnsa and line.name not in names and line.name != UNSPLIT:
                names.append(line.name)
        return names

    @property
    def is_closed(self) -> bool:
        return self.convention.status == Convention.Status.CLOSED

    @property
    def title(self) -> str:
        return f"{self.kind_label} — {self.convention.reference}"

    @property
    def spending_total(self) -> Decimal:
        return sum(self.spending_year_totals, ZERO)

    @property
    def payments_total(self) -> Decimal:
        return sum((p.amount for p in self.payments), ZERO)

    @property
    def axes_planned(self) -> Decimal:
        return sum((a.planned for a in self.axes), ZERO)

    @property
    def axes_cnsa_planned(self) -> Decimal:
        return sum((a.cnsa_planned for a in self.axes), ZERO)

    @property
    def axes_spent(self) -> Decimal:
        return sum((a.spent for a in self.axes), ZERO)

    @property
    def axes_spent_rate(self) -> Decimal | None:
        return rate_percent(self.axes_spent, self.axes_planned)


@dataclass(frozen=True)
class AxisSlice:
    """Some actions of an axis; `head` carries the axis title and its two tables."""

    axis: AxisBlock
    actions: list[ActionBlock]
    head: bool = True


@dataclass
class Part:
    """What one WeasyPrint document of the report holds: all of it, or one part of a long one."""

    front: bool = True
    late: bool = True
    late_heading: bool = True
    overdue: list[OverdueRow] | None = None  # None: all of them
    axes: list[AxisSlice] = field(default_factory=list)
    axes_heading: bool = True
    visa: bool = True
    css: str = ""
    toc_pages: dict[str, int] = field(default_factory=dict)

    @classmethod
    def whole(cls, context: ReportContext) -> Part:
        return cls(axes=[AxisSlice(axis, axis.actions) for axis in context.axes])
