"""Actions, progress reports, the reporting calendar and notifications: one module per family."""

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
    Spending,
)

__all__ = [
    "Action",
    "ActionQuerySet",
    "Attachment",
    "Delivery",
    "Kind",
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
    "ReportingTerms",
    "Spending",
    "deadline_title",
    "visible_through_action",
]
