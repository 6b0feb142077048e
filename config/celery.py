from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("conventions")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Redis redelivers an unacknowledged job (its worker died) after the visibility timeout; tests
# shorten it to see a redelivery in seconds. Keep it above the hard time limit in production.
_visibility = os.environ.get("CELERY_VISIBILITY_TIMEOUT")
if _visibility:
    app.conf.broker_transport_options = {
        "visibility_timeout": int(_visibility),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
