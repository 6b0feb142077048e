"""The conventions list and the convention page (the payments, plan and setup pages are apart)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from backoffice.convention_page import convention_page
from backoffice.exports import PORTFOLIO_RATES, portfolio_columns, portfolio_row
from backoffice.forms import DEFAULT_SORT, ConventionFilterForm
from backoffice.history import convention_timeline
from backoffice.portfolio import PORTFOLIO_TABLES, portfolio, portfolio_lines
from backoffice.selectors import convention_list_options, convention_rows, rows_total
from conventions.models import Convention
from core.export_pages import export_format, page_export
from core.money import rate_percent
from core.pagination import paginate
from core.sorting import list_query, sort_headers
from core.text import counted
from financing.dashboard import (
    action_lines,
    axes_with_totals,
    convention_action_rows,
    late_reports,
    with_money,
)
from financing.exports import CONVENTION_COLUMNS, CONVENTION_RATES, convention_export_row

LIST_COLUMNS = [
    ("reference", "Convention"),
    ("porteur", "Porteur"),
    ("debut", "Période"),
    ("cout", "Coût global"),
    ("cnsa", "Montant CNSA"),
    ("taux", "Taux CNSA"),
    ("prevu", "Prévu au plan"),
    ("verse", "Versé"),
    ("depense", "Dépensé"),
    ("reste", "Reste à verser"),
]


@login_required
@require_safe
def convention_list(request: HttpRequest) -> HttpResponse:
    options = convention_list_options(user=request.user)
    form = ConventionFilterForm(
        request.GET,
        porteurs=options.porteurs,
        departements=options.departements,
        years=options.years,
    )
    filters = form.filters()
    sort = filters.pop("sort", None)
    conventions = convention_rows(user=request.user, filters=filters, sort=sort)
    if export_format(request):
        return page_export(
            request,
            CONVENTION_COLUMNS,
            lambda: (convention_export_row(c) for c in conventions.iterator(chunk_size=500)),
            filename="conventions",
            title="Conventions",
            rates=CONVENTION_RATES,
        )
    page = paginate(request, conventions)
    query = list_query(request.GET)
    return render(
        request,
        "backoffice/convention_list.html",
        {
            "title": "Conventions",
            "form": form,
            "page": page,
            "total": rows_total(page.rows),
            "headers": sort_headers(query, LIST_COLUMNS, sort or DEFAULT_SORT),
            "filtered": bool(filters),
            "query": query.urlencode(),
            "export_columns": CONVENTION_COLUMNS,
            "export_legend": "Télécharger la sélection "
            f"({counted(page.paginator.count, 'convention')}, toutes pages)",
        },
    )


@login_required
@require_safe
def convention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    convention = get_object_or_404(
        Convention.objects.fully_visible_to(request.user).select_related("funder", "beneficiary"),
        pk=pk,
    )
    page = convention_page(convention=convention, user=request.user, today=timezone.localdate())
    return render(
        request,
        "backoffice/convention_detail.html",
        {"title": convention.reference, "convention": convention, "view": page},
    )


@login_required
@require_safe
def convention_history(request: HttpRequest, pk: int) -> HttpResponse:
    convention = get_object_or_404(Convention.objects.fully_visible_to(request.user), pk=pk)
    timeline = convention_timeline(convention=convention)
    return render(
        request,
        "backoffice/convention_history.html",
        {
            "title": f"Historique — {convention.reference}",
            "convention": convention,
            "page": paginate(request, timeline, size=50),
        },
    )


def _visible_convention(request: HttpRequest, pk: int) -> Convention:
    return get_object_or_404(Convention.objects.fully_visible_to(request.user), pk=pk)


@login_required
@require_safe
def axis_actions(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Every action of one axis, 50 a page, with their money, indicators and late reports."""
    convention = _visible_convention(request, pk)
    axis: Any = get_object_or_404(axes_with_totals(convention=convention), number=number)
    actions = with_money(axis.actions.order_by("code", "pk"), funder_id=convention.funder_id)
    page = paginate(request, actions, size=50)
    return render(
        request,
        "backoffice/axis_actions.html",
        {
            "title": f"Axe {axis.number} — {convention.reference}",
            "convention": convention,
            "axis": axis,
            "spent_rate": rate_percent(axis.spent, axis.planned),
            "page": page,
            "lines": action_lines(page.rows, today=timezone.localdate()),
        },
    )


@login_required
@require_safe
def convention_late(request: HttpRequest, pk: int) -> HttpResponse:
    """Every late report of the convention, 50 a page."""
    convention = _visible_convention(request, pk)
    late = late_reports(convention_action_rows(convention=convention, today=timezone.localdate()))
    return render(
        request,
        "backoffice/convention_late.html",
        {
            "title": f"Comptes rendus en retard — {convention.reference}",
            "convention": convention,
            "page": paginate(request, late, size=50),
        },
    )


def legacy_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """The former dashboard address: bookmarks land on the convention page."""
    return HttpResponsePermanentRedirect(reverse("backoffice:convention", args=[pk]))


@login_required
@require_safe
def portfolio_page(request: HttpRequest) -> HttpResponse:
    table = request.GET.get("tableau", "")
    if export_format(request) and table in PORTFOLIO_TABLES:
        return page_export(
            request,
            portfolio_columns(table),
            lambda: map(portfolio_row, portfolio_lines(user=request.user, table=table)),
            filename=f"portefeuille-{table}",
            title=PORTFOLIO_TABLES[table],
            rates=PORTFOLIO_RATES,
        )
    return render(
        request,
        "backoffice/portfolio.html",
        {
            "title": "Portefeuille",
            "view": portfolio(user=request.user, today=timezone.localdate()),
        },
    )
