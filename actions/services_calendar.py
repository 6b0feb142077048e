"""The reporting calendar: generated from the convention's terms, adjusted by CNSA officers.

Generation: a yearly report N months after each year end (6 by default, as the agreements say),
the final report N months after the convention ends (it replaces the last year's report), and the
interim reports (bilans d'étape) officers add on the dates the agreement gives."""

from __future__ import annotations

import calendar
import datetime
import logging
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from actions.models import ReportDeadline, ReportingTerms
from conventions.access import scope_for
from conventions.models import Convention
from core.history import set_history_user

logger = logging.getLogger(__name__)
DEFAULT_DELAY_MONTHS = 6
CALENDAR_STATUSES = (Convention.Status.SIGNED, Convention.Status.CLOSED)
Kind = ReportDeadline.Kind
Origin = ReportDeadline.Origin
WITHDRAWN_BY_AMENDMENT = "Retirée : la période de la convention a changé."


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day N months later; a month's last day stays the last day (31/12 + 6 → 30/06)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    at_month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return datetime.date(year, month, last if at_month_end else min(day.day, last))


@dataclass(frozen=True)
class DeadlineSpec:
    kind: str
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date


def calendar_specs(
    *,
    convention: Convention,
    annual_delay: int = DEFAULT_DELAY_MONTHS,
    final_delay: int = DEFAULT_DELAY_MONTHS,
) -> list[DeadlineSpec]:
    """The generated part of the calendar: one yearly report per year but the last, the final."""
    start, end = convention.start_date, convention.end_date
    specs = []
    for year in range(start.year, end.year):
        year_end = datetime.date(year, 12, 31)
        period_start = max(datetime.date(year, 1, 1), start)
        specs.append(
            DeadlineSpec(Kind.ANNUAL, period_start, year_end, add_months(year_end, annual_delay))
        )
    specs.append(DeadlineSpec(Kind.FINAL, start, end, add_months(end, final_delay)))
    return specs


def _require_officer(by: User | None) -> None:
    if not scope_for(by).is_officer:
        raise PermissionDenied("Seul un chargé de mission de la CNSA modifie le calendrier.")


def _same_slot(deadline: ReportDeadline, spec: DeadlineSpec) -> bool:
    if deadline.kind != spec.kind:
        return False
    return spec.kind == Kind.FINAL or deadline.period_end.year == spec.period_end.year


def _withdraw(deadline: ReportDeadline, reason: str, by: User | None) -> None:
    deadline.withdrawn_at, deadline.withdrawn_reason = timezone.now(), reason[:300]
    deadline.updated_by = by
    set_history_user(deadline, by)
    deadline.save()


def _apply(deadline: ReportDeadline, spec: DeadlineSpec, by: User | None) -> None:
    """Move a generated deadline to its new slot; a date an officer chose survives unless the
    period it was chosen for has changed."""
    moved = (deadline.period_start, deadline.period_end) != (spec.period_start, spec.period_end)
    if not moved and (deadline.origin == Origin.EDITED or deadline.due_on == spec.due_on):
        return
    deadline.period_start, deadline.period_end = spec.period_start, spec.period_end
    deadline.due_on, deadline.origin, deadline.updated_by = spec.due_on, Origin.GENERATED, by
    set_history_user(deadline, by)
    deadline.save()


@transaction.atomic
def reporting_calendar_sync(*, convention: Convention, by: User | None = None) -> ReportingTerms:
    """Bring the stored calendar in line with the convention's period and terms; idempotent."""
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    terms, _ = ReportingTerms.objects.get_or_create(convention=convention)
    specs = calendar_specs(
        convention=convention,
        annual_delay=terms.annual_delay_months,
        final_delay=terms.final_delay_months,
    )
    stored = list(ReportDeadline.objects.filter(convention=convention))
    existing = [d for d in stored if d.withdrawn_at is None]
    waived = [  # withdrawn by an officer: not brought back while their period stays the same
        d
        for d in stored
        if d.withdrawn_at is not None
        and d.withdrawn_reason != WITHDRAWN_BY_AMENDMENT
        and d.origin != Origin.MANUAL
    ]
    pairs: list[tuple[ReportDeadline, DeadlineSpec]] = []
    missing: list[DeadlineSpec] = []
    taken: set[int] = set()
    for spec in specs:
        match = next(
            (
                d
                for d in existing
                if d.pk not in taken and d.origin != Origin.MANUAL and _same_slot(d, spec)
            ),
            None,
        )
        if match is None:
            if not any(
                _same_slot(d, spec)
                and (d.period_start, d.period_end) == (spec.period_start, spec.period_end)
                for d in waived
            ):
                missing.append(spec)
        else:
            taken.add(match.pk)
            pairs.append((match, spec))
    for deadline in existing:
        outside = (
            deadline.period_end > convention.end_date or deadline.period_end < convention.start_date
        )
        if deadline.pk not in taken and (deadline.origin != Origin.MANUAL or outside):
            _withdraw(deadline, WITHDRAWN_BY_AMENDMENT, by)
    for deadline, spec in pairs:
        _apply(deadline, spec, by)
    for spec in missing:
        ReportDeadline.objects.create(
            convention=convention,
            kind=spec.kind,
            period_start=spec.period_start,
            period_end=spec.period_end,
            due_on=spec.due_on,
            updated_by=by,
        )
    terms.generated_start, terms.generated_end = convention.start_date, convention.end_date
    terms.save(update_fields=["generated_start", "generated_end", "updated_at"])
    return terms


def stale_calendars():
    """Signed or closed conventions whose calendar is missing or was made for another period."""
    return Convention.objects.filter(status__in=CALENDAR_STATUSES).filter(
        Q(reporting_terms__isnull=True)
        | ~Q(reporting_terms__generated_start=F("start_date"))
        | ~Q(reporting_terms__generated_end=F("end_date"))
        | Q(reporting_terms__generated_start__isnull=True)
    )


def reporting_calendars_sync_stale() -> int:
    """After a signature or an amendment (and once a day): regenerate what needs it."""
    conventions = list(stale_calendars())
    for convention in conventions:
        reporting_calendar_sync(convention=convention)
    return len(conventions)


@transaction.atomic
def reporting_terms_update(
    *, convention: Convention, annual_delay_months: int, final_delay_months: int, by: User
) -> ReportingTerms:
    _require_officer(by)
    errors = {
        name: "Le délai est compris entre 1 et 24 mois."
        for name, value in (
            ("annual_delay_months", annual_delay_months),
            ("final_delay_months", final_delay_months),
        )
        if not 1 <= value <= 24
    }
    if errors:
        raise ValidationError(errors)
    terms, _ = ReportingTerms.objects.get_or_create(convention=convention)
    terms.annual_delay_months, terms.final_delay_months = annual_delay_months, final_delay_months
    terms.updated_by = by
    set_history_user(terms, by)
    terms.save()
    return reporting_calendar_sync(convention=convention, by=by)


def _check_due(deadline: ReportDeadline, due_on: datetime.date) -> None:
    if due_on < deadline.period_end:
        raise ValidationError(
            {
                "due_on": f"L'échéance ne peut précéder la fin de la période couverte "
                f"({deadline.period_end:%d/%m/%Y})."
            }
        )
    if due_on.year > deadline.convention.end_date.year + 2:
        raise ValidationError(
            {"due_on": "L'échéance ne peut dépasser de plus de deux ans la fin de la convention."}
        )


@transaction.atomic
def report_deadline_reschedule(
    *, deadline: ReportDeadline, due_on: datetime.date, by: User
) -> ReportDeadline:
    _require_officer(by)
    if deadline.withdrawn_at is not None:
        raise ValidationError({"due_on": "Cette échéance a été retirée du calendrier."})
    _check_due(deadline, due_on)
    deadline.due_on, deadline.updated_by = due_on, by
    if deadline.origin == Origin.GENERATED:
        deadline.origin = Origin.EDITED
    set_history_user(deadline, by)
    deadline.save()
    return deadline


@transaction.atomic
def report_deadline_add_interim(
    *, convention: Convention, period_end: datetime.date, due_on: datetime.date, by: User
) -> ReportDeadline:
    """A bilan d'étape: what was done from the start of the convention to `period_end`."""
    _require_officer(by)
    if not convention.start_date <= period_end <= convention.end_date:
        raise ValidationError(
            {
                "period_end": f"La date doit être comprise dans la convention "
                f"({convention.start_date:%d/%m/%Y} – {convention.end_date:%d/%m/%Y})."
            }
        )
    deadline = ReportDeadline(
        convention=convention,
        kind=Kind.INTERIM,
        period_start=convention.start_date,
        period_end=period_end,
        due_on=due_on,
        origin=Origin.MANUAL,
        updated_by=by,
    )
    _check_due(deadline, due_on)
    if ReportDeadline.objects.active().filter(
        convention=convention, kind=Kind.INTERIM, period_end=period_end
    ):
        raise ValidationError({"period_end": "Un bilan d'étape est déjà prévu à cette date."})
    if not ReportingTerms.objects.filter(convention=convention).exists():
        reporting_calendar_sync(convention=convention, by=by)
    set_history_user(deadline, by)
    deadline.save()
    return deadline


@transaction.atomic
def report_deadline_withdraw(*, deadline: ReportDeadline, reason: str, by: User) -> ReportDeadline:
    """Nothing is deleted: the deadline leaves the calendar with its reason, reminders stop."""
    _require_officer(by)
    if not reason.strip():
        raise ValidationError({"reason": "Indiquez pourquoi cette échéance est retirée."})
    if deadline.withdrawn_at is not None:
        raise ValidationError({"reason": "Cette échéance a déjà été retirée."})
    _withdraw(deadline, reason.strip(), by)
    return deadline


def calendars_follow_conventions(**_: object) -> None:
    """Receiver of `convention_published_terms_changed` (after a signature or an amendment has
    committed). A failure is logged and never stops the other listeners; the daily task retries."""
    try:
        reporting_calendars_sync_stale()
    except Exception:
        logger.exception("reporting calendars not regenerated")
