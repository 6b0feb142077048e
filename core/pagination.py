"""Pagination for pages: the page's rows are evaluated once, before the template renders."""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 20


class RowsPage(Page):
    """A page whose `rows` is a list: the template iterates it without touching the database."""

    def __init__(self, object_list: Any, number: int, paginator: Paginator) -> None:
        super().__init__(object_list, number, paginator)
        self.rows: list[Any] = list(object_list)


class RowsPaginator(Paginator):
    def _get_page(self, *args: Any, **kwargs: Any) -> RowsPage:
        return RowsPage(*args, **kwargs)


def paginate(request: HttpRequest, queryset: Any, size: int = PAGE_SIZE) -> RowsPage:
    """The page named by `?page=` (the last one when out of range, the first one when not a number)."""
    return cast(RowsPage, RowsPaginator(queryset, size).get_page(request.GET.get("page")))
