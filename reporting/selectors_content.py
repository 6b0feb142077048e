"""The report's whole content in a fixed number of queries, as plain lists and numbers."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from actions.models import Action, Indicator, IndicatorValue, ProgressReport, Spending
from axes.models import Axis
from conventions.models import Amendment, Convention
from core.money import ZERO
from financing.models import FundingLine, Payment
from financing.selectors import convention_summary
from reporting.content import (
    ActionBlock,
    AmendmentRow,
    AxisBlock,
    FunderPlan,
    IndicatorRow,
    Narrative,
    PaymentRow,
    ReportContext,
)
from reporting.models import Report


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
