"""Reminders of the reporting calendar, run every day by Celery beat.

Before a report is due (30 and 7 days), on the day, then every week while it is late, the people
who lead the action are reminded; the convention's officers get one digest of the day's
reminders. Each reminder is a notification with a dedup key (deadline, action, step): recorded
once, so e-mailed once, however many times the day's run happens. A transmitted report settles
its deadline and no reminder follows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse

from actions.models import Action, Kind, ReportDeadline
from actions.notifications import action_leads, officers
from actions.selectors_calendar import Deadline, State, deadline_state, owes, reports_by_action
from actions.services_calendar import reporting_calendars_sync_stale
from actions.services_notifications import Event, notifications_deliver_pending, notify
from conventions.models import Convention
from core.text import counted

BEFORE = ((-30, "j-30"), (-7, "j-7"), (0, "j0"))


def reminder_step(due_on: datetime.date, today: datetime.date) -> str | None:
    """The latest step reached by `today` (a missed day is caught up, an older step never)."""
    days = (today - due_on).days
    if days < -30:
        return None
    if days >= 7:
        return f"j+{days // 7 * 7}"
    return [name for offset, name in BEFORE if days >= offset][-1]


def _wording(step: str, deadline: Deadline) -> str:
    due = f"{deadline.due_on:%d/%m/%Y}"
    if step == "j0":
        return f"est à transmettre aujourd'hui ({due})"
    if step.startswith("j-"):
        return f"est à transmettre avant le {due} (dans {step[2:]} jours)"
    return f"est en retard : il était attendu le {due}"


@dataclass(frozen=True)
class Owed:
    action: Action
    deadline: Deadline
    step: str

    @property
    def line(self) -> str:
        return (
            f"{self.deadline.title} de l'action {self.action.code} « {self.action.title} » "
            f"({self.action.lead_organisation}) {_wording(self.step, self.deadline)}."
        )


def owed_today(*, today: datetime.date) -> list[Owed]:
    """Every (action, deadline) of a signed convention with a reminder step reached today."""
    deadlines = list(
        ReportDeadline.objects.active().filter(convention__status=Convention.Status.SIGNED)
    )
    by_convention: dict[int, list[ReportDeadline]] = defaultdict(list)
    for d in deadlines:
        if reminder_step(d.due_on, today):
            by_convention[d.convention_id].append(d)
    actions = list(
        Action.objects.filter(axis__convention_id__in=list(by_convention))
        .exclude(status=Action.Status.CANCELLED)
        .select_related("axis__convention", "lead_organisation")
        .order_by("axis__convention", "axis__number", "code")
    )
    reports = reports_by_action(a.pk for a in actions)
    owed = []
    for action in actions:
        for row in by_convention[action.axis.convention_id]:
            deadline = Deadline(
                row.pk, row.convention_id, row.kind, row.period_start, row.period_end, row.due_on
            )
            step = reminder_step(deadline.due_on, today)
            if (
                step
                and owes(action, deadline)
                and deadline_state(action, deadline, reports[action.pk], today) != State.DONE
            ):
                owed.append(Owed(action, deadline, step))
    return owed


def _remind_leads(item: Owed, today: datetime.date) -> int:
    late = item.step.startswith("j+")
    event = Event(
        kind=Kind.REMINDER,
        subject=(
            f"{'Retard' if late else 'Rappel'} : {item.deadline.title.lower()}, "
            f"action {item.action.code}"
        ),
        body=f"Le {item.line[0].lower()}{item.line[1:]}",
        link=reverse("actions:action", args=[item.action.pk]),
        dedup_key=f"reminder:{item.deadline.pk}:{item.action.pk}:{item.step}",
        action_id=item.action.pk,
        deadline_id=item.deadline.pk,
    )
    return len(notify(recipients=action_leads(item.action), event=event, today=today))


def _officers_digest(items: list[Owed], today: datetime.date) -> int:
    by_convention: dict[Convention, list[Owed]] = defaultdict(list)
    for item in items:
        by_convention[item.action.axis.convention].append(item)
    recorded = 0
    for convention, owed in by_convention.items():
        people: list[User] = list(officers(convention.funder_id))
        lines = "\n".join(f"- {o.line}" for o in owed)
        event = Event(
            kind=Kind.REMINDER,
            subject=f"Rappels du {today:%d/%m/%Y} : convention {convention.reference}",
            body=f"Les pilotes ont été relancés aujourd'hui pour {counted(len(owed), 'compte rendu', 'comptes rendus')} :\n{lines}",
            link=reverse("actions:calendar", args=[convention.pk]),
            dedup_key=f"officer-digest:{convention.pk}:{today:%Y-%m-%d}",
        )
        recorded += len(notify(recipients=people, event=event, today=today))
    return recorded


def reminders_send(*, today: datetime.date) -> int:
    """The daily run: record what is owed today (once), then e-mail what is pending. Returns the
    number of notifications recorded by this run."""
    reporting_calendars_sync_stale()
    with transaction.atomic():
        told = []
        recorded = 0
        for item in owed_today(today=today):
            count = _remind_leads(item, today)
            recorded += count
            yesterday = reminder_step(item.deadline.due_on, today - datetime.timedelta(days=1))
            if count or (yesterday != item.step and not action_leads(item.action).exists()):
                told.append(item)
        if told:
            recorded += _officers_digest(told, today)
    notifications_deliver_pending()
    return recorded
