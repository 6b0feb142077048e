"""The back office for conventions, actions and money. It lives here, in the app that knows the
money, because its pages compose conventions, axes, actions and financing."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Action, Indicator
from actions.services import (
    action_delete,
    action_save,
    action_validate,
    indicator_save,
    indicator_validate,
)
from axes.models import Axis
from axes.services import axis_delete, axis_save, axis_validate
from conventions.admin_forms import ServiceDeleteMixin, deleting_with, validated_form
from conventions.models import Amendment, Convention
from conventions.services import (
    convention_approve_final_report,
    convention_close,
    convention_save,
    convention_sign,
    convention_validate,
)
from core.money import format_euros, format_rate, rate_percent
from financing.models import FundingLine, Payment, Publication
from financing.opendata import scdl_export
from financing.selectors import (
    convention_consistency,
    convention_summary,
    conventions_with_totals,
)
from financing.services import (
    amendment_create,
    balance_settle,
    funding_line_delete,
    funding_line_save,
    funding_line_validate,
    payment_delete,
    payment_save,
    payment_validate,
)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class AxisInline(admin.TabularInline):
    model = Axis
    form = validated_form(axis_validate)
    extra = 0
    can_delete = False
    fields = ["number", "title", "objective"]
    show_change_link = True


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


class AmendmentForm(forms.ModelForm):
    """The officer types the new figures; the previous ones are read from the convention."""

    user: User | None = None  # set by AmendmentAdmin.get_form

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

    def _post_clean(self) -> None:
        """Run the service in a savepoint: its refusals become field errors, nothing is kept."""
        if self.errors:
            return
        data = self.cleaned_data
        try:
            with transaction.atomic():
                self.instance = amendment_create(
                    convention=data["convention"],
                    by=self.user,
                    signed_on=data["signed_on"],
                    description=data["description"],
                    total_cost=data.get("new_total_cost"),
                    cnsa_amount=data.get("new_cnsa_amount"),
                    end_date=data.get("new_end_date"),
                )
                transaction.set_rollback(True)
        except ValidationError as error:
            self._update_errors(_renamed(error))  # type: ignore[attr-defined]


def _renamed(error: ValidationError) -> ValidationError:
    names = {
        "total_cost": "new_total_cost",
        "cnsa_amount": "new_cnsa_amount",
        "end_date": "new_end_date",
        "convention": "convention",
    }
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(k, k): v for k, v in error.message_dict.items()})


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
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
    form = AmendmentForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = cast(type[AmendmentForm], super().get_form(request, obj, change, **kwargs))
        form.user = request.user
        return form

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        saved = amendment_create(
            convention=data["convention"],
            by=request.user,
            signed_on=data["signed_on"],
            description=data["description"],
            total_cost=data.get("new_total_cost"),
            cnsa_amount=data.get("new_cnsa_amount"),
            end_date=data.get("new_end_date"),
        )
        obj.pk = saved.pk


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    fields = ("kind", "amount", "due_date", "paid_on", "status", "reference")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Convention)
class ConventionAdmin(SimpleHistoryAdmin):
    form = validated_form(convention_validate)
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
        "planned_display",
        "paid_display",
        "spent_display",
    ]
    list_filter = ["status", "beneficiary__kind"]
    list_select_related = ["beneficiary", "funder"]
    search_fields = ["reference", "title", "beneficiary__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["funder", "beneficiary"]
    inlines = [AxisInline, AmendmentInline, PaymentInline]
    actions = ["sign", "approve_final_report", "close", "settle_balance", "export_scdl"]
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

    def get_queryset(self, request):
        return conventions_with_totals(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        fixed = [
            "links",
            "status",
            "rate_display",
            "money_summary",
            "consistency_report",
            "final_report_approved_on",
        ]
        if obj and obj.status != Convention.Status.DRAFT:
            fixed += [
                "funder",
                "beneficiary",
                "start_date",
                "end_date",
                "total_cost",
                "cnsa_amount",
            ]
        return fixed

    def save_model(self, request, obj, form, change) -> None:
        convention_save(convention=obj, by=request.user)

    @admin.display(description="Période", ordering="start_date")
    def period(self, obj: Convention) -> str:
        return f"{obj.start_date.year}-{obj.end_date.year}"

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

    @admin.display(description="Prévu au plan", ordering="planned")
    def planned_display(self, obj: Any) -> str:  # obj: annotated with the totals
        return format_euros(obj.planned)

    @admin.display(description="Versé", ordering="paid")
    def paid_display(self, obj: Any) -> str:  # obj: annotated with the totals
        return format_euros(obj.paid)

    @admin.display(description="Dépensé (approuvé)", ordering="spent")
    def spent_display(self, obj: Any) -> str:  # obj: annotated with the totals
        return format_euros(obj.spent)

    @admin.display(description="Rapports et tableau de bord")
    def links(self, obj: Convention) -> str:
        if obj.pk is None:
            return "—"
        # By URL name: the reporting app sits to the right of this one and is not imported.
        generate = reverse("admin:reporting_report_generate") + f"?convention={obj.pk}"
        return format_html(
            '<a href="{}">Générer le rapport PDF</a> · <a href="{}">Rapports de la convention</a>'
            ' · <a href="{}">Tableau de bord</a>',
            generate,
            reverse("reporting:convention_reports", args=[obj.pk]),
            reverse("financing:dashboard", args=[obj.pk]),
        )

    @admin.display(description="Synthèse financière")
    def money_summary(self, obj: Convention) -> str:
        if obj.pk is None:
            return "—"
        s = convention_summary(convention=obj)
        rows = [
            ("Coût global signé", s.total_cost),
            ("Montant CNSA signé", s.cnsa_amount),
            ("Plan de financement", s.planned),
            ("dont CNSA", s.cnsa_planned),
            ("Versé (net des reversements)", s.paid),
            ("Engagé (prévu + versé)", s.committed),
            ("Dépenses approuvées", s.spent),
            ("Dû par la CNSA (dépenses × taux)", s.owed),
            ("Solde à ce jour (dû − versé ; négatif : trop-perçu)", s.balance),
        ]
        body = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td></tr>",
            ((label, format_euros(value)) for label, value in rows),
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

    def _apply(self, request, queryset, operation, done: str) -> None:
        ok = 0
        for convention in queryset:
            try:
                operation(convention)
                ok += 1
            except ValidationError as error:
                messages.error(request, f"{convention.reference} : {_error_text(error)}")
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


class ActionInline(admin.TabularInline):
    model = Action
    form = validated_form(action_validate)
    extra = 0
    can_delete = False
    fields = ["code", "title", "lead_organisation", "start_date", "end_date", "status"]
    autocomplete_fields = ["lead_organisation"]
    show_change_link = True


@admin.register(Axis)
class AxisAdmin(ServiceDeleteMixin, admin.ModelAdmin):
    form = validated_form(axis_validate)
    delete_service = deleting_with(axis_delete)
    list_display = ["__str__", "convention"]
    list_filter = ["convention"]
    list_select_related = ["convention"]
    search_fields = ["title", "convention__reference"]
    inlines = [ActionInline]

    def save_model(self, request, obj, form, change) -> None:
        axis_save(axis=obj, by=request.user)

    def save_formset(self, request, form, formset, change) -> None:
        for obj in formset.save(commit=False):
            action_save(action=obj, by=request.user)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    form = validated_form(indicator_validate)
    extra = 0
    can_delete = False
    fields = ["position", "label", "unit", "baseline", "target"]


class FundingLineInline(admin.TabularInline):
    model = FundingLine
    form = validated_form(funding_line_validate)
    extra = 0
    can_delete = False
    fields = ["funder", "year", "amount"]
    autocomplete_fields = ["funder"]


@admin.register(Action)
class ActionAdmin(ServiceDeleteMixin, SimpleHistoryAdmin):
    form = validated_form(action_validate)
    delete_service = deleting_with(action_delete)
    list_display = [
        "code",
        "title",
        "axis",
        "convention",
        "lead_organisation",
        "status",
        "planned_display",
    ]
    list_filter = ["status", "axis__convention"]
    list_select_related = ["axis__convention", "lead_organisation"]
    search_fields = ["code", "title", "axis__convention__reference", "lead_organisation__name"]
    autocomplete_fields = ["lead_organisation"]
    inlines = [IndicatorInline, FundingLineInline]

    def get_queryset(self, request):
        from django.db.models import Sum

        return super().get_queryset(request).annotate(planned=Sum("funding_lines__amount"))

    @admin.display(description="Convention", ordering="axis__convention__reference")
    def convention(self, obj: Action) -> str:
        return obj.axis.convention.reference

    @admin.display(description="Prévu", ordering="planned")
    def planned_display(self, obj: Any) -> str:  # obj: annotated with the totals
        return format_euros(obj.planned or 0)

    def save_model(self, request, obj, form, change) -> None:
        action_save(action=obj, by=request.user)

    def save_formset(self, request, form, formset, change) -> None:
        saver = {
            Indicator: lambda o: indicator_save(indicator=o, by=request.user),
            FundingLine: lambda o: funding_line_save(line=o, by=request.user),
        }[formset.model]
        instances = formset.save(commit=False)
        for obj in instances:
            saver(obj)


@admin.register(FundingLine)
class FundingLineAdmin(ServiceDeleteMixin, SimpleHistoryAdmin):
    form = validated_form(funding_line_validate)
    delete_service = deleting_with(funding_line_delete)
    list_display = ["action", "funder", "year", "amount_display"]
    list_filter = ["year", "funder", "action__axis__convention"]
    list_select_related = ["action", "funder"]
    autocomplete_fields = ["funder"]
    search_fields = ["action__code", "action__title"]

    @admin.display(description="Montant", ordering="amount")
    def amount_display(self, obj: FundingLine) -> str:
        return format_euros(obj.amount)

    def save_model(self, request, obj, form, change) -> None:
        funding_line_save(line=obj, by=request.user)


@admin.register(Payment)
class PaymentAdmin(ServiceDeleteMixin, SimpleHistoryAdmin):
    form = validated_form(payment_validate)
    delete_service = deleting_with(payment_delete)
    list_display = ["convention", "kind", "amount_display", "due_date", "paid_on", "status"]
    list_filter = ["kind", "status", "convention"]
    list_select_related = ["convention"]
    search_fields = ["convention__reference", "reference"]
    history_list_display = ["status", "amount"]

    @admin.display(description="Montant", ordering="amount")
    def amount_display(self, obj: Payment) -> str:
        return format_euros(obj.signed_amount)

    def save_model(self, request, obj, form, change) -> None:
        payment_save(payment=obj, by=request.user)


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Read-only: a publication is regenerated by the services, never typed."""

    list_display = ["name", "published_at", "row_count"]
    readonly_fields = ["name", "published_at", "row_count", "refused", "content"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
