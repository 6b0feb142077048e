"""Report jobs: ask, queue, claim, render, finish. Every write to a Report goes through here."""

from __future__ import annotations

import datetime
import logging
import uuid

import redis
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, transaction
from django.db import OperationalError as DatabaseError
from django.db.models import F, Q
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone
from django.utils.text import slugify
from kombu.exceptions import OperationalError as BrokerError

from conventions.models import Convention
from reporting import rendering, selectors
from reporting.broker import broker_task_ids
from reporting.models import Report

logger = logging.getLogger(__name__)

# One first try and three retries (transient errors) or three redeliveries (worker crashes).
MAX_ATTEMPTS = 4
BROKER_ERRORS = (BrokerError, ConnectionError, OSError)
# Worth retrying: the database or the network hiccuped. Anything else will fail the same way again.
TRANSIENT_ERRORS = (DatabaseError, InterfaceError, ConnectionError, TimeoutError)
BROKER_DOWN_MESSAGE = (
    "Le service de génération des rapports est momentanément indisponible. Votre demande est "
    "enregistrée et sera traitée automatiquement dès son rétablissement."
)

TRANSIENT_FAILURE = (
    "Le rapport n'a pas pu être produit : la base de données ou le stockage est resté "
    "indisponible après {attempts} tentatives. Demandez-le à nouveau un peu plus tard."
)
_TOO_LONG = (
    "Le rapport a dépassé le temps de génération autorisé. Essayez une période plus courte ou "
    "prévenez l'équipe technique."
)
_TEMPLATE_ERROR = (
    "Le modèle du rapport contient une erreur ; l'équipe technique doit le corriger ({})."
)
_UNEXPECTED = (
    "Le rapport n'a pas pu être produit à cause d'une erreur inattendue dans les données ou "
    "le calcul. L'équipe technique a été prévenue."
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


def report_request(
    *,
    convention: Convention,
    kind: str,
    by,
    year: int | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> Report:
    """A new job, or the queued/running one for the same convention, kind and period."""
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


def _hard_limit() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def report_claim(*, report_id: int, task_id: str) -> uuid.UUID | None:
    """Take the job with a conditional UPDATE; None when someone else has it or it is over.

    A report left `running` is taken again by a redelivery of its own task (the worker died,
    Celery requeued the message) or once it has run longer than the hard time limit.
    """
    now = timezone.now()
    claimable = (
        Q(status=Report.Status.QUEUED)
        | Q(status=Report.Status.RUNNING, task_id=task_id)
        | Q(status=Report.Status.RUNNING, started_at__lt=now - _hard_limit())
    )
    rows = Report.objects.filter(claimable, pk=report_id)
    token = uuid.uuid4()
    if rows.filter(attempts__lt=MAX_ATTEMPTS).update(
        status=Report.Status.RUNNING,
        started_at=now,
        finished_at=None,
        attempts=F("attempts") + 1,
        claim=token,
        error="",
    ):
        return token
    rows.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Report.Status.FAILED,
        finished_at=now,
        error=f"Le rapport n'a pas pu être produit après {MAX_ATTEMPTS} tentatives : le service "
        "de génération s'est arrêté pendant le calcul. Demandez-le à nouveau ; si l'échec se "
        "répète, prévenez l'équipe technique.",
    )
    return None


def report_generate(*, report_id: int, task_id: str) -> None:
    """The task's body: claim, render outside any transaction, store, mark done."""
    token = report_claim(report_id=report_id, task_id=task_id)
    if token is None:
        return
    report = Report.objects.get(pk=report_id)
    try:
        pdf = report_render(report=report)
    except SoftTimeLimitExceeded:
        report_fail(report_id=report_id, token=token, message=_TOO_LONG)
    except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
        logger.exception("Rapport %s : erreur dans le modèle", report_id)
        report_fail(
            report_id=report_id, token=token, message=_TEMPLATE_ERROR.format(str(exc)[:200])
        )
    except TRANSIENT_ERRORS:
        raise
    except Exception:
        logger.exception("Rapport %s : échec de la génération", report_id)
        report_fail(report_id=report_id, token=token, message=_UNEXPECTED)
    else:
        report_finish(report=report, token=token, pdf=pdf)


def report_render(*, report: Report) -> bytes:
    context = selectors.report_context(
        convention_id=report.convention_id,
        kind=report.kind,
        period_start=report.period_start,
        period_end=report.period_end,
    )
    return rendering.html_to_pdf(rendering.report_html(context))


def report_finish(*, report: Report, token: uuid.UUID, pdf: bytes) -> bool:
    """Store the file and mark done, only if this run still holds the claim."""
    report.file.save(report_filename(report=report), ContentFile(pdf), save=False)
    done = Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING, claim=token).update(
        status=Report.Status.DONE, file=report.file.name, finished_at=timezone.now(), error=""
    )
    if not done:  # a later run took the job over: its file is the one kept
        report.file.delete(save=False)
    return bool(done)


def report_fail(*, report_id: int, message: str, token: uuid.UUID | None = None) -> bool:
    rows = Report.objects.filter(pk=report_id, status__in=Report.ACTIVE_STATUSES)
    if token is not None:
        rows = rows.filter(claim=token)
    return bool(rows.update(status=Report.Status.FAILED, error=message, finished_at=timezone.now()))


def report_give_up(*, report_id: int, exc: BaseException) -> bool:
    """The job failed outside report_generate's hands: retries spent, or killed at the hard limit."""
    if isinstance(exc, TimeLimitExceeded):
        return report_fail(report_id=report_id, message=_TOO_LONG)
    attempts = Report.objects.filter(pk=report_id).values_list("attempts", flat=True).first()
    return report_fail(
        report_id=report_id, message=TRANSIENT_FAILURE.format(attempts=attempts or 1)
    )


def report_filename(*, report: Report) -> str:
    reference = slugify(report.convention.reference) or "convention"
    return (
        f"rapport-{reference}-{report.kind}-"
        f"{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}.pdf"
    )
