"""The reporting calendar page of a convention: read by all who see it, edited by CNSA officers."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from actions import services_calendar as services
from actions.forms_calendar import InterimForm, RescheduleForm, TermsForm, WithdrawForm
from actions.models import ReportDeadline, ReportingTerms
from actions.selectors_calendar import convention_calendar
from conventions.access import scope_for
from conventions.models import Convention
from core.http import AuthenticatedRequest


def _convention(request, pk: int) -> Convention:
    return get_object_or_404(Convention.objects.visible_to(request.user), pk=pk)


def _officer(request) -> None:
    if not scope_for(request.user).is_officer:
        raise PermissionDenied("Seul un chargé de mission de la CNSA modifie le calendrier.")


def _page(request, convention: Convention, status: int = 200, **forms_) -> HttpResponse:
    terms = ReportingTerms.objects.filter(convention=convention).first()
    initial = {
        "annual_delay_months": terms.annual_delay_months if terms else 6,
        "final_delay_months": terms.final_delay_months if terms else 6,
    }
    context = {
        "convention": convention,
        "calendar": convention_calendar(
            convention=convention, today=timezone.localdate(), user=request.user
        ),
        "is_officer": scope_for(request.user).is_officer,
        "terms_form": forms_.get("terms_form") or TermsForm(initial=initial),
        "interim_form": forms_.get("interim_form") or InterimForm(),
        "withdrawn": list(
            ReportDeadline.objects.filter(convention=convention, withdrawn_at__isnull=False)
        ),
    }
    return render(request, "actions/calendar.html", context, status=status)


@login_required
def calendar_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _page(request, _convention(request, pk))


def _service_errors(form: forms.Form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


@login_required
@require_POST
def terms_update(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    convention = _convention(request, pk)
    _officer(request)
    form = TermsForm(request.POST)
    if form.is_valid():
        try:
            services.reporting_terms_update(
                convention=convention, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _service_errors(form, error)
    if form.errors:
        return _page(request, convention, status=400, terms_form=form)
    messages.success(request, "Calendrier recalculé d'après les délais enregistrés.")
    return redirect("actions:calendar", convention.pk)


@login_required
@require_POST
def interim_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    convention = _convention(request, pk)
    _officer(request)
    form = InterimForm(request.POST)
    if form.is_valid():
        try:
            services.report_deadline_add_interim(
                convention=convention, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _service_errors(form, error)
    if form.errors:
        return _page(request, convention, status=400, interim_form=form)
    messages.success(request, "Bilan d'étape ajouté au calendrier.")
    return redirect("actions:calendar", convention.pk)


def _deadline(request, pk: int) -> ReportDeadline:
    visible = ReportDeadline.objects.visible_to(request.user).active()
    return get_object_or_404(visible.select_related("convention"), pk=pk)


@login_required
def deadline_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the forms to move or withdraw one deadline; POST (`action`): do it."""
    deadline = _deadline(request, pk)
    _officer(request)
    reschedule = RescheduleForm(initial={"due_on": deadline.due_on})
    withdraw = WithdrawForm()
    if request.method == "POST":
        chosen = request.POST.get("action")
        form: forms.Form = (
            RescheduleForm(request.POST) if chosen == "reschedule" else WithdrawForm(request.POST)
        )
        if form.is_valid():
            try:
                if chosen == "reschedule":
                    services.report_deadline_reschedule(
                        deadline=deadline, by=request.user, **form.cleaned_data
                    )
                else:
                    services.report_deadline_withdraw(
                        deadline=deadline, by=request.user, **form.cleaned_data
                    )
            except ValidationError as error:
                _service_errors(form, error)
        if not form.errors:
            done = "déplacée" if chosen == "reschedule" else "retirée du calendrier"
            messages.success(request, f"Échéance {done}.")
            return redirect("actions:calendar", deadline.convention_id)
        if chosen == "reschedule":
            reschedule = form  # type: ignore[assignment]
        else:
            withdraw = form  # type: ignore[assignment]
    context = {"deadline": deadline, "reschedule": reschedule, "withdraw": withdraw}
    status = 400 if reschedule.errors or withdraw.errors else 200
    return render(request, "actions/deadline_edit.html", context, status=status)
