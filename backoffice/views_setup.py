"""The guided set-up of a convention, first and last steps: the convention itself, then its
signature (with confirmation). The steps in between are in views_setup_parts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from backoffice.forms_setup import ConventionForm, SignForm
from backoffice.links import convention_url
from backoffice.steps import stepper
from conventions.access import scope_for
from conventions.models import Convention
from conventions.services import convention_save, convention_sign
from core.http import AuthenticatedRequest
from financing.selectors import convention_consistency, convention_summary

OFFICERS_ONLY = "Seuls les chargés de mission CNSA préparent et signent les conventions."


def officer_convention(request: AuthenticatedRequest, pk: int) -> Convention:
    if not scope_for(request.user).is_officer:
        raise PermissionDenied(OFFICERS_ONLY)
    return get_object_or_404(Convention.objects.select_related("funder", "beneficiary"), pk=pk)


@login_required
def convention_create(request: AuthenticatedRequest) -> HttpResponse:
    if not scope_for(request.user).is_officer:
        raise PermissionDenied(OFFICERS_ONLY)
    return _convention_step(request, Convention())


@login_required
def convention_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _convention_step(request, officer_convention(request, pk))


def _convention_step(request: AuthenticatedRequest, convention: Convention) -> HttpResponse:
    form = ConventionForm(request.POST or None, instance=convention)
    if request.method == "POST" and form.is_valid():
        try:
            convention_save(convention=form.instance, by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Convention {form.instance.reference} enregistrée.")
            return redirect("backoffice:convention_axes", form.instance.pk)
    context = {
        "form": form,
        "convention": convention if convention.pk else None,
        "steps": stepper(1, convention.pk),
        "back_url": convention_url(convention.pk) if convention.pk else None,
    }
    return render(request, "backoffice/setup_convention.html", context)


@login_required
def convention_sign_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    convention = officer_convention(request, pk)
    form = SignForm(request.POST or None, initial={"signature_date": convention.signature_date})
    if request.method == "POST" and form.is_valid():
        try:
            convention_sign(
                convention=convention,
                by=request.user,
                signed_on=form.cleaned_data["signature_date"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Convention {convention.reference} signée.")
            return redirect(convention_url(convention.pk))
    context = {
        "form": form,
        "convention": convention,
        "summary": convention_summary(convention=convention),
        "problems": convention_consistency(convention=convention),
        "steps": stepper(6, convention.pk),
        "back_url": convention_url(convention.pk),
    }
    return render(request, "backoffice/setup_sign.html", context)
