"""Officers' and porteurs' pages on conventions: the list with totals and the dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from conventions.models import Convention
from core.pagination import paginate
from financing.dashboard import convention_dashboard
from financing.selectors import conventions_with_totals


@login_required
def convention_list(request: HttpRequest) -> HttpResponse:
    conventions = conventions_with_totals(
        Convention.objects.fully_visible_to(request.user).select_related("beneficiary")
    ).order_by("-start_date", "reference")
    return render(
        request, "financing/convention_list.html", {"page": paginate(request, conventions)}
    )


@login_required
def convention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    convention = get_object_or_404(
        Convention.objects.fully_visible_to(request.user).select_related("funder", "beneficiary"),
        pk=pk,
    )
    dashboard = convention_dashboard(convention=convention, today=timezone.localdate())
    return render(
        request, "financing/dashboard.html", {"dashboard": dashboard, "convention": convention}
    )
