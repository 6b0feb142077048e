"""Back office for the ground of the programme: organisations, accounts, conventions, amendments.

The apps above extend what is registered here (axes and payments inline, money columns, the
amendment form that checks payments) by registering a subclass: imports only ever flow down."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from conventions.authentication import api_token_create, api_token_revoke
from conventions.models import Amendment, ApiToken, Convention, Membership, Organisation
from conventions.services import (
    amendment_delete,
    amendment_validate_delete,
    convention_approve_final_report,
    convention_close,
    convention_delete,
    convention_save,
    convention_sign,
    convention_validate,
    convention_validate_delete,
)
from core.admin import Deletion, ScopedAdmin, error_text, validated_form
from core.money import format_euros, format_rate, rate_percent


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
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
class UserWithMembershipsAdmin(ScopedAdmin, UserAdmin):
    scoped = False  # accounts are configuration: the site gate reserves them to officers
    inlines = [MembershipInline]


admin.site.unregister(Group)


@admin.register(Group)
class GroupsAdmin(ScopedAdmin, GroupAdmin):
    scoped = False  # Django's groups: configuration, the site gate reserves them to officers


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


TOKEN_FIELDS = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
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


# --- conventions and amendments -----------------------------------------------------------------


class AmendmentInline(admin.TabularInline):
    """Read-only: avenants are recorded through the service, which keeps the figures before."""

    model = Amendment
    extra = 0
    can_delete = False
    fields = (
        "number",
        "signed_on",
        "description",
        "previous_total_cost",
        "new_total_cost",
        "previous_cnsa_amount",
        "new_cnsa_amount",
        "previous_end_date",
        "new_end_date",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Amendment)
class AmendmentAdmin(ScopedAdmin):
    """Amendments are read here; financing's admin adds the form (its service checks payments)."""

    deletion = Deletion(amendment_validate_delete, amendment_delete, "amendment")
    list_display = [
        "__str__",
        "signed_on",
        "previous_cnsa_amount",
        "new_cnsa_amount",
        "previous_end_date",
        "new_end_date",
    ]
    list_select_related = ["convention"]
    list_filter = ["convention"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


SIGNED_READONLY = ["funder", "beneficiary", "start_date", "end_date", "total_cost", "cnsa_amount"]


@admin.register(Convention)
class ConventionAdmin(ScopedAdmin, SimpleHistoryAdmin):
    form = validated_form(convention_validate)
    deletion = Deletion(convention_validate_delete, convention_delete, "convention")
    list_display = [
        "reference",
        "title",
        "beneficiary",
        "start_date",
        "end_date",
        "status",
        "total_cost_display",
        "cnsa_amount_display",
        "rate_display",
    ]
    list_filter = ["status", "beneficiary__kind"]
    list_select_related = ["beneficiary", "funder"]
    search_fields = ["reference", "title", "beneficiary__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["funder", "beneficiary"]
    inlines = [AmendmentInline]
    actions = ["sign", "approve_final_report", "close"]
    history_list_display = ["status", "total_cost", "cnsa_amount", "end_date"]
    fieldsets = [
        (None, {"fields": ["reference", "title", "objet", "funder", "beneficiary", "status"]}),
        ("Période", {"fields": ["start_date", "end_date", "signature_date"]}),
        (
            "Montants signés",
            {
                "fields": [
                    "total_cost",
                    "cnsa_amount",
                    "rate_display",
                    "rate_cap",
                    "is_illustrative",
                ]
            },
        ),
        ("Suivi", {"fields": ["final_report_approved_on", "links"]}),
    ]
    computed_fields = ["links", "status", "rate_display", "final_report_approved_on"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        signed = obj is not None and obj.status != Convention.Status.DRAFT
        return [*self.computed_fields, *(SIGNED_READONLY if signed else [])]

    def save_model(self, request, obj, form, change) -> None:
        convention_save(convention=obj, by=request.user)

    @admin.display(description="Coût global", ordering="total_cost")
    def total_cost_display(self, obj: Convention) -> str:
        return format_euros(obj.total_cost)

    @admin.display(description="Montant CNSA", ordering="cnsa_amount")
    def cnsa_amount_display(self, obj: Convention) -> str:
        return format_euros(obj.cnsa_amount)

    @admin.display(description="Taux CNSA")
    def rate_display(self, obj: Convention) -> str:
        if obj.pk is None:
            return "—"
        warning = " (au-dessus du plafond)" if obj.rate_above_cap else ""
        return format_rate(rate_percent(obj.cnsa_amount, obj.total_cost)) + warning

    @admin.display(description="Rapports et tableau de bord")
    def links(self, obj: Convention) -> str:
        if obj.pk is None:
            return "—"
        # By URL name: the apps holding reports and the dashboard sit above this one.
        generate = reverse("admin:reporting_report_generate") + f"?convention={obj.pk}"
        return format_html(
            '<a href="{}">Générer le rapport PDF</a> · <a href="{}">Rapports de la convention</a>'
            ' · <a href="{}">Page de la convention</a>',
            generate,
            reverse("reporting:convention_reports", args=[obj.pk]),
            reverse("backoffice:convention", args=[obj.pk]),
        )

    def _apply(self, request, queryset, operation, done: str) -> None:
        ok = 0
        for convention in queryset:
            try:
                operation(convention)
                ok += 1
            except ValidationError as error:
                messages.error(request, f"{convention.reference} : {error_text(error)}")
        if ok:
            messages.success(request, f"{ok} convention(s) {done}.")

    @admin.action(description="Signer (date de signature saisie)")
    def sign(self, request, queryset) -> None:
        self._apply(
            request, queryset, lambda c: convention_sign(convention=c, by=request.user), "signée(s)"
        )

    @admin.action(description="Approuver le bilan final (aujourd'hui)")
    def approve_final_report(self, request, queryset) -> None:
        today = timezone.localdate()
        self._apply(
            request,
            queryset,
            lambda c: convention_approve_final_report(
                convention=c, by=request.user, approved_on=today
            ),
            "au bilan final approuvé",
        )

    @admin.action(description="Clôturer")
    def close(self, request, queryset) -> None:
        self._apply(
            request,
            queryset,
            lambda c: convention_close(convention=c, by=request.user),
            "clôturée(s)",
        )
