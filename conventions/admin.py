from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from conventions.authentication import api_token_create, api_token_revoke
from conventions.models import ApiToken, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "siret", "departement_code", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "siret", "departement_code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipsAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


TOKEN_FIELDS = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """The key is shown once, in the confirmation message; only its hash is stored."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    list_select_related = ["user"]
    fields = TOKEN_FIELDS
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return list(TOKEN_FIELDS) if obj else list(self.readonly_fields)

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        token, key = api_token_create(user=obj.user, name=obj.name, by=request.user)
        obj.pk = token.pk
        messages.warning(
            request,
            f"Jeton créé. Copiez-le maintenant, il ne sera plus jamais affiché : {key}",
        )

    @admin.action(description="Révoquer les jetons sélectionnés")
    def revoke(self, request, queryset) -> None:
        for token in queryset:
            api_token_revoke(token=token)
        messages.success(request, f"{queryset.count()} jeton(s) révoqué(s).")
