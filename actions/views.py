"""Partners' workspace pages: thin views; rules live in services, reads in selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from actions import selectors, services
from actions.forms import AttachmentForm, ProgressReportForm, ReopenForm, ReviewForm
from actions.models import Attachment, ProgressReport
from actions.selectors_threads import mark_unread_reports
from actions.views_threads import thread_context
from core.http import AuthenticatedRequest


@login_required
def action_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(selectors.actions_for(user=request.user), pk=pk)
    data = selectors.action_page(action=action, today=timezone.localdate())
    can_enter = services.can_enter_progress(request.user, action)
    mark_unread_reports(user=request.user, action=action, reports=data.reports)
    context = {"data": data, "action": action, "can_enter": can_enter}
    return render(request, "actions/action_detail.html", context | thread_context(request, action))


def _report_form(request, action, *, report=None, periods=None, data=None) -> ProgressReportForm:
    indicators = [
        p.indicator for p in selectors.indicators_progress(action_ids=[action.pk])[action.pk]
    ]
    initial = {}
    if report is not None:
        initial = {"narrative": report.narrative, "version": report.version}
        for value in report.values.all():
            initial[f"value_{value.indicator_id}"] = value.value
            initial[f"comment_{value.indicator_id}"] = value.comment
        for spending in report.spendings.all():
            initial[f"spending_{spending.funder_id or 'none'}"] = spending.amount
    return ProgressReportForm(
        data,
        initial=initial,
        indicators=indicators,
        funders=selectors.spending_funders(action=action),
        periods=periods,
    )


def _require_entry(request, action) -> None:
    if not services.can_enter_progress(request.user, action):
        raise PermissionDenied(
            "Seuls le pilote de l'action et le coordinateur du porteur saisissent son avancement."
        )


@login_required
def report_create(request: AuthenticatedRequest, action_pk: int) -> HttpResponse:
    action = get_object_or_404(selectors.actions_for(user=request.user), pk=action_pk)
    _require_entry(request, action)
    periods = selectors.action_page(action=action, today=timezone.localdate()).free_periods
    form = _report_form(request, action, periods=periods, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = _create_and_fill(request, action, form)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Compte rendu enregistré en brouillon.")
            return redirect("actions:report", report.pk)
    context = {"form": form, "action": action, "report": None}
    return render(request, "actions/report_form.html", context, status=400 if form.errors else 200)


def _create_and_fill(request, action, form) -> ProgressReport:
    from django.db import transaction

    period = form.chosen_period()
    with transaction.atomic():
        report = services.progress_report_create(
            action=action, period_start=period.start, period_end=period.end, by=request.user
        )
        return services.progress_report_update(
            report=report,
            by=request.user,
            version=report.version,
            narrative=form.cleaned_data["narrative"],
            values=form.values(),
            spendings=form.spendings(),
        )


def _visible_report(request, pk: int) -> ProgressReport:
    return get_object_or_404(selectors.reports_for(user=request.user), pk=pk)


@login_required
def report_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    _require_entry(request, report.action)
    form = _report_form(request, report.action, report=report, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_report_update(
                report=report,
                by=request.user,
                version=form.cleaned_data["version"] or 0,
                narrative=form.cleaned_data["narrative"],
                values=form.values(),
                spendings=form.spendings(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Compte rendu enregistré.")
            return redirect("actions:report", report.pk)
    context = {"form": form, "action": report.action, "report": report}
    return render(request, "actions/report_form.html", context, status=400 if form.errors else 200)


def _report_context(request, report: ProgressReport, **overrides) -> dict:
    can_enter = services.can_enter_progress(request.user, report.action)
    context = {
        "data": selectors.report_page(report=report),
        "report": report,
        "can_enter": can_enter,
        "editable": can_enter and report.status in services.EDITABLE,
        "can_review": services.can_review(request.user),
        "upload_form": AttachmentForm(),
        "review_form": ReviewForm(),
        "reopen_form": ReopenForm(),
    }
    return context | thread_context(request, report.action, report) | overrides


@login_required
def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    return render(request, "actions/report_detail.html", _report_context(request, report))


@login_required
def report_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST transmits."""
    report = _visible_report(request, pk)
    _require_entry(request, report.action)
    errors = []
    if request.method == "POST":
        try:
            services.progress_report_submit(
                report=report, by=request.user, version=int(request.POST.get("version") or 0)
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request, "Compte rendu transmis à la CNSA. Vous serez prévenu de sa relecture."
            )
            return redirect("actions:report", report.pk)
    context = {"report": report, "data": selectors.report_page(report=report), "errors": errors}
    return render(request, "actions/report_submit.html", context, status=400 if errors else 200)


@login_required
@require_POST
def report_review(request: AuthenticatedRequest, pk: int, verdict: str) -> HttpResponse:
    report = _visible_report(request, pk)
    if not services.can_review(request.user):
        raise PermissionDenied("Seul un chargé de mission de la CNSA relit les comptes rendus.")
    form = ReviewForm(request.POST)
    form.is_valid()
    transition = (
        services.progress_report_approve
        if verdict == "approve"
        else services.progress_report_return
    )
    try:
        transition(report=report, by=request.user, comment=form.cleaned_data.get("comment", ""))
    except ValidationError as error:
        form.add_error("comment" if "comment" in error.message_dict else None, error.messages)
        context = _report_context(request, report, review_form=form)
        return render(request, "actions/report_detail.html", context, status=400)
    done = "approuvé" if verdict == "approve" else "renvoyé au partenaire"
    messages.success(request, f"Compte rendu {done}.")
    return redirect("actions:review_queue")


@login_required
@require_POST
def attachment_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                report=report, upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
    if form.errors:
        context = _report_context(request, report, upload_form=form)
        return render(request, "actions/report_detail.html", context, status=400)
    messages.success(request, "Pièce jointe ajoutée.")
    return redirect("actions:report", report.pk)


def _visible_attachment(request, pk: int) -> Attachment:
    reports = selectors.reports_for(user=request.user)
    return get_object_or_404(
        Attachment.objects.select_related("report__action__axis__convention").filter(
            report__in=reports
        ),
        pk=pk,
    )


@login_required
def attachment_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    attachment = _visible_attachment(request, pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def attachment_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    attachment = _visible_attachment(request, pk)
    try:
        services.attachment_delete(attachment=attachment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Pièce jointe supprimée.")
    return redirect("actions:report", attachment.report_id)
