"""API plumbing named in settings (filter backend, pagination). Kept apart from the rest of
core.api: DRF reads these settings while importing its generic views."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination


class StrictFilterBackend(DjangoFilterBackend):
    """An empty filter value is a client mistake: say so instead of silently ignoring it."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            empty = [n for n in filterset.filters if request.query_params.get(n, None) == ""]
            if empty:
                raise exceptions.ValidationError(
                    {name: ["Ce paramètre ne peut pas être vide."] for name in empty}
                )
        return filterset


class DeferredJoinPaginator(Paginator):
    """A page is found by its ids alone (the ordering's index, no join, no per-row total), then
    only its rows are read with their relations and annotations: page 2 000 costs what page 1 does."""

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.object_list
        if isinstance(rows, QuerySet):
            ids = list(rows.values_list("pk", flat=True)[bottom : bottom + self.per_page])
            by_id = {row.pk: row for row in rows.order_by().filter(pk__in=ids)}
            return Page([by_id[pk] for pk in ids if pk in by_id], number, self)
        return super().page(number)


class ApiPagination(PageNumberPagination):
    django_paginator_class = DeferredJoinPaginator

    def paginate_queryset(self, queryset, request, view=None):
        if request.query_params.get(self.page_query_param, None) == "":
            raise exceptions.NotFound("Page non valide.")
        return super().paginate_queryset(queryset, request, view)
