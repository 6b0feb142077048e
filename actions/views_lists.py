"""« Mes actions » and the review queue: search, filters, sortable columns, pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from actions import selectors, services
from actions.exports import MY_ACTION_COLUMNS, my_action_row, review_row
from actions.exports import REVIEW_COLUMNS as REVIEW_EXPORT_COLUMNS
from actions.forms_lists import (
    ACTION_COLUMNS,
    ACTION_DEFAULT_SORT,
    REVIEW_COLUMNS,
    REVIEW_DEFAULT_SORT,
    ActionFilterForm,
    ReviewFilterForm,
)
from actions.models import Action
from actions.selectors_lists import filter_actions, filter_reviews, lead_options
from core.export_pages import export_format, page_export
from core.http import AuthenticatedRequest
from core.pagination import paginate
from core.sorting import list_query, sort_headers


@login_required
@require_safe
def my_actions(request: AuthenticatedRequest) -> HttpResponse:
    actions = selectors.actions_for(user=request.user)
    form = ActionFilterForm(request.GET, leads=lead_options(actions=actions))
    filters, sort = form.filters(), form.chosen_sort(ACTION_DEFAULT_SORT)
    selection = filter_actions(actions, filters=filters, sort=sort)
    if export_format(request):
        return page_export(
            request,
            MY_ACTION_COLUMNS,
            lambda: map(
                my_action_row,
                selectors.action_rows_chunked(actions=selection, today=timezone.localdate()),
            ),
            filename="mes-actions",
            title="Mes actions",
        )
    page = paginate(request, selection)
    rows = selectors.action_rows(actions=page.rows, today=timezone.localdate())
    query = list_query(request.GET)
    context = {
        "title": "Mes actions",
        "form": form,
        "page": page,
        "rows": rows,
        "filtered": bool(filters),
        "headers": sort_headers(query, ACTION_COLUMNS, sort),
        "query": query.urlencode(),
        "export_columns": MY_ACTION_COLUMNS,
    }
    return render(request, "actions/my_actions.html", context)


@login_required
@require_safe
def review_queue(request: AuthenticatedRequest) -> HttpResponse:
    if not services.can_review(request.user):
        raise PermissionDenied(
            "La file de relecture est réservée aux chargés de mission de la CNSA."
        )
    queue = selectors.review_queue(user=request.user)
    leads = lead_options(actions=Action.objects.filter(pk__in=queue.values("action_id")))
    form = ReviewFilterForm(request.GET, leads=leads)
    filters, sort = form.filters(), form.chosen_sort(REVIEW_DEFAULT_SORT)
    selection = filter_reviews(queue, filters=filters, sort=sort)
    if export_format(request):
        return page_export(
            request,
            REVIEW_EXPORT_COLUMNS,
            lambda: map(review_row, selection.iterator(chunk_size=500)),
            filename="comptes-rendus-a-relire",
            title="Comptes rendus à relire",
        )
    page = paginate(request, selection)
    query = list_query(request.GET)
    context = {
        "title": "Comptes rendus à relire",
        "form": form,
        "page": page,
        "filtered": bool(filters),
        "headers": sort_headers(query, REVIEW_COLUMNS, sort),
        "query": query.urlencode(),
        "export_columns": REVIEW_EXPORT_COLUMNS,
    }
    return render(request, "actions/review_queue.html", context)
