"""Payments from the convention: the schedule proposed, each payment recorded, paid or cancelled
through financing.services; the balance is computed and recorded by balance_settle, never typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from backoffice.forms_payments import FinalReportForm, MarkPaidForm, PaymentForm
from backoffice.links import convention_url
from backoffice.payments import payment_schedule
from conventions.access import scope_for
from conventions.models import Convention
from conventions.services import convention_approve_final_report
from core.http import AuthenticatedRequest
from core.money import format_euros
from financing.models import Payment
from financing.services import balance_settle, payment_save

OFFICERS_ONLY = "Seuls les chargés de mission CNSA enregistrent les versements."


def _convention(request: AuthenticatedRequest, pk: int) -> Convention:
    return get_object_or_404(
        Convention.objects.fully_visible_to(request.user).select_related("funder", "beneficiary"),
        pk=pk,
    )


def _officer(request: AuthenticatedRequest) -> None:
    if not scope_for(request.user).is_officer:
        raise PermissionDenied(OFFICERS_ONLY)


def _page(request: AuthenticatedRequest, convention: Convention, **forms) -> HttpResponse:
    schedule = payment_schedule(convention=convention, today=timezone.localdate())
    form = forms.get("form")
    if form is None:
        initial: dict[str, object] = {"status": Payment.Status.PLANNED}
        chosen = request.GET.get("proposition", "")
        if chosen.isdigit() and int(chosen) < len(schedule.proposals):
            proposal = schedule.proposals[int(chosen)]
            initial |= {
                "kind": proposal.kind,
                "amount": proposal.amount,
                "due_date": proposal.due_date,
                "note": proposal.reason[:300],
            }
        form = PaymentForm(initial=initial)
    context = {
        "convention": convention,
        "schedule": schedule,
        "form": form,
        "final_form": forms.get("final_form") or FinalReportForm(),
        "paid_form": forms.get("paid_form"),
        "paid_pk": forms.get("paid_pk"),
        "is_officer": scope_for(request.user).is_officer,
        "back_url": convention_url(convention.pk),
    }
    return render(request, "backoffice/payments.html", context)


@login_required
def payments(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    convention = _convention(request, pk)
    if request.method != "POST":
        return _page(request, convention)
    _officer(request)
    form = PaymentForm(request.POST)
    if form.is_valid():
        payment = form.payment(convention)
        try:
            payment_save(payment=payment, by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                f"{payment.get_kind_display()} de {format_euros(payment.amount)} enregistré "
                f"({payment.get_status_display().lower()}).",
            )
            return redirect("backoffice:payments", convention.pk)
    return _page(request, convention, form=form)


@login_required
def payment_paid(request: AuthenticatedRequest, pk: int, payment_pk: int) -> HttpResponse:
    convention = _convention(request, pk)
    _officer(request)
    payment = get_object_or_404(Payment.objects.filter(convention=convention), pk=payment_pk)
    form = MarkPaidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        payment.status, payment.paid_on = Payment.Status.PAID, form.cleaned_data["paid_on"]
        payment.reference = form.cleaned_data["reference"] or payment.reference
        try:
            payment_save(payment=payment, by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{payment.get_kind_display()} marqué versé.")
            return redirect("backoffice:payments", convention.pk)
    return _page(request, convention, paid_form=form, paid_pk=payment.pk)


@login_required
def payment_cancel(request: AuthenticatedRequest, pk: int, payment_pk: int) -> HttpResponse:
    convention = _convention(request, pk)
    _officer(request)
    payment = get_object_or_404(
        Payment.objects.filter(convention=convention, status=Payment.Status.PLANNED), pk=payment_pk
    )
    errors: list[str] = []
    if request.method == "POST":
        payment.status = Payment.Status.CANCELLED
        try:
            payment_save(payment=payment, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"{payment.get_kind_display()} prévu annulé.")
            return redirect("backoffice:payments", convention.pk)
    return render(
        request,
        "backoffice/payment_confirm.html",
        {"convention": convention, "payment": payment, "errors": errors, "action": "cancel"},
    )


@login_required
def balance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    convention = _convention(request, pk)
    _officer(request)
    schedule = payment_schedule(convention=convention, today=timezone.localdate())
    errors: list[str] = []
    if request.method == "POST":
        try:
            payment = balance_settle(convention=convention, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                f"{payment.get_kind_display()} de {format_euros(payment.amount)} enregistré, "
                "calculé sur les dépenses approuvées.",
            )
            return redirect("backoffice:payments", convention.pk)
    return render(
        request,
        "backoffice/payment_confirm.html",
        {"convention": convention, "schedule": schedule, "errors": errors, "action": "balance"},
    )


@login_required
def final_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    convention = _convention(request, pk)
    _officer(request)
    form = FinalReportForm(request.POST)
    if form.is_valid():
        try:
            convention_approve_final_report(
                convention=convention,
                by=request.user,
                approved_on=form.cleaned_data["final_report_approved_on"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Bilan final approuvé : le solde peut être calculé.")
            return redirect("backoffice:payments", convention.pk)
    return _page(request, convention, final_form=form)
