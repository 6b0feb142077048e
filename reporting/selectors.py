"""Reads for reports: who may ask, and the report's content (selectors_content)."""

from __future__ import annotations

from django.db.models import QuerySet

from conventions.access import COORDINATOR, scope_for
from conventions.models import Convention
from reporting.content import ReportContext
from reporting.models import Report
from reporting.selectors_content import report_context

__all__ = [
    "ReportContext",
    "report_context",
    "report_may_edit",
    "report_may_request",
    "reports_for_convention",
]


def report_may_request(*, user, convention: Convention) -> bool:
    """CNSA officers and the porteur's coordinators ask for reports; readers only download them."""
    scope = scope_for(user)
    return scope.is_officer or scope.role_in(convention.beneficiary_id) == COORDINATOR


def report_may_edit(*, user) -> bool:
    """The editable version is for CNSA officers, who adapt the wording before the committee."""
    return scope_for(user).is_officer


def reports_for_convention(*, user, convention: Convention) -> QuerySet[Report]:
    return (
        Report.objects.visible_to(user).filter(convention=convention).select_related("requested_by")
    )
