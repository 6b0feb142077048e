"""With a real Celery worker on Redis: the job runs, and survives its worker being killed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reporting import services
from reporting.models import Report
from reporting.tasks import generate_report
from tests.reporting.pdf_text import LYON_FIGURES, pdf_text

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _watch(report: Report, until: set[str], timeout: float) -> list[str]:
    """The statuses the report went through, polled until one of `until` or the timeout."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if not seen or seen[-1] != report.status:
            seen.append(report.status)
        if report.status in until:
            return seen
        time.sleep(0.1)
    pytest.fail(f"report still {report.status} after {timeout} s (seen: {seen})")


def _limits(monkeypatch, *, soft: int | None, hard: int | None) -> None:
    """Time limits travel in the message: the sender's task options (cached once) decide them."""
    monkeypatch.setattr(generate_report, "soft_time_limit", soft)
    monkeypatch.setattr(generate_report, "time_limit", hard)
    monkeypatch.setattr(generate_report, "_exec_options", None)


def test_a_worker_takes_the_report_from_queued_to_running_to_done(workers, lyon, porteur):
    workers.start(REPORT_RENDER_DELAY_SECONDS="2")

    report = services.report_request(convention=lyon, kind="final", by=porteur)

    seen = _watch(report, {"done", "failed"}, timeout=90)
    assert seen[-2:] == ["running", "done"]
    assert seen[0] in {"queued", "running"}
    assert report.attempts == 1
    assert report.enqueued_at <= report.started_at <= report.finished_at
    text = pdf_text(report.file.read())
    assert all(figure in text for figure in LYON_FIGURES)


def test_a_report_whose_worker_is_killed_mid_render_ends_done_once(
    workers, lyon, porteur, settings
):
    # A short visibility timeout so that Redis gives the unacknowledged job back in seconds.
    slow = workers.start(REPORT_RENDER_DELAY_SECONDS="60", CELERY_VISIBILITY_TIMEOUT="5")
    report = services.report_request(convention=lyon, kind="final", by=porteur)
    _watch(report, {"running"}, timeout=60)

    workers.kill_hard(slow)
    workers.start(CELERY_VISIBILITY_TIMEOUT="5")

    _watch(report, {"done", "failed"}, timeout=120)
    assert (report.status, report.attempts, report.error) == (Report.Status.DONE, 2, "")
    time.sleep(8)  # past another visibility timeout: no third delivery, no second file
    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.DONE, 2)
    pdfs = list((Path(report.file.storage.location) / "reports").rglob("*.pdf"))
    assert [p.name for p in pdfs] == [Path(report.file.name).name]
    text = pdf_text(report.file.read())
    assert all(figure in text for figure in LYON_FIGURES)


def test_a_render_past_the_soft_time_limit_fails_with_a_french_message(
    workers, lyon, porteur, monkeypatch
):
    _limits(monkeypatch, soft=2, hard=generate_report.time_limit or 360)
    workers.start(REPORT_RENDER_DELAY_SECONDS="30")

    report = services.report_request(convention=lyon, kind="final", by=porteur)

    _watch(report, {"done", "failed"}, timeout=60)
    assert (report.status, report.attempts) == (Report.Status.FAILED, 1)
    assert report.error == (
        "Le rapport a dépassé le temps de génération autorisé. Essayez une période plus courte "
        "ou prévenez l'équipe technique."
    )
    assert report.file.name == ""
