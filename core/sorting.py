"""Sortable table headers for list pages: each column's link keeps the other parameters, sorts
ascending first then descending, and says which column is active (for `aria-sort`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import QueryDict

PAGING_KEYS = ("page", "format", "columns")


def list_query(params: QueryDict) -> QueryDict:
    """The page's query without its page number or export choices: what links carry along."""
    query = params.copy()
    for key in PAGING_KEYS:
        query.pop(key, None)
    return query


def sort_headers(
    query: QueryDict, columns: Iterable[tuple[str, str]], current: str
) -> list[dict[str, str | None]]:
    """One header per (key, label): its link, and `aria_sort` on the column sorted by `current`
    (a key, `-` in front when descending)."""
    headers = []
    descending = current.startswith("-")
    for key, label in columns:
        params = query.copy()
        params.pop("page", None)
        active = current.lstrip("-") == key
        params["sort"] = f"-{key}" if active and not descending else key
        headers.append(
            {
                "key": key,
                "label": label,
                "url": "?" + params.urlencode(),
                "aria_sort": ("descending" if descending else "ascending") if active else None,
            }
        )
    return headers
