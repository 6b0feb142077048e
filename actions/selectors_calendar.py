"""Reads on the reporting calendar: what each action owes, when, and how late."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User

from actions.models import Action, ProgressReport, ReportDeadline, deadline_title
from actions.services_calendar import calendar_specs
from conventions.models import Convention

DONE = (ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED)
DUE_SOON_DAYS = 30


class State:
    UPCOMING = "upcoming"  # the period is not over yet
    DUE = "due"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DONE = "done"


STATE_LABELS = {
    State.UPCOMING: "À venir",
    State.DUE: "À rendre",
    State.DUE_SOON: "Échéance proche",
    State.OVERDUE: "En retard",
    State.DONE: "Transmis",
}


@dataclass(frozen=True)
class Deadline:
    pk: int | None
    convention_id: int
    kind: str
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    origin: str = ReportDeadline.Origin.GENERATED

    @property
    def title(self) -> str:
        return deadline_title(self.kind, self.period_start, self.period_end)

    @property
    def origin_label(self) -> str:
        return ReportDeadline.Origin(self.origin).label


def calendars(*, conventions: Iterable[Convention]) -> dict[int, list[Deadline]]:
    """Each convention's calendar in one query: the stored one, else the default terms'."""
    by_id = {c.pk: c for c in conventions}
    stored: dict[int, list[Deadline]] = defaultdict(list)
    seen: set[int] = set()
    rows = ReportDeadline.objects.filter(convention_id__in=list(by_id)).order_by("due_on", "pk")
    for row in rows:
        seen.add(row.convention_id)
        if row.withdrawn_at is None:
            stored[row.convention_id].append(
                Deadline(
                    row.pk,
                    row.convention_id,
                    row.kind,
                    row.period_start,
                    row.period_end,
                    row.due_on,
                    row.origin,
                )
            )
    result: dict[int, list[Deadline]] = {}
    for pk, convention in by_id.items():
        if pk in seen:
            result[pk] = stored[pk]
        else:
            specs = calendar_specs(convention=convention)
            result[pk] = [
                Deadline(None, pk, s.kind, s.period_start, s.period_end, s.due_on) for s in specs
            ]
    return result


@dataclass(frozen=True)
class DueReport:
    """One deadline as one action sees it."""

    deadline: Deadline
    state: str

    @property
    def due_on(self) -> datetime.date:
        return self.deadline.due_on

    @property
    def year(self) -> int:
        return self.deadline.period_end.year

    @property
    def title(self) -> str:
        return self.deadline.title

    @property
    def overdue(self) -> bool:
        return self.state == State.OVERDUE

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def label(self) -> str:
        when = "en retard depuis le" if self.overdue else "à transmettre avant le"
        return f"{self.title} {when} {self.due_on:%d/%m/%Y}"


def owes(action: Action, deadline: Deadline) -> bool:
    return (
        action.status != Action.Status.CANCELLED
        and action.start_date <= deadline.period_end
        and action.end_date >= deadline.period_start
    )


def covered(action: Action, deadline: Deadline, reports: Sequence[dict[str, Any]]) -> bool:
    """A transmitted report contains the last day of the deadline's period the action owes."""
    needed = min(deadline.period_end, action.end_date)
    return any(
        r["status"] in DONE and r["period_start"] <= needed <= r["period_end"] for r in reports
    )


def deadline_state(
    action: Action, deadline: Deadline, reports: Sequence[dict[str, Any]], today: datetime.date
) -> str:
    """Covered by a transmitted report that contains the last day the action owes."""
    needed = min(deadline.period_end, action.end_date)
    if covered(action, deadline, reports):
        return State.DONE
    if today > deadline.due_on:
        return State.OVERDUE
    if (deadline.due_on - today).days <= DUE_SOON_DAYS:
        return State.DUE_SOON
    return State.DUE if needed < today else State.UPCOMING


OPEN = (State.DUE, State.DUE_SOON, State.OVERDUE)


def due_reports(
    action: Action,
    deadlines: Sequence[Deadline],
    reports: Sequence[dict[str, Any]],
    today: datetime.date,
) -> list[DueReport]:
    """What the action still owes (due, due soon or overdue), earliest first."""
    due = [
        DueReport(d, deadline_state(action, d, reports, today))
        for d in deadlines
        if owes(action, d)
    ]
    return [d for d in due if d.state in OPEN]


def reports_by_action(action_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    rows = ProgressReport.objects.filter(action_id__in=list(action_ids)).values(
        "pk", "action_id", "period_start", "period_end", "status"
    )
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows.order_by("period_start"):
        grouped[row["action_id"]].append(dict(row))
    return grouped


@dataclass
class CalendarRow:
    deadline: Deadline
    owing: list[Action] = field(default_factory=list)
    done: int = 0
    late: list[Action] = field(default_factory=list)
    state: str = State.UPCOMING

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class ConventionCalendar:
    convention: Convention
    rows: list[CalendarRow]
    stored: bool

    @property
    def overdue(self) -> int:
        return sum(len(r.late) for r in self.rows)

    @property
    def next_due(self) -> CalendarRow | None:
        return next((r for r in self.rows if r.state in (State.DUE, State.DUE_SOON)), None)


def _worst(states: list[str]) -> str:
    for state in (State.OVERDUE, State.DUE_SOON, State.DUE, State.UPCOMING):
        if state in states:
            return state
    return State.DONE


def convention_calendars(
    *, conventions: Sequence[Convention], today: datetime.date, user: User
) -> dict[int, ConventionCalendar]:
    """Each convention's deadlines with who owes them and who is late, in three queries; only the
    actions the user may see (a union never reads another union's actions)."""
    by_convention = calendars(conventions=conventions)
    actions = list(
        Action.objects.visible_to(user)
        .filter(axis__convention__in=list(conventions))
        .select_related("lead_organisation", "axis")
        .order_by("axis__number", "code")
    )
    reports = reports_by_action(a.pk for a in actions)
    result = {}
    for convention in conventions:
        own = [a for a in actions if a.axis.convention_id == convention.pk]
        rows = []
        for deadline in by_convention[convention.pk]:
            row = CalendarRow(deadline)
            states = []
            for action in own:
                if not owes(action, deadline):
                    continue
                state = deadline_state(action, deadline, reports[action.pk], today)
                row.owing.append(action)
                row.done += state == State.DONE
                if state == State.OVERDUE:
                    row.late.append(action)
                states.append(state)
            row.state = _worst(states)
            rows.append(row)
        stored = any(d.pk is not None for d in by_convention[convention.pk])
        result[convention.pk] = ConventionCalendar(convention, rows, stored)
    return result


def convention_calendar(
    *, convention: Convention, today: datetime.date, user: User
) -> ConventionCalendar:
    return convention_calendars(conventions=[convention], today=today, user=user)[convention.pk]
