"""Report jobs: ask, queue, requeue; running them is in services_render. Every write to a Report
goes through these two modules."""

from __future__ import annotations

import datetime
import logging

import redis
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from conventions.models import Convention
from reporting import selectors
from reporting.broker import broker_task_ids
from reporting.models import Report
from reporting.services_render import (  # noqa: F401 (the tasks and tests call them here)
    MAX_ATTEMPTS,
    TRANSIENT_ERRORS,
    TRANSIENT_FAILURE,
    _hard_limit,
    report_claim,
    report_editable,
    report_fail,
    report_filename,
    report_finish,
    report_generate,
    report_give_up,
    report_render,
)

logger = logging.getLogger(__name__)

BROKER_ERRORS = (BrokerError, ConnectionError, OSError)
BROKER_DOWN_MESSAGE = (
    "Le service de génération des rapports est momentanément indisponible. Votre demande est "
    "enregistrée et sera traitée automatiquement dès son rétablissement."
)

REQUEST_REFUSED = (
    "Seuls les chargés de mission CNSA et les coordinateurs du porteur demandent des rapports."
)


def report_period(
    *,
    convention: Convention,
    kind: str,
    year: int | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> tuple[datetime.date, datetime.date]:
    """The dates a report covers: the whole convention, a budget year, or a chosen period."""
    if kind == Report.Kind.FINAL:
        return convention.start_date, convention.end_date
    if kind == Report.Kind.ANNUAL:
        return _annual_period(convention, year)
    if kind == Report.Kind.INTERIM:
        return _interim_period(convention, period_start, period_end)
    raise ValidationError({"kind": "Type de rapport inconnu."})


def _annual_period(convention: Convention, year: int | None) -> tuple[datetime.date, datetime.date]:
    years = convention.years
    if year is None:
        raise ValidationError({"year": "Indiquez l'année du rapport annuel."})
    if year not in years:
        raise ValidationError(
            {"year": f"L'année doit être comprise entre {years.start} et {years.stop - 1}."}
        )
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _interim_period(
    convention: Convention, start: datetime.date | None, end: datetime.date | None
) -> tuple[datetime.date, datetime.date]:
    start = start or convention.start_date
    if end is None:
        raise ValidationError({"period_end": "Indiquez la fin de la période du bilan d'étape."})
    if start > end:
        raise ValidationError({"period_end": "La fin de la période doit suivre son début."})
    if start < convention.start_date or end > convention.end_date:
        raise ValidationError(
            {
                "period_start": "La période doit être comprise dans celle de la convention "
                f"(du {convention.start_date:%d/%m/%Y} au {convention.end_date:%d/%m/%Y})."
            }
        )
    return start, end


def report_request_check(*, user, convention: Convention) -> None:
    if not selectors.report_may_request(user=user, convention=convention):
        raise PermissionDenied(REQUEST_REFUSED)


def report_request(
    *,
    convention: Convention,
    kind: str,
    by,
    year: int | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> Report:
    """A new job, or the queued/running one for the same convention, kind and period.
    Who may ask is decided here, so the page, the admin and the API refuse alike."""
    report_request_check(user=by, convention=convention)
    start, end = report_period(
        convention=convention,
        kind=kind,
        year=year,
        period_start=period_start,
        period_end=period_end,
    )
    same = {"convention": convention, "kind": kind, "period_start": start, "period_end": end}
    with transaction.atomic():
        existing = Report.objects.active().filter(**same).first()
        if existing:
            return existing
        try:
            with transaction.atomic():
                report = Report.objects.create(**same, requested_by=by)
        except IntegrityError:  # a concurrent request created it first: the constraint says so
            return Report.objects.active().get(**same)
        transaction.on_commit(lambda: _enqueue_new(report))
    return report


def _enqueue_new(report: Report) -> None:
    # Only the call that created the job tells its user the broker was down: one that finds the
    # job already there (a concurrent identical request) answers with it, never a false alarm.
    report.broker_down = not report_enqueue(report=report)


def report_enqueue(*, report: Report) -> bool:
    """Hand the job to Celery; when the broker is down the row stays queued for requeue_reports."""
    from reporting.tasks import generate_report  # tasks import this module

    try:
        generate_report.apply_async(args=[report.pk], task_id=report.task_id)
    except BROKER_ERRORS:
        logger.warning("Rapport %s : file de travaux injoignable, demande conservée", report.pk)
        return False
    report.enqueued_at = timezone.now()
    Report.objects.filter(pk=report.pk).update(enqueued_at=report.enqueued_at)
    return True


def report_broker_was_down(*, report: Report) -> bool:
    """True when this request created the job and the broker refused it (the job stays queued).

    Inside an atomic block the job is only sent at commit: nothing is known yet.
    """
    return report.broker_down


def reports_requeue(*, queued_for: datetime.timedelta | None = None) -> int:
    """Send again what the broker never got or lost (Redis keeps nothing on disk).

    A queued job is sent again when it never reached the broker, or when the broker no longer
    holds its message; one that waits its turn in the queue is left alone, so a job is never
    sent twice while it waits, and a running one is never started a second time.
    """
    if queued_for is None:
        queued_for = datetime.timedelta(seconds=settings.REPORT_REQUEUE_AFTER_SECONDS)
    now = timezone.now()
    never_sent = Report.objects.filter(status=Report.Status.QUEUED, enqueued_at__isnull=True)
    waiting = Report.objects.filter(status=Report.Status.QUEUED, enqueued_at__lt=now - queued_for)
    abandoned = Report.objects.filter(
        status=Report.Status.RUNNING, started_at__lt=now - _hard_limit()
    )
    lost: list[Report] = []
    if waiting.exists():
        held = _broker_task_ids()
        if held is None:
            return 0  # the broker is still down: nothing can be sent
        lost = [report for report in waiting if report.task_id not in held]
    stuck = sorted([*never_sent, *lost, *abandoned], key=lambda report: report.queued_at)
    return sum(report_enqueue(report=report) for report in stuck)


def _broker_task_ids() -> set[str] | None:
    if not settings.REDIS_URL:
        return set()
    from reporting.tasks import generate_report  # tasks import this module

    try:
        return broker_task_ids(queue=generate_report.app.conf.task_default_queue)
    except BROKER_ERRORS + (redis.RedisError,):
        logger.warning("Renvoi des rapports : file de travaux injoignable, nouvel essai plus tard")
        return None
