"""Every API list as a file: `?format=csv|xlsx|ods` and `?columns=` on a viewset's list.

A viewset mixes in `ListExportMixin` and names its `export_columns`: the file holds the same
figures as the JSON (each row is the serializer's own output, so what a user may not see stays
hidden), the whole filtered and sorted list rather than one page, read in chunks and streamed. The
schema class (`core.api.schema`) documents both parameters from the same columns."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar

from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions

from core.export_renderers import EXPORT_RENDERERS, request_columns
from core.exports import EXPORT_FORMATS, Column, RateOf, columns_pattern, export_response

EXPORT_CHUNK = 500


def export_parameters(columns: Sequence[Column]) -> list[OpenApiParameter]:
    """`format` and `columns`, documented with the list's own column codes and labels."""
    listed = ", ".join(f"`{c.code}` ({c.label})" for c in columns)
    return [
        OpenApiParameter(
            "format",
            str,
            enum=["json", *EXPORT_FORMATS],
            description=(
                "`csv` : codes stables, point décimal, dates ISO, toute la liste (non paginée), "
                "diffusée ligne à ligne. `xlsx`, `ods` : en-têtes en français, montants en "
                "nombres au format euro, dates en dates, ligne de total."
            ),
        ),
        OpenApiParameter(
            "columns",
            {"type": "string", "pattern": columns_pattern([c.code for c in columns])},
            description=(
                "Colonnes du fichier, séparées par des virgules, dans cet ordre (défaut : "
                f"toutes). Colonnes : {listed}."
            ),
        ),
    ]


class ListExportMixin:
    """Mixed in before the DRF viewset class: `?format=` on `list` answers a file."""

    export_columns: ClassVar[list[Column]] = []
    export_rates: ClassVar[Mapping[str, RateOf]] = {}
    export_name: ClassVar[str] = "export"
    export_title: ClassVar[str] = "Export"

    def export_row(self, data: dict[str, Any]) -> dict[str, Any]:
        """One serialized item as a row: flattens what the JSON nests."""
        return data

    def _serialized(self, items) -> Iterator[dict[str, Any]]:
        """Read in chunks, each serialized at once: one serializer per chunk, not per row."""
        view: Any = self
        chunk: list[Any] = []
        for item in items.iterator(chunk_size=EXPORT_CHUNK):
            chunk.append(item)
            if len(chunk) == EXPORT_CHUNK:
                yield from view.get_serializer(chunk, many=True).data
                chunk = []
        if chunk:
            yield from view.get_serializer(chunk, many=True).data

    def get_renderers(self):
        renderers = super().get_renderers()  # type: ignore[misc]
        # No action: a method the route does not have, answered 405 whatever its ?format=.
        if getattr(self, "action", None) in ("list", None):
            renderers += [renderer() for renderer in EXPORT_RENDERERS]
        return renderers

    def list(self, request, *args, **kwargs):
        view: Any = self
        columns = request_columns(request, self.export_columns)  # checked in JSON too: same 400
        fmt = request.accepted_renderer.format
        if fmt not in EXPORT_FORMATS:
            return super().list(request, *args, **kwargs)  # type: ignore[misc]
        page = request.query_params.get(view.paginator.page_query_param)
        if page is not None and not (page.isdigit() and int(page) >= 1):
            raise exceptions.NotFound("Page non valide.")  # as in JSON, though a file has no page
        items = view.filter_queryset(view.get_queryset())
        rows = (self.export_row(data) for data in self._serialized(items))
        return export_response(
            fmt,
            columns,
            rows,
            filename=self.export_name,
            title=self.export_title,
            rates=self.export_rates,
        )
