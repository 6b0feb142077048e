"""Thin tasks: ids in, the services do the work."""

from __future__ import annotations

from celery import Task, shared_task

from reporting import services


class ReportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """Transient errors once retries are spent, and hard time limits (called in the parent)."""
        services.report_give_up(report_id=args[0], exc=exc)


@shared_task(
    base=ReportTask,
    bind=True,
    name="reporting.generate_report",
    autoretry_for=services.TRANSIENT_ERRORS,
    max_retries=services.MAX_ATTEMPTS - 1,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def generate_report(self, report_id: int) -> None:
    services.report_generate(report_id=report_id, task_id=self.request.id)


@shared_task(name="reporting.requeue_reports")
def requeue_reports() -> int:
    return services.reports_requeue()
