"""Back office for axes. Their actions appear inline from the actions app, which extends this."""

from __future__ import annotations

from django.contrib import admin

from axes.models import Axis
from axes.services import axis_delete, axis_save, axis_validate, axis_validate_delete
from core.admin import Deletion, ScopedAdmin, validated_form


class AxisInline(admin.TabularInline):
    """Shown on the convention page (financing's admin composes it)."""

    model = Axis
    form = validated_form(axis_validate)
    extra = 0
    can_delete = False
    fields = ["number", "title", "objective"]
    show_change_link = True


@admin.register(Axis)
class AxisAdmin(ScopedAdmin):
    form = validated_form(axis_validate)
    deletion = Deletion(axis_validate_delete, axis_delete, "axis")
    list_display = ["__str__", "convention"]
    list_filter = ["convention"]
    list_select_related = ["convention"]
    search_fields = ["title", "convention__reference"]

    def save_model(self, request, obj, form, change) -> None:
        axis_save(axis=obj, by=request.user)
