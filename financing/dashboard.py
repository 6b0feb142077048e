"""The convention dashboard: money and progress per axis and action, in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import format_html, format_html_join

from actions.models import Action, ProgressReport, Spending
from actions.selectors import ActionRow, IndicatorProgress, action_rows, indicators_progress
from axes.models import Axis
from conventions.models import Convention
from core.aggregates import sum_subquery
from core.money import ZERO, format_euros, rate_percent
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


BAR_HEIGHT, GAP, LABEL_WIDTH, VALUE_WIDTH, CHART_WIDTH = 14, 18, 70, 120, 640


def bar_chart(rows: list[tuple[str, Decimal, Decimal]], *, title: str) -> str:
    """Paired horizontal bars (planned, spent) as inline SVG, amounts written beside each bar:
    no JavaScript, and readable as text by a screen reader."""
    top = max([max(p, s) for _, p, s in rows] + [Decimal("1")])
    scale = Decimal(CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH) / top
    row_height = 2 * BAR_HEIGHT + GAP
    bars, labels = [], []
    for index, (label, planned, spent) in enumerate(rows):
        y = 30 + index * row_height
        for offset, css, amount in (
            (0, "chart-planned", planned),
            (BAR_HEIGHT, "chart-spent", spent),
        ):
            width = int(amount * scale)
            bars.append(
                (
                    css,
                    LABEL_WIDTH,
                    y + offset,
                    width,
                    BAR_HEIGHT,
                    LABEL_WIDTH + width + 4,
                    y + offset + BAR_HEIGHT - 3,
                    format_euros(amount),
                )
            )
        labels.append((y + BAR_HEIGHT + 4, label))
    body = format_html_join(
        "",
        '<rect class="{}" x="{}" y="{}" width="{}" height="{}"></rect>'
        '<text class="chart-label" x="{}" y="{}">{}</text>',
        bars,
    ) + format_html_join("", '<text class="chart-label" x="0" y="{}">{}</text>', labels)
    legend = format_html(
        '<rect x="{}" y="4" width="12" height="12" class="chart-planned"></rect>'
        '<text x="{}" y="15" class="chart-label">Prévu</text>'
        '<rect x="{}" y="4" width="12" height="12" class="chart-spent"></rect>'
        '<text x="{}" y="15" class="chart-label">Dépensé (comptes rendus approuvés)</text>',
        LABEL_WIDTH,
        LABEL_WIDTH + 16,
        LABEL_WIDTH + 80,
        LABEL_WIDTH + 96,
    )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}{}</svg>",
        title,
        CHART_WIDTH,
        30 + row_height * len(rows),
        title,
        legend,
        body,
    )
