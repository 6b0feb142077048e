"""The convention dashboard: money and progress per axis, the first actions of each axis and the
first late reports, in a fixed number of queries whatever the size of the convention. Axis money
comes from the totals kept by the database (AxisTotal, ActionTotal)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber

from actions.models import Action
from actions.selectors import ActionRow, IndicatorProgress, action_rows, indicators_progress
from axes.models import Axis
from conventions.models import Convention
from core.aggregates import sum_subquery
from core.charts import bar_chart
from core.money import rate_percent
from financing.models import ActionTotal, AxisTotal
from financing.selectors import (
    ConventionSummary,
    Problem,
    convention_consistency,
    convention_summary,
)

ACTIONS_SHOWN = 20  # per axis on the convention page; the others on the axis's own page
OVERDUE_SHOWN = 20  # late reports on the convention page; all of them one link away


@dataclass
class ActionLine:
    row: ActionRow
    planned: Decimal
    cnsa_planned: Decimal
    spent: Decimal
    indicators: list[IndicatorProgress]


@dataclass
class AxisBlock:
    """An axis with its totals (all its actions) and the lines of the actions shown."""

    axis: Any  # an Axis annotated by `axes_with_totals`
    actions: list[ActionLine]

    @property
    def planned(self) -> Decimal:
        return self.axis.planned

    @property
    def cnsa_planned(self) -> Decimal:
        return self.axis.cnsa_planned

    @property
    def spent(self) -> Decimal:
        return self.axis.spent

    @property
    def action_count(self) -> int:
        return self.axis.action_count

    @property
    def more(self) -> int:
        return self.axis.action_count - len(self.actions)

    @property
    def spent_rate(self) -> Decimal | None:
        return rate_percent(self.spent, self.planned)


@dataclass
class Dashboard:
    convention: Convention
    summary: ConventionSummary
    problems: list[Problem]
    axes: list[AxisBlock]
    overdue: list[tuple[Action, object]]
    overdue_count: int

    @property
    def chart(self) -> str:
        return bar_chart(
            [(f"Axe {b.axis.number}", b.planned, b.spent) for b in self.axes],
            title="Prévu et dépensé par axe",
        )


def axes_with_totals(*, convention: Convention) -> QuerySet[Axis]:
    """The convention's axes with planned, CNSA-planned and spent money and their action count."""
    count = (
        Action.objects.filter(axis=OuterRef("pk"))
        .order_by()
        .values("axis")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Axis.objects.filter(convention=convention).annotate(
        planned=sum_subquery(AxisTotal.objects.all(), "axis", "planned"),
        cnsa_planned=sum_subquery(
            AxisTotal.objects.filter(funder_key=convention.funder_id), "axis", "planned"
        ),
        spent=sum_subquery(AxisTotal.objects.all(), "axis", "spent"),
        action_count=Coalesce(Subquery(count, output_field=IntegerField()), 0),
    )


def with_money(actions: QuerySet[Action], *, funder_id: int) -> QuerySet[Action]:
    """Actions with their planned, CNSA-planned and spent money (approved reports)."""
    return actions.select_related("axis__convention", "lead_organisation").annotate(
        planned=sum_subquery(ActionTotal.objects.all(), "action", "planned"),
        cnsa_planned=sum_subquery(
            ActionTotal.objects.filter(funder_key=funder_id), "action", "planned"
        ),
        spent=sum_subquery(ActionTotal.objects.all(), "action", "spent"),
    )


def action_lines(
    actions: list[Any], *, today: datetime.date, rows: dict[int, ActionRow] | None = None
) -> list[ActionLine]:
    """Lines of actions annotated by `with_money`: what they owe (from `rows` when the caller
    already has them) and their indicators."""
    progress = indicators_progress(action_ids=[a.pk for a in actions])
    if rows is None:
        rows = {r.action.pk: r for r in action_rows(actions=actions, today=today)}
    return [
        ActionLine(rows[a.pk], a.planned, a.cnsa_planned, a.spent, progress[a.pk]) for a in actions
    ]


def convention_action_rows(*, convention: Convention, today: datetime.date) -> list[ActionRow]:
    """Every action of the convention with what it owes by the convention's calendar, in the order
    of the axes and actions (three queries). Only the fields the calendar and the late list read
    are loaded, and the convention in hand is shared: a 1 000-action convention stays light."""
    actions = list(
        Action.objects.filter(axis__convention=convention)
        .select_related("axis", "lead_organisation")
        .only(
            "code",
            "title",
            "status",
            "start_date",
            "end_date",
            "axis__number",
            "axis__convention_id",
            "lead_organisation__name",
        )
        .order_by("axis__number", "code")
    )
    for action in actions:
        action.axis.convention = convention
    return action_rows(actions=actions, today=today)


def late_reports(rows: list[ActionRow]) -> list[tuple[Action, object]]:
    return [(r.action, due) for r in rows for due in r.overdue]


def convention_dashboard(*, convention: Convention, today: datetime.date) -> Dashboard:
    first = (
        Action.objects.filter(axis__convention=convention)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("axis_id")], order_by=[F("code").asc(), F("pk").asc()]
            )
        )
        .filter(rank__lte=ACTIONS_SHOWN)
        .order_by("axis__number", "code", "pk")
    )
    every = convention_action_rows(convention=convention, today=today)
    lines = action_lines(
        list(with_money(first, funder_id=convention.funder_id)),
        today=today,
        rows={r.action.pk: r for r in every},
    )
    by_axis: dict[int, list[ActionLine]] = {}
    for line in lines:
        by_axis.setdefault(line.row.action.axis_id, []).append(line)
    late = late_reports(every)
    return Dashboard(
        convention=convention,
        summary=convention_summary(convention=convention),
        problems=convention_consistency(convention=convention),
        axes=[
            AxisBlock(axis, by_axis.get(axis.pk, []))
            for axis in axes_with_totals(convention=convention)
        ],
        overdue=late[:OVERDUE_SHOWN],
        overdue_count=len(late),
    )
