"""Actions, progress reports, the reporting calendar, notifications and conversations: one module
per family."""

from actions.models.actions import (
    Action,
    ActionQuerySet,
    Indicator,
    IndicatorQuerySet,
    visible_through_action,
)
from actions.models.calendar import (
    ReportDeadline,
    ReportDeadlineQuerySet,
    ReportingTerms,
    deadline_title,
)
from actions.models.due import ActionDue
from actions.models.notifications import (
    Delivery,
    Kind,
    Notification,
    NotificationDigest,
    NotificationPreference,
    NotificationQuerySet,
)
from actions.models.reports import (
    Attachment,
    IndicatorValue,
    ProgressReport,
    ProgressReportQuerySet,
    ReportReopening,
    Spending,
)
from actions.models.threads import (
    Message,
    MessageAttachment,
    MessageQuerySet,
    Thread,
    ThreadQuerySet,
    ThreadRead,
)

__all__ = [
    "Action",
    "ActionDue",
    "ActionQuerySet",
    "Attachment",
    "Delivery",
    "Kind",
    "Message",
    "MessageAttachment",
    "MessageQuerySet",
    "Notification",
    "NotificationDigest",
    "NotificationPreference",
    "NotificationQuerySet",
    "Indicator",
    "IndicatorQuerySet",
    "IndicatorValue",
    "ProgressReport",
    "ProgressReportQuerySet",
    "ReportDeadline",
    "ReportDeadlineQuerySet",
    "ReportReopening",
    "ReportingTerms",
    "Spending",
    "Thread",
    "ThreadQuerySet",
    "ThreadRead",
    "deadline_title",
    "visible_through_action",
]
