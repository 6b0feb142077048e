"""Per axis and action: money, indicators by period, the latest approved narrative, what is late."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.db.models import Q, Sum

from actions.models import Action, Indicator, IndicatorValue, ProgressReport, Spending
from actions.selectors import action_rows
from axes.models import Axis
from conventions.models import Convention
from core.money import ZERO
from financing.models import FundingLine
from reporting import wording
from reporting.content import (
    ActionBlock,
    AxisBlock,
    IndicatorRow,
    Narrative,
    OverdueRow,
    PeriodValue,
)


def _natural_key(code: str) -> list:
    """'1.10' after '1.9': compare the numbers in an action code as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code)]


def action_content(
    convention: Convention, period_end: datetime.date, today: datetime.date
) -> tuple[list[AxisBlock], list[OverdueRow]]:
    """The axes with their actions, and the late reports exactly as the convention page lists
    them (the same `action_rows`, on the date of the data)."""
    axes = {
        axis.pk: AxisBlock(number=axis.number, title=axis.title, objective=axis.objective)
        for axis in Axis.objects.filter(convention=convention).order_by("number")
    }
    actions = list(
        Action.objects.filter(axis__convention=convention)
        .select_related("axis__convention", "lead_organisation")
        .order_by("axis__number", "code")
    )
    closed = convention.status == Convention.Status.CLOSED
    blocks = {
        a.pk: (
            a.axis_id,
            ActionBlock(
                code=a.code,
                title=a.title,
                lead=str(a.lead_organisation),
                status=wording.action_status(
                    status=a.status, label=a.get_status_display(), closed=closed
                ),
                means=a.means,
            ),
        )
        for a in actions
    }
    _add_money(blocks, convention, period_end)
    _add_indicators(blocks, convention, period_end)
    _add_narratives(blocks, convention, period_end)
    for axis_id, block in blocks.values():
        axes[axis_id].actions.append(block)
    for axis in axes.values():
        axis.actions.sort(key=lambda block: _natural_key(block.code))
    actions.sort(key=lambda a: (a.axis.number, _natural_key(a.code)))
    overdue = [
        OverdueRow(row.action.code, row.action.title, str(row.action.lead_organisation), d.label)
        for row in action_rows(actions=actions, today=today)
        for d in row.overdue
    ]
    return list(axes.values()), overdue


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
    by_indicator: dict[int, list[PeriodValue]] = {}
    values = (
        IndicatorValue.objects.filter(_approved_until(period_end, "report__"))
        .filter(indicator__action__axis__convention=convention)
        .values_list("indicator_id", "value", "report__period_start", "report__period_end")
        .order_by("report__period_end", "pk")
    )
    for indicator_id, value, start, end in values:
        by_indicator.setdefault(indicator_id, []).append(
            PeriodValue(wording.period_label(start, end), Decimal(value))
        )
    indicators = Indicator.objects.filter(action__axis__convention=convention).order_by(
        "action_id", "position", "pk"
    )
    for ind in indicators:
        blocks[ind.action_id][1].indicators.append(
            IndicatorRow(
                ind.label, ind.unit, ind.baseline, ind.target, by_indicator.get(ind.pk, [])
            )
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
