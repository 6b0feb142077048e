"""Back office for progress reports: read-only records, the workflow as admin actions (same services).

Partners enter reports through the pages, where the version check protects concurrent edits; the admin
only reviews, so nothing here can overwrite a report behind the workflow's back."""

from __future__ import annotations

from typing import cast

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse

from actions import services
from actions.models import (
    Attachment,
    IndicatorValue,
    ProgressReport,
    ProgressReportQuerySet,
    Spending,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class IndicatorValueInline(ReadOnlyInline):
    model = IndicatorValue
    fields = readonly_fields = ("indicator", "value", "comment")


class SpendingInline(ReadOnlyInline):
    model = Spending
    fields = readonly_fields = ("funder", "amount")


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = readonly_fields = (
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    )


def _apply(modeladmin, request, queryset, transition, done: str, **kwargs) -> None:
    ok = 0
    for report in queryset:
        try:
            transition(report=report, by=request.user, **kwargs)
            ok += 1
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            modeladmin.message_user(request, f"{report} : {text}", messages.ERROR)
    if ok:
        modeladmin.message_user(request, f"{ok} compte(s) rendu(s) {done}.", messages.SUCCESS)


@admin.action(description="Approuver les comptes rendus sélectionnés")
def approve_reports(modeladmin, request, queryset):
    _apply(modeladmin, request, queryset, services.progress_report_approve, "approuvé(s)")


@admin.action(description="Renvoyer pour correction (avec un commentaire)")
def return_reports(modeladmin, request, queryset):
    comment = request.POST.get("comment", "").strip()
    if "apply" in request.POST and comment:
        _apply(
            modeladmin,
            request,
            queryset,
            services.progress_report_return,
            "renvoyé(s)",
            comment=comment,
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Renvoyer pour correction",
        "reports": queryset,
        "missing": "apply" in request.POST,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/actions/return_reports.html", context)


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["action", "period_start", "period_end", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status", "action__axis__convention"]
    search_fields = ["action__code", "action__title", "narrative"]
    list_select_related = ["action"]
    inlines = [IndicatorValueInline, SpendingInline, AttachmentInline]
    actions = [approve_reports, return_reports]
    readonly_fields = [
        "action",
        "period_start",
        "period_end",
        "status",
        "narrative",
        "review_comment",
        "version",
        "created_by",
        "created_at",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
    ]

    def get_queryset(self, request):
        return cast(ProgressReportQuerySet, super().get_queryset(request)).visible_to(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
