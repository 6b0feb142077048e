"""Running a report job: one claim at a time, only the latest claimer may finish, failures end
`failed` with a French reason, and the file is named after the convention and the period."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.db import OperationalError
from django.utils import timezone

from reporting import services_render
from reporting.models import Report
from reporting.services_render import (
    MAX_ATTEMPTS,
    report_claim,
    report_fail,
    report_filename,
    report_finish,
    report_generate,
    report_give_up,
)

pytestmark = pytest.mark.django_db

TINY_PDF = b"%PDF-1.7 tiny"


@pytest.fixture
def report(lyon, porteur):
    return Report.objects.create(
        convention=lyon,
        kind="final",
        period_start=lyon.start_date,
        period_end=lyon.end_date,
        requested_by=porteur,
    )


def _running(report, *, attempts=1, started_at=None) -> None:
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, attempts=attempts, started_at=started_at or timezone.now()
    )


def test_claiming_a_queued_report_twice_gives_only_one_claim(report):
    first = report_claim(report_id=report.pk, task_id=report.task_id)
    second = report_claim(report_id=report.pk, task_id="another-task")

    report.refresh_from_db()
    assert first is not None and second is None
    assert (report.status, report.attempts, report.claim) == (Report.Status.RUNNING, 1, first)
    assert report.started_at is not None and report.finished_at is None


def test_another_task_cannot_take_a_running_job(report):
    _running(report)

    assert report_claim(report_id=report.pk, task_id="another-task") is None

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.RUNNING, 1)


def test_a_redelivery_of_the_same_task_takes_the_job_again_with_a_new_token(report):
    first = report_claim(report_id=report.pk, task_id=report.task_id)

    again = report_claim(report_id=report.pk, task_id=report.task_id)

    report.refresh_from_db()
    assert again is not None and again != first
    assert (report.attempts, report.claim) == (2, again)


def test_a_job_running_past_the_hard_time_limit_may_be_taken_by_anyone(report, settings):
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    _running(report, started_at=long_ago)

    assert report_claim(report_id=report.pk, task_id="the-requeued-one") is not None


def test_a_finished_report_cannot_be_claimed(report):
    Report.objects.filter(pk=report.pk).update(status=Report.Status.DONE, attempts=1)

    assert report_claim(report_id=report.pk, task_id=report.task_id) is None

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.DONE, 1)


def test_a_job_that_used_all_its_attempts_fails_instead_of_being_claimed(report):
    _running(report, attempts=MAX_ATTEMPTS)

    assert report_claim(report_id=report.pk, task_id=report.task_id) is None

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.FAILED, 4)
    assert report.error.startswith("Le rapport n'a pas pu être produit après 4 tentatives")


def test_the_claimer_stores_the_file_and_marks_the_report_done(report):
    token = report_claim(report_id=report.pk, task_id=report.task_id)

    assert report_finish(report=report, token=token, pdf=TINY_PDF) is True

    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    assert report.file.name.endswith("rapport-cnsa-lyon-2016-final-20160101-20171231.pdf")
    assert report.file.read() == TINY_PDF
    assert report.finished_at is not None


def test_a_run_that_lost_its_claim_does_not_mark_done_and_drops_its_file(report, monkeypatch):
    stale = report_claim(report_id=report.pk, task_id=report.task_id)
    report_claim(report_id=report.pk, task_id=report.task_id)  # the redelivery
    storage = report.file.storage
    saved: list[str] = []
    real_save = storage.save

    def spy(name, content, max_length=None):
        saved.append(real_save(name, content, max_length=max_length))
        return saved[-1]

    monkeypatch.setattr(storage, "save", spy)

    kept = report_finish(report=report, token=stale, pdf=b"%PDF-old")

    report.refresh_from_db()
    assert kept is False
    assert (report.status, report.file.name) == (Report.Status.RUNNING, "")
    assert len(saved) == 1 and not storage.exists(saved[0])


def test_failing_needs_the_current_token_when_one_is_given(report):
    token = report_claim(report_id=report.pk, task_id=report.task_id)
    newer = report_claim(report_id=report.pk, task_id=report.task_id)

    assert report_fail(report_id=report.pk, token=token, message="trop tard") is False
    assert report_fail(report_id=report.pk, token=newer, message="Échec expliqué.") is True

    report.refresh_from_db()
    assert (report.status, report.error) == (Report.Status.FAILED, "Échec expliqué.")
    assert report.finished_at is not None


def test_a_finished_report_is_never_turned_into_a_failure(report):
    Report.objects.filter(pk=report.pk).update(status=Report.Status.DONE)

    assert report_fail(report_id=report.pk, message="Échec") is False

    report.refresh_from_db()
    assert (report.status, report.error) == (Report.Status.DONE, "")


def test_giving_up_after_the_hard_time_limit_says_the_report_took_too_long(report):
    _running(report)

    assert report_give_up(report_id=report.pk, exc=TimeLimitExceeded(360)) is True

    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error.startswith("Le rapport a dépassé le temps de génération autorisé.")


def test_giving_up_after_transient_errors_says_how_many_tries_were_made(report):
    _running(report, attempts=3)

    report_give_up(report_id=report.pk, exc=OperationalError("connection refused"))

    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert "indisponible après 3 tentatives" in report.error


def test_the_job_stores_what_the_renderer_returns(report, monkeypatch):
    monkeypatch.setattr(services_render, "report_render", lambda *, report: TINY_PDF)

    report_generate(report_id=report.pk, task_id=report.task_id)

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.DONE, 1)
    assert report.file.read() == TINY_PDF


def test_a_render_stopped_at_the_soft_time_limit_fails_with_a_french_message(report, monkeypatch):
    def too_slow(*, report):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services_render, "report_render", too_slow)

    report_generate(report_id=report.pk, task_id=report.task_id)

    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error.startswith("Le rapport a dépassé le temps de génération autorisé.")


def test_a_transient_error_is_raised_for_celery_to_retry_and_the_job_stays_running(
    report, monkeypatch
):
    def database_down(*, report):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services_render, "report_render", database_down)

    with pytest.raises(OperationalError):
        report_generate(report_id=report.pk, task_id=report.task_id)

    report.refresh_from_db()
    assert (report.status, report.error) == (Report.Status.RUNNING, "")


def test_the_file_is_named_after_the_convention_kind_and_period(report):
    assert report_filename(report=report) == "rapport-cnsa-lyon-2016-final-20160101-20171231.pdf"
    assert report_filename(report=report, extension="odt").endswith("-20171231.odt")


def test_a_reference_without_letters_or_digits_still_gives_a_filename(report):
    report.convention.reference = "« — »"

    assert report_filename(report=report).startswith("rapport-convention-final-")


def test_a_web_worker_loads_the_pdf_libraries_only_with_its_first_report():
    """Every route imported, as a web worker serving its first requests: WeasyPrint, pikepdf and
    odfpy (some 60 MB of a worker's memory) are not loaded yet."""
    script = (
        "import sys, django; django.setup(); from config.wsgi import application; "
        "from django.urls import get_resolver; "
        "walk = lambda r: [walk(p) for p in r.url_patterns if hasattr(p, 'url_patterns')]; "
        "walk(get_resolver()); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'weasyprint', 'pikepdf', 'odf'}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )

    assert done.stdout.strip().splitlines()[-1] == "[]"
