"""The totals as files: their columns (French headers, codes for machines) and the CSV answer."""

from __future__ import annotations

import csv
import io
import itertools

from django.http import HttpResponse, StreamingHttpResponse
from rest_framework import renderers

from core.export_renderers import request_columns
from core.exports import CONTENT_TYPES, INTEGER, MONEY, RATE, TEXT, Column, csv_lines
from core.spreadsheets import neutralise_cell
from financing.totals import GROUP_KEYS, STREAM_BATCH


class TotalsCSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        """The rows with a header line (always there, even with no row); errors as field,message."""
        rows = data.get("results") if isinstance(data, dict) else None
        columns = getattr((renderer_context or {}).get("view"), "csv_columns", None)
        if rows is None:
            columns = ["champ", "message"]
            rows = [
                {"champ": k, "message": " ".join(map(str, v if isinstance(v, list) else [v]))}
                for k, v in (data or {}).items()
            ]
        out = io.StringIO()
        writer = csv.DictWriter(
            out, fieldnames=columns or list(rows[0]), lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(
            {k: "" if v is None else neutralise_cell(v) for k, v in row.items()} for row in rows
        )
        return out.getvalue().encode(self.charset)


KEY_LABELS = {
    "convention": "Convention",
    "axis": "Axe",
    "action": "Action",
    "year": "Année",
    "funder": "Financeur",
    "beneficiary": "Porteur",
    "departement": "Département",
}
MEASURE_COLUMNS = [
    Column("planned", "Prévu", MONEY),
    Column("cnsa_planned", "Prévu CNSA", MONEY),
    Column("cnsa_rate", "Taux CNSA", RATE),
    Column("paid", "Versé", MONEY),
    Column("spent", "Dépensé", MONEY),
]


def totals_columns(group_by: list[str]) -> list[Column]:
    keys = [
        column
        for key in group_by
        for column in (
            Column(key, f"{KEY_LABELS[key]} (code)", TEXT if key == "departement" else INTEGER),
            Column(f"{key}_label", KEY_LABELS[key]),
        )
    ]
    return keys + MEASURE_COLUMNS


ALL_TOTALS_CODES = [c.code for c in totals_columns(list(GROUP_KEYS))]


def csv_response(columns: list[Column], rows) -> HttpResponse | StreamingHttpResponse:
    """A small file in one response (its length known), a bigger one streamed line by line."""
    lines = csv_lines(columns, rows)
    head = list(itertools.islice(lines, STREAM_BATCH + 1))
    response: HttpResponse | StreamingHttpResponse
    if len(head) <= STREAM_BATCH:
        response = HttpResponse("".join(head), content_type=CONTENT_TYPES["csv"])
    else:
        response = StreamingHttpResponse(
            itertools.chain(head, lines), content_type=CONTENT_TYPES["csv"]
        )
    response["Content-Disposition"] = 'attachment; filename="totaux.csv"'
    return response


def request_totals_columns(request, group_by: list[str]) -> list[Column]:
    columns = totals_columns(group_by)
    shown = {c.code for c in columns}
    return request_columns(
        request, columns, ignored=[c for c in ALL_TOTALS_CODES if c not in shown]
    )
