"""The convention dashboard: money and progress per axis and action, in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from actions.models import Action, ProgressReport, Spending
from actions.selectors import ActionRow, IndicatorProgress, action_rows, indicators_progress
from axes.models import Axis
from conventions.models import Convention
from core.aggregates import sum_subquery
from core.charts import bar_chart
from core.money import ZERO, rate_percent
from financing.models import FundingLine
from financing.selectors import (
    ConventionSummary,
    Problem,
    convention_consistency,
    convention_summary,
)


@dataclass
class ActionLine:
    row: ActionRow
    planned: Decimal
    cnsa_planned: Decimal
    spent: Decimal
    indicators: list[IndicatorProgress]


@dataclass
class AxisBlock:
    axis: Axis
    actions: list[ActionLine] = field(default_factory=list)

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


@dataclass
class Dashboard:
    convention: Convention
    summary: ConventionSummary
    problems: list[Problem]
    axes: list[AxisBlock]

    @property
    def overdue(self) -> list[tuple[Action, object]]:
        return [
            (line.row.action, due)
            for block in self.axes
            for line in block.actions
            for due in line.row.overdue
        ]

    @property
    def chart(self) -> str:
        return bar_chart(
            [(f"Axe {b.axis.number}", b.planned, b.spent) for b in self.axes],
            title="Prévu et dépensé par axe",
        )


def convention_dashboard(*, convention: Convention, today: datetime.date) -> Dashboard:
    actions = list(
        Action.objects.filter(axis__convention=convention)
        .select_related("axis__convention", "lead_organisation")
        .annotate(
            planned=sum_subquery(FundingLine.objects.all(), "action"),
            cnsa_planned=sum_subquery(
                FundingLine.objects.filter(funder_id=convention.funder_id), "action"
            ),
            spent=sum_subquery(
                Spending.objects.filter(report__status=ProgressReport.Status.APPROVED),
                "report__action",
            ),
        )
    )
    progress = indicators_progress(action_ids=[a.pk for a in actions])
    blocks = {axis.pk: AxisBlock(axis) for axis in Axis.objects.filter(convention=convention)}
    money = {a.pk: (a.planned, a.cnsa_planned, a.spent) for a in actions}
    for row in action_rows(actions=actions, today=today):
        action = row.action
        blocks[action.axis_id].actions.append(
            ActionLine(row, *money[action.pk], progress[action.pk])
        )
    return Dashboard(
        convention=convention,
        summary=convention_summary(convention=convention),
        problems=convention_consistency(convention=convention),
        axes=list(blocks.values()),
    )
