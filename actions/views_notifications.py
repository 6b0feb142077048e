"""Each person's notifications and how they want to receive them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from actions.models import Delivery, Kind, Notification
from actions.selectors_notifications import preferences_for
from actions.services_notifications import notification_preferences_set, notifications_mark_read
from core.http import AuthenticatedRequest
from core.pagination import paginate


class PreferencesForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choisissez une des trois possibilités."},
            )


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    rows = Notification.objects.visible_to(request.user)
    if request.GET.get("filtre") == "non-lues":
        rows = rows.unread()
    page = paginate(request, rows.order_by("-created_at", "-pk"))
    context = {"page": page, "unread_only": request.GET.get("filtre") == "non-lues"}
    return render(request, "actions/notifications.html", context)


@login_required
def notification_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Mark it read and go where it points."""
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    notifications_mark_read(user=request.user, ids=[notification.pk])
    target = notification.link
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("actions:notifications")


@login_required
@require_POST
def notification_read_all(request: AuthenticatedRequest) -> HttpResponse:
    count = notifications_mark_read(user=request.user)
    messages.success(
        request,
        f"{count} notification{'s' if count > 1 else ''} marquée{'s' if count > 1 else ''} comme lue{'s' if count > 1 else ''}.",
    )
    return redirect("actions:notifications")


@login_required
def notification_preferences(request: AuthenticatedRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, initial=preferences_for(user=request.user))
    if request.method == "POST" and form.is_valid():
        notification_preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, "Vos préférences de notification sont enregistrées.")
        return redirect("actions:notification_preferences")
    status = 400 if form.errors else 200
    return render(request, "actions/notification_preferences.html", {"form": form}, status=status)
