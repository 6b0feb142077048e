"""Keep ActionDue exact: the earliest deadline each action owes and has not covered.

The rule is the calendar's own (actions.selectors_calendar: `owes`, `covered`), applied to an action's
reports and its convention's deadlines; it does not depend on the day, so it is stored and lateness
becomes `first_open_due_on < today`. Receivers of the model signals refresh it in the transaction of
each write, whatever its door (pages, API, admin, services): a report saved or deleted, an action
saved (dates, status, axis), a deadline saved or deleted, a convention's dates when its calendar is
still the default one. Bulk loads skip signals: they call `rebuild_due` afterwards.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from actions.models import Action, ActionDue, ProgressReport, ReportDeadline
from actions.selectors_calendar import calendars, covered, owes, reports_by_action
from conventions.models import Convention

CHUNK = 2000


def first_open_due_dates(actions: Sequence[Action]) -> dict[int, datetime.date | None]:
    """For each action (with `axis__convention` loaded), in three queries whatever their number."""
    reports = reports_by_action(a.pk for a in actions)
    deadlines = calendars(conventions={a.axis.convention for a in actions})
    return {
        a.pk: min(
            (
                d.due_on
                for d in deadlines[a.axis.convention_id]
                if owes(a, d) and not covered(a, d, reports[a.pk])
            ),
            default=None,
        )
        for a in actions
    }


def _chunks(actions) -> Iterator[list[Action]]:
    chunk: list[Action] = []
    for action in actions.select_related("axis__convention").order_by("pk").iterator(CHUNK):
        chunk.append(action)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _store(actions, *, insert: bool = True) -> int:
    """Write each action's date; `insert=False` only updates existing rows (during a deletion an
    action may be on its way out: a new row would then point at a deleted action)."""
    stored = 0
    for chunk in _chunks(actions):
        rows = [
            ActionDue(action_id=pk, first_open_due_on=d)
            for pk, d in first_open_due_dates(chunk).items()
        ]
        if insert:
            ActionDue.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["action"],
                update_fields=["first_open_due_on"],
            )
        else:  # one UPDATE for the chunk; rows already gone stay gone
            ActionDue.objects.bulk_update(rows, ["first_open_due_on"])
        stored += len(rows)
    return stored


def refresh_due(action_ids: Iterable[int], *, insert: bool = True) -> None:
    _store(Action.objects.filter(pk__in=list(action_ids)), insert=insert)


def refresh_convention_due(convention_id: int, *, insert: bool = True) -> None:
    _store(Action.objects.filter(axis__convention_id=convention_id), insert=insert)


def rebuild_due() -> int:
    """Every action's row, from its reports and calendar: after a bulk load, or to repair."""
    return _store(Action.objects.all())


@dataclass(frozen=True)
class DueDifference:
    action_id: int
    stored: datetime.date | None
    expected: datetime.date | None

    def __str__(self) -> str:
        return f"action {self.action_id} : enregistré {self.stored}, attendu {self.expected}"


def due_differences() -> list[DueDifference]:
    """Every action whose stored date differs from the rule (a missing row reads as none)."""
    differences = []
    for chunk in _chunks(Action.objects.all()):
        stored = dict(
            ActionDue.objects.filter(action__in=[a.pk for a in chunk]).values_list(
                "action_id", "first_open_due_on"
            )
        )
        for pk, expected in first_open_due_dates(chunk).items():
            if stored.get(pk) != expected:
                differences.append(DueDifference(pk, stored.get(pk), expected))
    return differences


def _report_saved(sender, instance: ProgressReport, **kwargs) -> None:
    refresh_due([instance.action_id])


def _report_deleted(sender, instance: ProgressReport, **kwargs) -> None:
    refresh_due([instance.action_id], insert=False)


def _action_saved(sender, instance: Action, **kwargs) -> None:
    refresh_due([instance.pk])


def _deadline_saved(sender, instance: ReportDeadline, **kwargs) -> None:
    refresh_convention_due(instance.convention_id)


def _deadline_deleted(sender, instance: ReportDeadline, **kwargs) -> None:
    refresh_convention_due(instance.convention_id, insert=False)


def _convention_saved(sender, instance: Convention, created: bool = False, **kwargs) -> None:
    """Without stored deadlines the calendar follows the convention's dates."""
    if not created and not ReportDeadline.objects.filter(convention_id=instance.pk).exists():
        refresh_convention_due(instance.pk)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_report_saved, ProgressReport, dispatch_uid="due.report.saved")
    post_delete.connect(_report_deleted, ProgressReport, dispatch_uid="due.report.deleted")
    post_save.connect(_action_saved, Action, dispatch_uid="due.action.saved")
    post_save.connect(_deadline_saved, ReportDeadline, dispatch_uid="due.deadline.saved")
    post_delete.connect(_deadline_deleted, ReportDeadline, dispatch_uid="due.deadline.deleted")
    post_save.connect(_convention_saved, Convention, dispatch_uid="due.convention.saved")
