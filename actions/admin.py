"""Back office for actions and their indicators, and for progress reports: read-only records, the
workflow as admin actions (same services).

Partners enter reports through the pages, where the version check protects concurrent edits; the admin
only reviews, so nothing here can overwrite a report behind the workflow's back. The axis page gets
its actions inline here (the axes app sits below this one); financing adds the funding lines."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from actions import services
from actions.models import (
    Action,
    Attachment,
    Indicator,
    IndicatorValue,
    ProgressReport,
    Spending,
)
from actions.services import (
    action_delete,
    action_save,
    action_validate,
    action_validate_delete,
    indicator_save,
    indicator_validate,
)
from axes.admin import AxisAdmin
from axes.models import Axis
from core.admin import Deletion, ScopedAdmin, validated_form
from core.text import counted, french_plural


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
        ending = "s" if french_plural(ok) else ""
        modeladmin.message_user(
            request,
            f"{counted(ok, 'compte rendu', 'comptes rendus')} {done}{ending}.",
            messages.SUCCESS,
        )


@admin.action(description="Approuver les comptes rendus sélectionnés")
def approve_reports(modeladmin, request, queryset):
    _apply(modeladmin, request, queryset, services.progress_report_approve, "approuvé")


@admin.action(description="Renvoyer pour correction (avec un commentaire)")
def return_reports(modeladmin, request, queryset):
    comment = request.POST.get("comment", "").strip()
    if "apply" in request.POST and comment:
        _apply(
            modeladmin,
            request,
            queryset,
            services.progress_report_return,
            "renvoyé",
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
class ProgressReportAdmin(ScopedAdmin):
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

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- actions ------------------------------------------------------------------------------------


class ActionInline(admin.TabularInline):
    model = Action
    form = validated_form(action_validate)
    extra = 0
    can_delete = False
    fields = ["code", "title", "lead_organisation", "start_date", "end_date", "status"]
    autocomplete_fields = ["lead_organisation"]
    show_change_link = True


admin.site.unregister(Axis)


@admin.register(Axis)
class AxisWithActionsAdmin(AxisAdmin):
    inlines = [ActionInline]

    def save_formset(self, request, form, formset, change) -> None:
        for obj in formset.save(commit=False):
            action_save(action=obj, by=request.user)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    form = validated_form(indicator_validate)
    extra = 0
    can_delete = False
    fields = ["position", "label", "unit", "baseline", "target"]


@admin.register(Action)
class ActionAdmin(ScopedAdmin, SimpleHistoryAdmin):
    form = validated_form(action_validate)
    deletion = Deletion(action_validate_delete, action_delete, "action")
    list_display = ["code", "title", "axis", "convention", "lead_organisation", "status"]
    list_filter = ["status", "axis__convention"]
    list_select_related = ["axis__convention", "lead_organisation"]
    search_fields = ["code", "title", "axis__convention__reference", "lead_organisation__name"]
    autocomplete_fields = ["lead_organisation"]
    inlines = [IndicatorInline]

    @admin.display(description="Convention", ordering="axis__convention__reference")
    def convention(self, obj: Action) -> str:
        return obj.axis.convention.reference

    def save_model(self, request, obj, form, change) -> None:
        action_save(action=obj, by=request.user)

    def save_formset(self, request, form, formset, change) -> None:
        for obj in formset.save(commit=False):
            self.save_inline(request, obj)

    def save_inline(self, request, obj) -> None:
        """Each inline row through its own service; financing adds its funding lines."""
        if isinstance(obj, Indicator):
            indicator_save(indicator=obj, by=request.user)
        else:
            raise TypeError(f"no service saves {type(obj).__name__} here")
