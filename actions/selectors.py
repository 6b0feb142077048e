"""Reads on actions and progress reports: what is due, what was achieved, what awaits review."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from actions.models import (
    Action,
    Attachment,
    Indicator,
    IndicatorValue,
    ProgressReport,
    Spending,
)
from actions.selectors_calendar import DueReport, calendars, due_reports, reports_by_action
from conventions.models import Convention, Organisation
from core.aggregates import sum_subquery
from core.fields import money_output
from core.money import ZERO, rate_percent

MONEY_FIELD = money_output()


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: datetime.date
    end: datetime.date


def report_periods(*, action: Action) -> list[Period]:
    """The years and half-years of the convention that overlap the action."""
    convention = action.axis.convention
    periods = []
    for year in convention.years:
        candidates = [
            Period(
                str(year), f"Année {year}", datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            ),
            Period(
                f"{year}-S1",
                f"1er semestre {year}",
                datetime.date(year, 1, 1),
                datetime.date(year, 6, 30),
            ),
            Period(
                f"{year}-S2",
                f"2nd semestre {year}",
                datetime.date(year, 7, 1),
                datetime.date(year, 12, 31),
            ),
        ]
        for period in candidates:
            start = max(period.start, convention.start_date)
            end = min(period.end, convention.end_date)
            if start <= end and start <= action.end_date and end >= action.start_date:
                periods.append(Period(period.key, period.label, start, end))
    return periods


@dataclass
class ActionRow:
    action: Action
    due: list[DueReport]
    latest: dict | None

    @property
    def overdue(self) -> list[DueReport]:
        return [d for d in self.due if d.overdue]


def action_rows(*, actions: Sequence[Action], today: datetime.date) -> list[ActionRow]:
    """Each action with the reports it owes and its latest report, in one query."""
    reports = reports_by_action(a.pk for a in actions)
    deadlines = calendars(conventions={a.axis.convention for a in actions})
    return [
        ActionRow(
            action=action,
            due=due_reports(
                action, deadlines[action.axis.convention_id], reports[action.pk], today
            ),
            latest=reports[action.pk][-1] if reports[action.pk] else None,
        )
        for action in actions
    ]


def action_rows_chunked(
    *, actions: QuerySet[Action], today: datetime.date, size: int = 500
) -> Iterator[ActionRow]:
    """`action_rows` over a whole list, a chunk at a time: a file of every action."""
    chunk: list[Action] = []
    for action in actions.iterator(chunk_size=size):
        chunk.append(action)
        if len(chunk) == size:
            yield from action_rows(actions=chunk, today=today)
            chunk = []
    if chunk:
        yield from action_rows(actions=chunk, today=today)


def actions_for(*, user) -> QuerySet[Action]:
    return Action.objects.visible_to(user).select_related("axis__convention", "lead_organisation")


def latest_approved_value() -> Subquery:
    """Values are the level reached at the end of a period: the latest approved one is 'achieved'."""
    return Subquery(
        IndicatorValue.objects.filter(
            indicator=OuterRef("pk"), report__status=ProgressReport.Status.APPROVED
        )
        .order_by("-report__period_end")
        .values("value")[:1],
        output_field=MONEY_FIELD,
    )


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    achieved: Decimal | None

    @property
    def rate(self) -> Decimal | None:
        if self.achieved is None:
            return None
        return rate_percent(
            self.achieved - self.indicator.baseline, self.indicator.target - self.indicator.baseline
        )

    @property
    def bar_percent(self) -> int:
        return max(0, min(100, int(self.rate or 0)))


def indicators_progress(*, action_ids: Iterable[int]) -> dict[int, list[IndicatorProgress]]:
    rows = Indicator.objects.filter(action_id__in=list(action_ids)).annotate(
        achieved=latest_approved_value()
    )
    grouped: dict[int, list[IndicatorProgress]] = defaultdict(list)
    for indicator in rows:
        grouped[indicator.action_id].append(IndicatorProgress(indicator, indicator.achieved))
    return grouped


def spent_subquery(outer: str = "report") -> Coalesce:
    return sum_subquery(Spending.objects.all(), outer)


@dataclass
class ActionPage:
    action: Action
    indicators: list[IndicatorProgress]
    planned: Decimal
    cnsa_planned: Decimal
    spent: Decimal
    reports: Sequence[ProgressReport]
    due: list[DueReport]
    free_periods: list[Period] = field(default_factory=list)

    @property
    def spent_rate(self) -> Decimal | None:
        return rate_percent(self.spent, self.planned)


def action_page(*, action: Action, today: datetime.date) -> ActionPage:
    """Everything the action page shows, in four queries."""
    money = Action.objects.filter(pk=action.pk).aggregate(
        planned=Sum("funding_lines__amount", default=ZERO),
        cnsa_planned=Sum(
            "funding_lines__amount",
            filter=Q(funding_lines__funder_id=action.axis.convention.funder_id),
            default=ZERO,
        ),
    )
    reports = list(
        ProgressReport.objects.filter(action=action)
        .select_related("submitted_by", "reviewed_by")
        .annotate(spent=spent_subquery())
        .order_by("period_start")
    )
    spent = sum((r.spent for r in reports if r.status == ProgressReport.Status.APPROVED), ZERO)
    rows = [
        {"status": r.status, "period_start": r.period_start, "period_end": r.period_end}
        for r in reports
    ]
    deadlines = calendars(conventions=[action.axis.convention])[action.axis.convention_id]
    taken = [(r.period_start, r.period_end) for r in reports]
    return ActionPage(
        action=action,
        indicators=indicators_progress(action_ids=[action.pk])[action.pk],
        planned=money["planned"],
        cnsa_planned=money["cnsa_planned"],
        spent=spent,
        reports=reports,
        due=due_reports(action, deadlines, rows, today),
        free_periods=[
            p
            for p in report_periods(action=action)
            if not any(s <= p.end and e >= p.start for s, e in taken)
        ],
    )


def review_queue(*, user) -> QuerySet[ProgressReport, ProgressReport]:
    return (
        ProgressReport.objects.visible_to(user)
        .filter(status=ProgressReport.Status.SUBMITTED)
        .select_related("action__axis__convention", "action__lead_organisation", "submitted_by")
        .annotate(spent=spent_subquery())
        .order_by("submitted_at", "pk")
    )


def reports_for(*, user) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.visible_to(user).select_related(
        "action__axis__convention", "action__lead_organisation", "submitted_by", "reviewed_by"
    )


@dataclass(frozen=True)
class ValueLine:
    progress: IndicatorProgress
    value: IndicatorValue | None


@dataclass
class ReportPage:
    report: ProgressReport
    lines: list[ValueLine]
    spendings: list[Spending]
    attachments: list[Attachment]
    history: list
    total_spent: Decimal
    reopenings: list = field(default_factory=list)


def report_page(*, report: ProgressReport) -> ReportPage:
    """The report beside the action's targets and what was achieved before it."""
    values = {v.indicator_id: v for v in report.values.all()}
    progress = indicators_progress(action_ids=[report.action_id])[report.action_id]
    spendings = list(report.spendings.select_related("funder").order_by("funder__name"))
    return ReportPage(
        report=report,
        lines=[ValueLine(p, values.get(p.indicator.pk)) for p in progress],
        spendings=spendings,
        attachments=list(report.attachments.select_related("uploaded_by")),
        history=list(report.history.select_related("history_user").order_by("history_date")),
        total_spent=sum((s.amount for s in spendings), ZERO),
        reopenings=list(report.reopenings.select_related("reopened_by")),
    )


def spending_funders(*, action: Action) -> list[Organisation]:
    """Whom the action's spending can be attributed to: its plan's funders, CNSA and the porteur."""
    convention: Convention = action.axis.convention
    return list(
        Organisation.objects.filter(
            Q(funding_lines__action=action)
            | Q(pk__in=[convention.funder_id, convention.beneficiary_id])
        )
        .distinct()
        .order_by("name")
    )
