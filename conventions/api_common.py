"""API plumbing named in settings (filter backend, pagination). Kept apart from conventions.api:
DRF reads these settings while importing its generic views, which conventions.api imports."""

from __future__ import annotations

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


class ApiPagination(PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        if request.query_params.get(self.page_query_param, None) == "":
            raise exceptions.NotFound("Page non valide.")
        return super().paginate_queryset(queryset, request, view)
