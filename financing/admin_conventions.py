"""Back office for conventions and amendments, with their money: the convention page gains its
totals, financial summary, consistency checks, balance and SCDL export, its axes and payments
inline; the amendment list gains its form (the service checks payments). Each is a subclass
registered in place of the conventions app's admin, so imports flow down only."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.html import format_html, format_html_join

from axes.admin import AxisInline
from conventions.admin import AmendmentAdmin, AmendmentInline, ConventionAdmin
from conventions.models import Amendment, Convention
from core.admin import ScopedAdmin
from core.money import format_euros
from financing.models import Payment
from financing.opendata import scdl_export
from financing.selectors import (
    convention_consistency,
    convention_summary,
    conventions_with_totals,
)
from financing.services import amendment_create, balance_settle


class AmendmentForm(forms.ModelForm):
    """The officer types the new figures; the previous ones are read from the convention."""

    user: User | None = None  # set by AmendmentWithFormAdmin.get_form

    class Meta:
        model = Amendment
        fields = [
            "convention",
            "signed_on",
            "description",
            "new_total_cost",
            "new_cnsa_amount",
            "new_end_date",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("new_total_cost", "new_cnsa_amount", "new_end_date"):
            self.fields[name].required = False
            self.fields[name].help_text = "Laisser vide pour garder la valeur actuelle."

    def create(self, by: User | None) -> Amendment:
        data = self.cleaned_data
        return amendment_create(
            convention=data["convention"],
            by=by,
            signed_on=data["signed_on"],
            description=data["description"],
            total_cost=data.get("new_total_cost"),
            cnsa_amount=data.get("new_cnsa_amount"),
            end_date=data.get("new_end_date"),
        )

    def _post_clean(self) -> None:
        """Run the service in a savepoint: its refusals become field errors, nothing is kept."""
        if self.errors:
            return
        try:
            with transaction.atomic():
                self.instance = self.create(self.user)
                transaction.set_rollback(True)
        except ValidationError as error:
            self._update_errors(_renamed(error))  # type: ignore[attr-defined]


def _renamed(error: ValidationError) -> ValidationError:
    names = {"total_cost": "new_total_cost", "cnsa_amount": "new_cnsa_amount"}
    names["end_date"] = "new_end_date"
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(k, k): v for k, v in error.message_dict.items()})


admin.site.unregister(Amendment)


@admin.register(Amendment)
class AmendmentWithFormAdmin(AmendmentAdmin):
    form = AmendmentForm

    def has_add_permission(self, request) -> bool:
        return ScopedAdmin.has_add_permission(self, request)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = cast(type[AmendmentForm], super().get_form(request, obj, change, **kwargs))
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change) -> None:
        obj.pk = form.create(request.user).pk


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    fields = ("kind", "amount", "due_date", "paid_on", "status", "reference")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


SUMMARY_ROWS = [
    ("Coût global signé", "total_cost"),
    ("Montant CNSA signé", "cnsa_amount"),
    ("Plan de financement", "planned"),
    ("dont CNSA", "cnsa_planned"),
    ("Versé (net des reversements)", "paid"),
    ("Engagé (prévu + versé)", "committed"),
    ("Dépenses approuvées", "spent"),
    ("Dû par la CNSA (dépenses × taux)", "owed"),
    ("Solde à ce jour (dû − versé ; négatif : trop-perçu)", "balance"),
]

admin.site.unregister(Convention)


@admin.register(Convention)
class ConventionWithMoneyAdmin(ConventionAdmin):
    list_display = [*ConventionAdmin.list_display, "planned_display", "paid_display"]
    list_display += ["spent_display"]
    inlines = [AxisInline, AmendmentInline, PaymentInline]
    actions = [*ConventionAdmin.actions, "settle_balance", "export_scdl"]
    fieldsets = [
        *ConventionAdmin.fieldsets[:-1],
        (
            "Suivi",
            {
                "fields": [
                    "final_report_approved_on",
                    "money_summary",
                    "consistency_report",
                    "links",
                ]
            },
        ),
    ]
    computed_fields = [*ConventionAdmin.computed_fields, "money_summary", "consistency_report"]

    def get_queryset(self, request):
        return conventions_with_totals(super().get_queryset(request))

    @admin.display(description="Prévu au plan", ordering="planned")
    def planned_display(self, obj: Any) -> str:  # obj: annotated with the totals
        return format_euros(obj.planned)

    @admin.display(description="Versé", ordering="paid")
    def paid_display(self, obj: Any) -> str:
        return format_euros(obj.paid)

    @admin.display(description="Dépensé (approuvé)", ordering="spent")
    def spent_display(self, obj: Any) -> str:
        return format_euros(obj.spent)

    @admin.display(description="Synthèse financière")
    def money_summary(self, obj: Convention) -> str:
        if obj.pk is None:
            return "—"
        summary = convention_summary(convention=obj)
        body = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td></tr>",
            ((label, format_euros(getattr(summary, name))) for label, name in SUMMARY_ROWS),
        )
        return format_html("<table>{}</table>", body)

    @admin.display(description="Contrôles de cohérence")
    def consistency_report(self, obj: Convention) -> str:
        if obj.pk is None:
            return "—"
        problems = convention_consistency(convention=obj)
        if not problems:
            return "Aucune incohérence : le plan de financement équilibre les montants signés."
        items = format_html_join(
            "",
            "<li><strong>{}</strong> — {} {}</li>",
            (
                (p.place, p.message, f"[{'alerte' if p.severity == 'warning' else 'erreur'}]")
                for p in problems
            ),
        )
        return format_html("<ul>{}</ul>", items)

    @admin.action(description="Exporter les données essentielles (SCDL subventions, CSV)")
    def export_scdl(self, request, queryset) -> HttpResponse:
        export = scdl_export(queryset)
        for refusal in export.refused:
            messages.warning(
                request, f"Non publiée : {refusal.reference} — {' '.join(refusal.reasons)}"
            )
        response = HttpResponse(export.csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="donnees-essentielles.csv"'
        return response

    @admin.action(description="Calculer et enregistrer le solde (ou le reversement)")
    def settle_balance(self, request, queryset) -> None:
        self._apply(
            request, queryset, lambda c: balance_settle(convention=c, by=request.user), "soldée(s)"
        )
