"""Failures end `failed` with a French reason, after a bounded number of tries."""

from __future__ import annotations

import pytest
from celery.exceptions import TimeLimitExceeded
from django.db import OperationalError
from django.template import Context, Template
from django.utils import timezone

from reporting import rendering, selectors, services
from reporting.models import Report
from reporting.tasks import generate_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(lyon, porteur):
    return services.report_request(convention=lyon, kind="final", by=porteur)


def _run(report: Report) -> Report:
    generate_report.apply(args=[report.pk], task_id=report.task_id)
    report.refresh_from_db()
    return report


def test_a_template_error_fails_at_once_with_a_french_message(report, monkeypatch):
    def broken_template(*args, **kwargs):
        return Template("{% if %}").render(Context())

    monkeypatch.setattr(rendering, "render_to_string", broken_template)

    report = _run(report)

    assert (report.status, report.attempts) == (Report.Status.FAILED, 1)
    assert report.error.startswith(
        "Le modèle du rapport contient une erreur ; l'équipe technique doit le corriger ("
    )
    assert report.file.name == ""
    assert report.finished_at is not None


def test_poison_data_fails_at_once_without_retrying(report, monkeypatch):
    calls = []

    def poison(**kwargs):
        calls.append(kwargs)
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(selectors, "report_context", poison)

    report = _run(report)

    assert len(calls) == 1
    assert (report.status, report.attempts) == (Report.Status.FAILED, 1)
    assert report.error == (
        "Le rapport n'a pas pu être produit à cause d'une erreur inattendue dans les données ou "
        "le calcul. L'équipe technique a été prévenue."
    )


def test_a_transient_database_error_is_retried_then_fails_after_four_tries(report, monkeypatch):
    calls = []

    def database_down(**kwargs):
        calls.append(kwargs)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "report_context", database_down)

    report = _run(report)

    assert len(calls) == services.MAX_ATTEMPTS == 4
    assert (report.status, report.attempts) == (Report.Status.FAILED, 4)
    assert report.error == (
        "Le rapport n'a pas pu être produit : la base de données ou le stockage est resté "
        "indisponible après 4 tentatives. Demandez-le à nouveau un peu plus tard."
    )


def test_a_transient_error_that_clears_up_ends_done(report, monkeypatch):
    real = selectors.report_context
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("could not connect to server")
        return real(**kwargs)

    monkeypatch.setattr(selectors, "report_context", flaky)

    report = _run(report)

    assert (report.status, report.attempts, len(calls)) == (Report.Status.DONE, 2, 2)
    assert report.error == ""


def test_a_report_that_keeps_killing_its_worker_fails_after_four_tries(report):
    # Three crashes already: each redelivery claimed the row, then the worker died mid-render.
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, attempts=services.MAX_ATTEMPTS, started_at=timezone.now()
    )

    report = _run(report)

    assert (report.status, report.attempts) == (Report.Status.FAILED, 4)
    assert report.error.startswith(
        "Le rapport n'a pas pu être produit après 4 tentatives : le service de génération s'est "
        "arrêté pendant le calcul."
    )


def test_a_render_killed_at_the_hard_time_limit_fails_with_a_french_message(report):
    # Celery calls on_failure in the worker's parent process when it kills a stuck render.
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.RUNNING, attempts=1, started_at=timezone.now()
    )

    generate_report.on_failure(TimeLimitExceeded(360), report.task_id, (report.pk,), {}, None)

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.FAILED, 1)
    assert report.error == (
        "Le rapport a dépassé le temps de génération autorisé. Essayez une période plus courte "
        "ou prévenez l'équipe technique."
    )
