"""Back office for reports. Conventions link here by URL name (financing must not import us):
reverse("admin:reporting_report_generate") + f"?convention={convention.pk}"."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from conventions.models import Convention
from core.admin import ScopedAdmin
from reporting import services
from reporting.forms import ReportRequestForm
from reporting.models import Report


class AdminReportRequestForm(ReportRequestForm):
    convention = forms.ModelChoiceField(
        label="Convention", queryset=Convention.objects.select_related("beneficiary")
    )
    field_order = ["convention", "kind", "year", "period_start", "period_end"]

    def __init__(self, *args, convention: Convention | None = None, **kwargs) -> None:
        super(ReportRequestForm, self).__init__(*args, **kwargs)
        years = range(2000, 2101) if convention is None else convention.years
        cast(forms.ChoiceField, self.fields["year"]).choices = [("", "—")] + [
            (y, str(y)) for y in years
        ]


@admin.register(Report)
class ReportAdmin(ScopedAdmin):
    list_display = [
        "convention",
        "kind",
        "period",
        "status",
        "attempts",
        "queued_at",
        "duration",
        "download",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["convention__reference", "convention__title"]
    list_select_related = ["convention"]
    date_hierarchy = "queued_at"
    readonly_fields = [
        "convention",
        "kind",
        "period_start",
        "period_end",
        "requested_by",
        "status",
        "file",
        "error",
        "attempts",
        "task_id",
        "queued_at",
        "enqueued_at",
        "started_at",
        "finished_at",
    ]
    actions = ["requeue"]
    change_list_template = "admin/reporting/report/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reports are asked for through "Générer le rapport", never typed

    def get_urls(self):
        generate = self.admin_site.admin_view(self.generate_view)
        return [path("generer/", generate, name="reporting_report_generate"), *super().get_urls()]

    @admin.display(description="Période")
    def period(self, report: Report) -> str:
        return f"{report.period_start:%d/%m/%Y} – {report.period_end:%d/%m/%Y}"

    @admin.display(description="Durée")
    def duration(self, report: Report) -> str:
        seconds = report.duration_seconds
        return "—" if seconds is None else f"{seconds:.1f} s"

    @admin.display(description="PDF")
    def download(self, report: Report) -> str:
        if report.status != Report.Status.DONE:
            return "—"
        url = reverse("reporting:report_download", args=[report.pk])
        return format_html('<a href="{}">Télécharger</a>', url)

    @admin.action(description="Remettre dans la file les rapports en attente sélectionnés")
    def requeue(self, request: HttpRequest, queryset) -> None:
        sent = [
            services.report_enqueue(report=r) for r in queryset.filter(status=Report.Status.QUEUED)
        ]
        if sent and not all(sent):
            self.message_user(request, services.BROKER_DOWN_MESSAGE, messages.WARNING)
        else:
            self.message_user(request, f"{sum(sent)} rapport(s) remis dans la file.")

    def generate_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("reporting.view_report"):
            raise PermissionDenied
        convention = _convention_from(request)
        initial = {"convention": convention.pk} if convention else {}
        form = AdminReportRequestForm(request.POST or None, initial=initial, convention=convention)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            chosen = data.pop("convention")
            try:
                report = services.report_request(convention=chosen, by=request.user, **data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                self._announce(request, report)
                changelist = reverse("admin:reporting_report_changelist")
                return HttpResponseRedirect(f"{changelist}?convention__id__exact={chosen.pk}")
        context = {
            **self.admin_site.each_context(request),
            "title": "Générer le rapport",
            "form": form,
            "opts": self.model._meta,
            "convention": convention,
        }
        return TemplateResponse(request, "admin/reporting/report/generate.html", context)

    def _announce(self, request: HttpRequest, report: Report) -> None:
        if services.report_broker_was_down(report=report):
            self.message_user(request, services.BROKER_DOWN_MESSAGE, messages.WARNING)
        else:
            self.message_user(request, f"Rapport demandé : {report}. Il sera prêt sous peu.")


def _convention_from(request: HttpRequest) -> Convention | None:
    pk = request.GET.get("convention", "")
    return Convention.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
