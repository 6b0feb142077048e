"""A page's list as a file: `?format=csv|xlsx|ods` and `?columns=` (checkboxes, repeated) on the
page's own address, with its filters; the whole list, not one page of it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse

from core.exports import (
    EXPORT_FORMATS,
    Column,
    ColumnChoiceError,
    RateOf,
    Row,
    choose_columns,
    export_response,
)


def export_format(request: HttpRequest) -> str | None:
    """The file format asked for, or None for the HTML page."""
    fmt = request.GET.get("format")
    return fmt if fmt in EXPORT_FORMATS else None


def page_export(
    request: HttpRequest,
    columns: Sequence[Column],
    rows: Callable[[], Iterable[Row]],
    *,
    filename: str,
    title: str,
    rates: Mapping[str, RateOf] | None = None,
) -> HttpResponse:
    """The file of the asked format; an unknown column is a 400 in French. `rows` is only read
    once the columns are known good."""
    fmt = export_format(request) or "csv"
    try:
        chosen = choose_columns(columns, ",".join(request.GET.getlist("columns")))
    except ColumnChoiceError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    response: Any = export_response(
        fmt, chosen, rows(), filename=filename, title=title, rates=rates
    )
    return response
