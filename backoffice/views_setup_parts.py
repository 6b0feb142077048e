"""The guided set-up's middle steps: axes, actions, indicators. Each page lists what exists, adds
one more or edits one (`?modifier=<id>`), always through the app's save service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render

from actions.models import Action, Indicator
from actions.services import action_save, indicator_save
from axes.models import Axis
from axes.services import axis_save
from backoffice.forms_setup import ActionForm, AxisForm, IndicatorForm, SetupForm
from backoffice.links import convention_url
from backoffice.steps import stepper
from backoffice.views_setup import officer_convention
from conventions.models import Convention
from core.http import AuthenticatedRequest


@dataclass(frozen=True)
class Part:
    number: int
    url_name: str
    saved: str  # the success message's start, « Axe enregistré »
    form_class: type[SetupForm]
    rows: Callable[[Convention], QuerySet[Any]]
    save: Callable[[Any, AuthenticatedRequest], Model]
    template: str
    needs_convention: bool = True


AXES = Part(
    2,
    "convention_axes",
    "Axe enregistré",
    AxisForm,
    lambda c: Axis.objects.filter(convention=c).order_by("number"),
    lambda axis, request: axis_save(axis=axis, by=request.user),
    "backoffice/setup_axes.html",
    needs_convention=False,
)
ACTIONS = Part(
    3,
    "convention_actions",
    "Action enregistrée",
    ActionForm,
    lambda c: (
        Action.objects.filter(axis__convention=c)
        .select_related("axis", "lead_organisation")
        .order_by("axis__number", "code")
    ),
    lambda action, request: action_save(action=action, by=request.user),
    "backoffice/setup_actions.html",
)
INDICATORS = Part(
    4,
    "convention_indicators",
    "Indicateur enregistré",
    IndicatorForm,
    lambda c: (
        Indicator.objects.filter(action__axis__convention=c)
        .select_related("action")
        .order_by("action__axis__number", "action__code", "position", "pk")
    ),
    lambda indicator, request: indicator_save(indicator=indicator, by=request.user),
    "backoffice/setup_indicators.html",
)


def _step(request: AuthenticatedRequest, pk: int, part: Part) -> HttpResponse:
    convention = officer_convention(request, pk)
    rows = list(part.rows(convention))
    editing = request.GET.get("modifier", "")
    instance = next((r for r in rows if str(r.pk) == editing), None)
    if instance is None:
        instance = part.form_class._meta.model()
        if isinstance(instance, Axis):
            instance.convention = convention
            instance.number = max([r.number for r in rows], default=0) + 1
    extra = {"convention": convention} if part.needs_convention else {}
    form = part.form_class(request.POST or None, instance=instance, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            part.save(form.instance, request)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{part.saved} : {form.instance}.")
            return redirect(f"backoffice:{part.url_name}", convention.pk)
    context = {
        "convention": convention,
        "rows": rows,
        "form": form,
        "editing": instance.pk,
        "steps": stepper(part.number, convention.pk),
        "back_url": convention_url(convention.pk),
    }
    return render(request, part.template, context)


@login_required
def convention_axes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(request, pk, AXES)


@login_required
def convention_actions(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(request, pk, ACTIONS)


@login_required
def convention_indicators(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(request, pk, INDICATORS)
