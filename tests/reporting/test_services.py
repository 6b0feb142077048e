"""The report job: asking, de-duplicating, queueing on commit, requeueing, redelivery."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from reporting import services
from reporting.models import Report
from reporting.tasks import generate_report

pytestmark = pytest.mark.django_db


def _final(convention, by, **extra):
    return services.report_request(convention=convention, kind="final", by=by, **extra)


def test_asking_for_a_final_report_queues_it_on_commit_and_the_task_makes_the_pdf(
    lyon, porteur, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = _final(lyon, porteur)

    report.refresh_from_db()
    assert len(callbacks) == 1
    assert report.status == Report.Status.DONE
    assert (report.period_start, report.period_end) == (lyon.start_date, lyon.end_date)
    assert report.requested_by == porteur
    assert report.attempts == 1
    assert report.file.name.startswith("reports/")
    assert report.file.name.endswith(".pdf")
    assert report.file.read(5) == b"%PDF-"
    assert report.enqueued_at is not None
    assert report.started_at <= report.finished_at


def test_nothing_is_queued_when_the_transaction_rolls_back(lyon, porteur, monkeypatch):
    sent = []
    monkeypatch.setattr(generate_report, "apply_async", lambda *a, **k: sent.append(k))

    with pytest.raises(RuntimeError), transaction.atomic():
        _final(lyon, porteur)
        raise RuntimeError

    assert sent == []
    assert Report.objects.count() == 0


def test_asking_again_while_queued_returns_the_same_report(lyon, porteur, officer):
    first = _final(lyon, porteur)

    again = _final(lyon, officer)

    assert again.pk == first.pk
    assert Report.objects.count() == 1


def test_asking_again_once_done_makes_a_new_report(lyon, porteur):
    first = _final(lyon, porteur)
    Report.objects.filter(pk=first.pk).update(status=Report.Status.DONE)

    second = _final(lyon, porteur)

    assert second.pk != first.pk
    assert Report.objects.count() == 2


def test_the_database_refuses_a_second_active_report_for_the_same_period(lyon, porteur):
    first = _final(lyon, porteur)

    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            convention=lyon,
            kind="final",
            period_start=first.period_start,
            period_end=first.period_end,
            status=Report.Status.RUNNING,
        )

    assert Report.objects.count() == 1


def test_an_annual_report_covers_its_budget_year(lyon, porteur):
    report = services.report_request(convention=lyon, kind="annual", year=2017, by=porteur)

    assert (report.period_start, report.period_end) == (
        datetime.date(2017, 1, 1),
        datetime.date(2017, 12, 31),
    )


@pytest.mark.parametrize(
    ("kind", "extra", "field", "message"),
    [
        ("annual", {}, "year", "Indiquez l'année du rapport annuel."),
        ("annual", {"year": 2019}, "year", "L'année doit être comprise entre 2016 et 2017."),
        ("interim", {}, "period_end", "Indiquez la fin de la période du bilan d'étape."),
        (
            "interim",
            {"period_start": datetime.date(2017, 6, 1), "period_end": datetime.date(2017, 1, 1)},
            "period_end",
            "La fin de la période doit suivre son début.",
        ),
        (
            "interim",
            {"period_end": datetime.date(2018, 6, 30)},
            "period_start",
            "La période doit être comprise dans celle de la convention (du 01/01/2016 au 31/12/2017).",
        ),
        ("weekly", {}, "kind", "Type de rapport inconnu."),
    ],
)
def test_it_refuses_a_period_that_does_not_fit(lyon, porteur, kind, extra, field, message):
    with pytest.raises(ValidationError) as refused:
        services.report_request(convention=lyon, kind=kind, by=porteur, **extra)

    assert refused.value.message_dict == {field: [message]}
    assert Report.objects.count() == 0


def test_when_redis_is_unreachable_the_report_stays_queued_and_requeue_sends_it_later(
    lyon, porteur, monkeypatch, django_capture_on_commit_callbacks
):
    real_apply_async = generate_report.apply_async

    def broker_down(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(generate_report, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        report = _final(lyon, porteur)
    report.refresh_from_db()
    assert (report.status, report.enqueued_at) == (Report.Status.QUEUED, None)

    monkeypatch.setattr(generate_report, "apply_async", real_apply_async)
    call_command("requeue_reports")

    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    assert report.enqueued_at is not None


def test_requeue_leaves_recent_and_finished_reports_alone(lyon, porteur, monkeypatch):
    sent = []
    monkeypatch.setattr(generate_report, "apply_async", lambda *a, **k: sent.append(k["task_id"]))
    recent = _final(lyon, porteur)
    Report.objects.filter(pk=recent.pk).update(enqueued_at=timezone.now())
    done = services.report_request(convention=lyon, kind="annual", year=2016, by=porteur)
    Report.objects.filter(pk=done.pk).update(status=Report.Status.DONE)

    assert services.reports_requeue() == 0
    assert sent == []


def test_a_second_delivery_of_a_finished_job_does_nothing(lyon, porteur):
    report = _final(lyon, porteur)
    generate_report.apply(args=[report.pk], task_id=report.task_id)
    report.refresh_from_db()
    first_file, first_finish = report.file.name, report.finished_at

    generate_report.apply(args=[report.pk], task_id=report.task_id)

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.DONE, 1)
    assert (report.file.name, report.finished_at) == (first_file, first_finish)


def test_a_redelivered_job_left_running_by_a_dead_worker_is_taken_again(lyon, porteur):
    report = _final(lyon, porteur)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, attempts=1, started_at=timezone.now()
    )

    generate_report.apply(args=[report.pk], task_id=report.task_id)

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.DONE, 2)
