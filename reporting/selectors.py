"""Reads for reports: who may ask, and the PDF's whole context in a fixed number of queries."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from actions.models import Action, Indicator, IndicatorValue, ProgressReport, Spending
from axes.models import Axis
from conventions.access import COORDINATOR, scope_for
from conventions.models import Amendment, Convention
from core.money import ZERO, rate_percent
from financing.models import FundingLine, Payment
from financing.selectors import ConventionSummary, convention_summary
from reporting.models import Report


def report_may_request(*, user, convention: Convention) -> bool:
    """CNSA officers and the porteur's coordinators ask for reports; readers only download them."""
    scope = scope_for(user)
    return scope.is_officer or scope.role_in(convention.beneficiary_id) == COORDINATOR


def reports_for_convention(*, user, convention: Convention) -> QuerySet[Report]:
    return (
        Report.objects.visible_to(user).filter(convention=convention).select_related("requested_by")
    )


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


def _natural_key(code: str) -> list:
    """'1.10' after '1.9': compare the numbers in an action code as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code)]


def report_context(
    *,
    convention_id: int,
    kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
) -> ReportContext:
    """Everything the PDF shows, as plain lists and numbers: the template never queries."""
    convention = Convention.objects.select_related("funder", "beneficiary").get(pk=convention_id)
    years = list(convention.years)
    plan, year_totals = _funding_plan(convention, years)
    return ReportContext(
        convention=convention,
        kind_label=Report.Kind(kind).label,
        period_start=period_start,
        period_end=period_end,
        generated_on=timezone.localdate(),
        summary=convention_summary(convention=convention),
        years=years,
        plan=plan,
        plan_year_totals=year_totals,
        payments=_payments(convention),
        amendments=_amendments(convention),
        axes=_axes(convention, period_end),
    )


def _funding_plan(
    convention: Convention, years: list[int]
) -> tuple[list[FunderPlan], list[Decimal]]:
    rows = (
        FundingLine.objects.filter(action__axis__convention=convention)
        .values("funder_id", "funder__name", "funder__short_name", "year")
        .annotate(total=Sum("amount"))
        .order_by("funder__name", "year")
    )
    by_funder: dict[int, dict] = {}
    for row in rows:
        entry = by_funder.setdefault(
            row["funder_id"],
            {
                "name": row["funder__short_name"] or row["funder__name"],
                "years": defaultdict(Decimal),
            },
        )
        entry["years"][row["year"]] += row["total"]
    plan = [
        FunderPlan(
            name=entry["name"],
            by_year=[entry["years"].get(year, ZERO) for year in years],
            total=sum(entry["years"].values(), ZERO),
            is_cnsa=funder_id == convention.funder_id,
        )
        for funder_id, entry in by_funder.items()
    ]
    plan.sort(key=lambda line: (not line.is_cnsa, line.name))
    totals = [sum((line.by_year[i] for line in plan), ZERO) for i in range(len(years))]
    return plan, totals


def _payments(convention: Convention) -> list[PaymentRow]:
    payments = Payment.objects.filter(convention=convention).exclude(
        status=Payment.Status.CANCELLED
    )
    return [
        PaymentRow(
            kind=p.get_kind_display(),
            status=p.get_status_display(),
            date=p.paid_on or p.due_date,
            amount=p.signed_amount,
        )
        for p in payments.order_by("paid_on", "due_date", "pk")
    ]


def _amendments(convention: Convention) -> list[AmendmentRow]:
    return [
        AmendmentRow(
            number=a.number,
            signed_on=a.signed_on,
            description=a.description,
            previous_total_cost=a.previous_total_cost,
            new_total_cost=a.new_total_cost,
            previous_cnsa_amount=a.previous_cnsa_amount,
            new_cnsa_amount=a.new_cnsa_amount,
        )
        for a in Amendment.objects.filter(convention=convention).order_by("number")
    ]


def _axes(convention: Convention, period_end: datetime.date) -> list[AxisBlock]:
    axes = {
        axis.pk: AxisBlock(number=axis.number, title=axis.title, objective=axis.objective)
        for axis in Axis.objects.filter(convention=convention).order_by("number")
    }
    actions = _action_blocks(convention, period_end)
    for axis_id, block in actions:
        axes[axis_id].actions.append(block)
    for axis in axes.values():
        axis.actions.sort(key=lambda block: _natural_key(block.code))
    return list(axes.values())


def _action_blocks(
    convention: Convention, period_end: datetime.date
) -> list[tuple[int, ActionBlock]]:
    actions = (
        Action.objects.filter(axis__convention=convention)
        .select_related("lead_organisation")
        .only(
            "axis_id",
            "code",
            "title",
            "means",
            "status",
            "lead_organisation__name",
            "lead_organisation__short_name",
        )
    )
    blocks = {
        a.pk: (
            a.axis_id,
            ActionBlock(
                code=a.code,
                title=a.title,
                lead=str(a.lead_organisation),
                status=a.get_status_display(),
                means=a.means,
            ),
        )
        for a in actions
    }
    _add_money(blocks, convention, period_end)
    _add_indicators(blocks, convention, period_end)
    _add_narratives(blocks, convention, period_end)
    return list(blocks.values())


def _approved_until(period_end: datetime.date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status": ProgressReport.Status.APPROVED,
            f"{prefix}period_end__lte": period_end,
        }
    )


def _add_money(blocks: dict, convention: Convention, period_end: datetime.date) -> None:
    planned = (
        FundingLine.objects.filter(action__axis__convention=convention)
        .values("action_id")
        .annotate(
            planned=Sum("amount"),
            cnsa=Sum("amount", filter=Q(funder_id=convention.funder_id), default=ZERO),
        )
        .order_by()
    )
    for row in planned:
        block = blocks[row["action_id"]][1]
        block.planned, block.cnsa_planned = row["planned"], row["cnsa"]
    spent = (
        Spending.objects.filter(_approved_until(period_end, "report__"))
        .filter(report__action__axis__convention=convention)
        .values("report__action_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for spent_row in spent:
        blocks[spent_row["report__action_id"]][1].spent = spent_row["total"]


def _add_indicators(blocks: dict, convention: Convention, period_end: datetime.date) -> None:
    latest: dict[int, tuple[Decimal, datetime.date]] = {}
    values = (
        IndicatorValue.objects.filter(_approved_until(period_end, "report__"))
        .filter(indicator__action__axis__convention=convention)
        .values_list("indicator_id", "value", "report__period_end")
        .order_by("report__period_end", "pk")
    )
    for indicator_id, value, reported_on in values:
        latest[indicator_id] = (value, reported_on)
    indicators = Indicator.objects.filter(action__axis__convention=convention).order_by(
        "action_id", "position", "pk"
    )
    for ind in indicators:
        achieved, achieved_on = latest.get(ind.pk, (None, None))
        blocks[ind.action_id][1].indicators.append(
            IndicatorRow(ind.label, ind.unit, ind.baseline, ind.target, achieved, achieved_on)
        )


def _add_narratives(blocks: dict, convention: Convention, period_end: datetime.date) -> None:
    reports = (
        ProgressReport.objects.filter(_approved_until(period_end))
        .filter(action__axis__convention=convention)
        .exclude(narrative="")
        .values_list("action_id", "narrative", "period_start", "period_end")
        .order_by("period_end", "pk")
    )
    for action_id, text, start, end in reports:
        blocks[action_id][1].narrative = Narrative(text, start, end)
