from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from accounts.models import FailedSignIn, Lockout
from accounts.services import lockout_lift
from conventions.access import is_officer


def _officer(request) -> bool:
    return request.user.is_active and (request.user.is_superuser or is_officer(request.user))


class ActiveFilter(admin.SimpleListFilter):
    title = "état"
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [("actif", "En cours"), ("fini", "Terminé ou levé")]

    def queryset(self, request, queryset):
        if self.value() == "actif":
            return queryset.active()
        if self.value() == "fini":
            return queryset.exclude(pk__in=queryset.active().values("pk"))
        return queryset


@admin.register(Lockout)
class LockoutAdmin(admin.ModelAdmin):
    """Officers see the sign-in lockouts and lift them; nothing here is created or edited by hand."""

    list_display = [
        "key",
        "kind",
        "scope",
        "failures",
        "created_at",
        "until",
        "lifted_at",
        "lifted_by",
    ]
    list_filter = [ActiveFilter, "kind", "scope"]
    search_fields = ["key"]
    actions = ["lift"]
    readonly_fields = [f.name for f in Lockout._meta.fields]

    def has_view_permission(self, request, obj=None):
        return _officer(request)

    def has_module_permission(self, request):
        return _officer(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        # Admin actions need a permission the admin knows: officers hold "lift" through the service.
        actions = super().get_actions(request)
        if _officer(request):
            actions["lift"] = self.get_action("lift")
        return actions

    @admin.action(description="Débloquer maintenant")
    def lift(self, request, queryset):
        lifted = 0
        for lockout in queryset.active():
            try:
                lockout_lift(lockout=lockout, by=request.user)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            lifted += 1
        self.message_user(request, f"{lifted} blocage(s) levé(s).", messages.SUCCESS)


@admin.register(FailedSignIn)
class FailedSignInAdmin(admin.ModelAdmin):
    list_display = ["at", "scope", "username", "address"]
    list_filter = ["scope"]
    search_fields = ["username", "address"]
    date_hierarchy = "at"

    def has_view_permission(self, request, obj=None):
        return _officer(request)

    def has_module_permission(self, request):
        return _officer(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
