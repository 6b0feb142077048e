"""DRF renderers for `?format=csv|xlsx|ods`. A list view answers its file itself (streamed); these
render what reaches them otherwise: an error body, as a small file of the asked format."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rest_framework import exceptions, renderers

from core.exports import (
    CONTENT_TYPES,
    ERROR_COLUMNS,
    Column,
    ColumnChoiceError,
    choose_columns,
    csv_lines,
    error_rows,
    xlsx_file,
)
from core.exports_ods import ods_file


class _ExportRenderer(renderers.BaseRenderer):
    charset: str | None = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type=None, renderer_context=None) -> bytes:
        rows = error_rows(data)
        if self.format == "csv":
            return "".join(csv_lines(ERROR_COLUMNS, rows)).encode("utf-8")
        build = xlsx_file if self.format == "xlsx" else ods_file
        with build(ERROR_COLUMNS, rows, title="Erreurs", totals=None) as handle:
            return handle.read()


class CSVExportRenderer(_ExportRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    render_style = "text"


class XLSXExportRenderer(_ExportRenderer):
    media_type = CONTENT_TYPES["xlsx"]
    format = "xlsx"


class ODSExportRenderer(_ExportRenderer):
    media_type = CONTENT_TYPES["ods"]
    format = "ods"


EXPORT_RENDERERS = [CSVExportRenderer, XLSXExportRenderer, ODSExportRenderer]


def request_columns(request, columns: list[Column], ignored: Sequence[str] = ()) -> list[Column]:
    """The columns `?columns=` asks for, in its order; a 400 in French if one is unknown."""
    try:
        return choose_columns(columns, request.query_params.get("columns"), ignored=ignored)
    except ColumnChoiceError as error:
        raise exceptions.ValidationError({"columns": [str(error)]}) from None
