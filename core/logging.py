"""The request id and user id of the request being served, added to every log record."""

from __future__ import annotations

import contextvars
import logging

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
user_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("user_id", default="-")

_base_factory = logging.getLogRecordFactory()


def _record_factory(*args, **kwargs) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    record.request_id = request_id_var.get()
    record.user_id = user_id_var.get()
    return record


logging.setLogRecordFactory(_record_factory)


class RequestContextFilter(logging.Filter):
    """Named by the LOGGING setting, which imports this module and so installs the factory."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = getattr(record, "request_id", request_id_var.get())
        record.user_id = getattr(record, "user_id", user_id_var.get())
        return True


class RefusalsWithoutTraceback(logging.Filter):
    """A refusal (403, 404: a permission denied, an object out of reach) is the application
    answering as designed: one warning line, not a traceback that reads like a crash. Server
    errors keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and getattr(record, "status_code", 500) < 500:
            record.exc_info, record.exc_text = None, None
        return True
