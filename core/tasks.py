from __future__ import annotations

from celery import shared_task

from core.heartbeat import heartbeat_record


@shared_task(name="core.heartbeat", ignore_result=True, acks_late=False)
def heartbeat() -> None:
    heartbeat_record()
