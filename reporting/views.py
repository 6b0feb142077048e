from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from conventions.models import Convention
from reporting import selectors, services
from reporting.forms import ReportRequestForm
from reporting.models import Report

REFRESH_SECONDS = 5


@login_required
@require_http_methods(["GET", "POST"])
def convention_reports(request: HttpRequest, pk: int) -> HttpResponse:
    convention = get_object_or_404(Convention.objects.fully_visible_to(request.user), pk=pk)
    may_request = selectors.report_may_request(user=request.user, convention=convention)
    form = ReportRequestForm(request.POST or None, convention=convention)
    refused = False
    if request.method == "POST":
        try:  # the service decides who may ask, before the form is even read
            services.report_request_check(user=request.user, convention=convention)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            refused = True
        else:
            if form.is_valid() and _request_report(request, convention, form):
                return redirect("reporting:convention_reports", pk=convention.pk)
    reports = list(selectors.reports_for_convention(user=request.user, convention=convention))
    refreshing = any(report.is_active for report in reports)
    response = render(
        request,
        "reporting/convention_reports.html",
        {
            "title": f"Rapports — {convention.reference}",
            "convention": convention,
            "reports": reports,
            "form": form,
            "may_request": may_request,
            "may_edit": selectors.report_may_edit(user=request.user),
            "refreshing": refreshing,
            "refresh_seconds": REFRESH_SECONDS,
        },
    )
    if refreshing:
        response["Refresh"] = str(REFRESH_SECONDS)
    if refused:
        response.status_code = 403
    return response


def _request_report(request: HttpRequest, convention: Convention, form: ReportRequestForm) -> bool:
    before = Report.objects.filter(convention=convention).count()
    try:
        report = services.report_request(
            convention=convention, by=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    if Report.objects.filter(convention=convention).count() == before:
        messages.info(
            request, "Ce rapport est déjà en cours de préparation : il apparaît ci-dessous."
        )
    elif services.report_broker_was_down(report=report):
        messages.warning(request, services.BROKER_DOWN_MESSAGE)
    else:
        messages.success(
            request, "Demande enregistrée : le rapport sera prêt dans quelques instants."
        )
    return True


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = get_object_or_404(Report.objects.visible_to(request.user), pk=pk)
    return report_file_response(report)


ODT_TYPE = "application/vnd.oasis.opendocument.text"
EDIT_REFUSED = "La version modifiable des rapports est réservée aux chargés de mission CNSA."


@login_required
@require_GET
def report_editable(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report.objects.visible_to(request.user), pk=pk)
    if not selectors.report_may_edit(user=request.user):
        raise PermissionDenied(EDIT_REFUSED)
    return report_editable_response(report)


def report_editable_response(report: Report) -> HttpResponse:
    response = HttpResponse(services.report_editable(report=report), content_type=ODT_TYPE)
    filename = services.report_filename(report=report, extension="odt")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def report_file_response(report: Report) -> FileResponse:
    if report.status != Report.Status.DONE or not report.file:
        raise Http404("Ce rapport n'est pas encore prêt.")
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=services.report_filename(report=report),
        content_type="application/pdf",
    )
