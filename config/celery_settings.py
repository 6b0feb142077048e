"""Background jobs, imported by config/settings.py: the Redis broker, Celery's delivery guarantees
(acks late, one job at a time), time limits, worker recycling and the beat's periodic tasks. All from
the environment; without REDIS_URL the jobs run in the web process."""

from __future__ import annotations

import os

from celery.schedules import crontab

REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "300"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "360"))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# A broker that does not answer is told to the user at once (the job is kept and sent later).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# One Redis may serve several instances (staging, tests): each names its own queue.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
# WeasyPrint's memory grows with the documents it lays out: a worker child is replaced after
# this many tasks or once it holds this many kilobytes.
CELERY_WORKER_MAX_TASKS_PER_CHILD = int(os.environ.get("CELERY_WORKER_MAX_TASKS_PER_CHILD", "50"))
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(
    os.environ.get("CELERY_WORKER_MAX_MEMORY_PER_CHILD", "600000")
)
# /healthz says the worker is stale past this many seconds without a heartbeat.
HEALTHZ_WORKER_MAX_AGE = int(os.environ.get("HEALTHZ_WORKER_MAX_AGE", "120"))
# A queued report whose message the broker no longer holds is sent again after this many seconds.
REPORT_REQUEUE_AFTER_SECONDS = int(os.environ.get("REPORT_REQUEUE_AFTER_SECONDS", "60"))
# Hours (Europe/Paris) of the reminders and of the daily digests (yesterday's events).
REMINDERS_HOUR = int(os.environ.get("REMINDERS_HOUR", "8"))
DIGESTS_HOUR = int(os.environ.get("DIGESTS_HOUR", "7"))
# Periodic tasks, run by `celery beat` (docker compose `beat`, `make beat`).
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "core.heartbeat",
        "schedule": float(os.environ.get("HEARTBEAT_SECONDS", "30")),
    },
    # Jobs the broker never got, or lost (Redis keeps nothing on disk), are sent again.
    "requeue-reports": {"task": "reporting.requeue_reports", "schedule": 60.0},
    # The totals tables are compared to the raw rows; any difference is logged as an error.
    "check-totals": {
        "task": "financing.check_totals",
        "schedule": float(os.environ.get("TOTALS_CHECK_SECONDS", "3600")),
    },
    # Each action's kept earliest open deadline is compared to the rule (actions.services_due).
    "check-due": {
        "task": "actions.check_due",
        "schedule": float(os.environ.get("TOTALS_CHECK_SECONDS", "3600")),
    },
    # The reporting calendar's reminders every morning, the daily digests just before; e-mails
    # whose sender died before claiming them are sent by the catch-up every five minutes.
    "send-reminders": {
        "task": "actions.send_reminders",
        "schedule": crontab(hour=REMINDERS_HOUR, minute=0),
    },
    "send-digests": {
        "task": "actions.send_digests",
        "schedule": crontab(hour=DIGESTS_HOUR, minute=30),
    },
    "deliver-notifications": {"task": "actions.deliver_notifications", "schedule": 300.0},
    "sync-calendars": {"task": "actions.sync_calendars", "schedule": crontab(hour=5, minute=0)},
}
