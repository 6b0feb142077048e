"""Correcting an approved report: the officer's reopening, from the report page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from actions import services
from actions.forms import ReopenForm
from actions.views import _report_context, _visible_report
from core.http import AuthenticatedRequest


@login_required
@require_POST
def report_reopen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An officer reopens an approved report, with a reason the partner receives."""
    report = _visible_report(request, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.progress_report_reopen(
                report=report, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason" if "reason" in error.message_dict else None, error.messages)
        else:
            messages.success(request, "Compte rendu rouvert : le partenaire en est prévenu.")
            return redirect("actions:report", report.pk)
    context = _report_context(request, report, reopen_form=form)
    return render(request, "actions/report_detail.html", context, status=400)
