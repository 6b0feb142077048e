"""Running a report job: claim it, render the PDF, store it or record why it failed."""

from __future__ import annotations

import datetime
import logging
import uuid

from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError
from django.db import OperationalError as DatabaseError
from django.db.models import F, Q
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone
from django.utils.text import slugify

from reporting import selectors
from reporting.models import Report

logger = logging.getLogger(__name__)

# One first try and three retries (transient errors) or three redeliveries (worker crashes).
MAX_ATTEMPTS = 4
# Worth retrying: the database or the network hiccuped. Anything else will fail the same way again.
TRANSIENT_ERRORS = (DatabaseError, InterfaceError, ConnectionError, TimeoutError)

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
    # WeasyPrint and pikepdf (60 MB) load with the first report, not in every web worker.
    from reporting import parts

    return parts.report_pdf(_context(report))


def report_editable(*, report: Report) -> bytes:
    """The same report as an ODT document, on the data of the day."""
    from reporting import odt

    return odt.report_odt(_context(report))


def _context(report: Report):
    return selectors.report_context(
        convention_id=report.convention_id,
        kind=report.kind,
        period_start=report.period_start,
        period_end=report.period_end,
        prepared_by=_full_name(report.requested_by),
    )


def _full_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


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


def report_filename(*, report: Report, extension: str = "pdf") -> str:
    reference = slugify(report.convention.reference) or "convention"
    return (
        f"rapport-{reference}-{report.kind}-"
        f"{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}.{extension}"
    )
