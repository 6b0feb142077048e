"""Lists as files: CSV for machines, XLSX and ODS for people.

CSV: stable codes as headers, amounts with a decimal point, ISO dates, no totals row, streamed row by
row. XLSX (openpyxl, write-only: rows go to a temporary file, not memory) and ODS (odfpy): French
headers, amounts as numbers in the euro format, dates as dates, a totals row. Every text cell is
neutralised against formula injection."""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from core.money import ZERO, rate_percent
from core.spreadsheets import neutralise_cell

TEXT, MONEY, RATE, DATE, DATETIME = "text", "money", "rate", "date", "datetime"
INTEGER, NUMBER = "integer", "number"
EURO_FORMAT = '#,##0.00\\ "€"'
RATE_FORMAT = "0.00%"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
TOTAL_LABEL = "Total"
EXPORT_FORMATS = ("csv", "xlsx", "ods")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}

Row = Mapping[str, Any]
# Control characters XML 1.0 cannot hold: a spreadsheet cell drops them (they come from input
# echoed in an error message, never from our data).
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Column:
    """`code` heads the CSV, `label` the spreadsheets; `display` turns a code into its label
    for people (a status); `kind` says how the cell is typed; a money column is summed in the
    totals row unless `summed` is false (amounts before and after an amendment)."""

    code: str
    label: str
    kind: str = TEXT
    display: Callable[[Any], Any] | None = None
    summed: bool = True


@dataclass(frozen=True)
class RateOf:
    """The totals row's rate: derived from the totals (part / whole), never summed."""

    part: str
    whole: str


class ColumnChoiceError(ValueError):
    pass


def columns_pattern(codes: Sequence[str]) -> str:
    """The `columns` parameter's pattern for the OpenAPI schema: known codes, comma-separated."""
    one = "(" + "|".join(codes) + ")"
    return f"^({one}(,{one})*)?$"


def choose_columns(
    columns: Sequence[Column], requested: str | None, *, ignored: Sequence[str] = ()
) -> list[Column]:
    """`?columns=a,b` keeps those columns in that order; empty or absent keeps them all. Codes in
    `ignored` (known, but absent from this view) are dropped without error."""
    if not requested:
        return list(columns)
    by_code = {c.code: c for c in columns}
    codes = [c.strip() for c in requested.split(",") if c.strip() and c.strip() not in ignored]
    if not codes:
        return list(columns)
    unknown = [c for c in codes if c not in by_code]
    if unknown or not codes:
        raise ColumnChoiceError(
            f"Colonne inconnue : « {(unknown or [requested])[0]} ». "
            f"Colonnes admises : {', '.join(by_code)}."
        )
    return [by_code[c] for c in dict.fromkeys(codes)]


class Totals:
    """The totals row, summed while the rows stream past (`track`), read once they are all out.

    Money columns add up; one with a missing value in any row stays empty; rates are derived from
    the totals (`RateOf`), never summed."""

    def __init__(self, columns: Sequence[Column], rates: Mapping[str, RateOf] | None = None):
        self.rates = dict(rates or {})
        summed = [c.code for c in columns if c.kind == MONEY and c.summed]
        summed += [code for r in self.rates.values() for code in (r.part, r.whole)]
        self.sums: dict[str, Decimal | None] = dict.fromkeys(summed, ZERO)

    def track(self, rows: Iterable[Row]) -> Iterator[Row]:
        for row in rows:
            for code, total in self.sums.items():
                value = row.get(code)
                self.sums[code] = (
                    None if total is None or value in (None, "") else total + Decimal(value)
                )
            yield row

    def row(self) -> dict[str, Any]:
        total: dict[str, Any] = dict(self.sums)
        for code, rate in self.rates.items():
            total[code] = rate_percent(total.get(rate.part), total.get(rate.whole))
        return total


def typed_value(column: Column, value: Any) -> Any:
    if value is None or value == "":
        return None
    if column.display is not None:
        value = column.display(value)
    if column.kind in (MONEY, RATE, NUMBER):
        return Decimal(value)
    if column.kind == DATE and isinstance(value, str):
        return datetime.date.fromisoformat(value)
    if column.kind == DATETIME:
        return _local_time(value)
    if column.kind == INTEGER:
        return int(value)
    return neutralise_cell(XML_ILLEGAL.sub("", str(value)))


def _local_time(value: Any) -> datetime.datetime:
    """Spreadsheets hold no time zone: the time as read in France."""
    from django.utils import timezone

    moment = datetime.datetime.fromisoformat(value) if isinstance(value, str) else value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None, microsecond=0)


# --- CSV ----------------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(columns: Sequence[Column], rows: Iterable[Row]) -> Iterator[str]:
    """One line at a time, for a StreamingHttpResponse: codes as they are, no totals row."""
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield writer.writerow([c.code for c in columns])
    for row in rows:
        yield writer.writerow([_csv_cell(row.get(c.code)) for c in columns])


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise_cell(value) if isinstance(value, str) else value


# --- XLSX ---------------------------------------------------------------------------------------


def xlsx_file(
    columns: Sequence[Column], rows: Iterable[Row], *, title: str, totals: Totals | None
) -> IO[bytes]:
    """A temporary file holding the workbook, rewound: rows are written as they come."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)

    def cells(values: list[Any], font: Font | None = None) -> list[Any]:
        out = []
        for column, value in zip(columns, values, strict=True):
            if column.kind == RATE and isinstance(value, Decimal):
                value = value / 100  # a true percentage: 53.37 % is the number 0.5337
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = _xlsx_format(column.kind, value)
            if font is not None:
                cell.font = font
            out.append(cell)
        return out

    sheet.append([WriteOnlyCell(sheet, value=c.label) for c in columns])
    for row in totals.track(rows) if totals else rows:
        sheet.append(cells([typed_value(c, row.get(c.code)) for c in columns]))
    if totals is not None:
        sheet.append(cells(total_values(columns, totals.row()), font=bold))
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def _xlsx_format(kind: str, value: Any) -> str:
    if value is None or isinstance(value, str):
        return "General"
    formats = {MONEY: EURO_FORMAT, RATE: RATE_FORMAT, DATE: DATE_FORMAT, DATETIME: DATETIME_FORMAT}
    return formats.get(kind, "General")


def total_values(columns: Sequence[Column], total: Row) -> list[Any]:
    values = [
        typed_value(c, total.get(c.code)) if c.kind in (MONEY, RATE) and c.summed else None
        for c in columns
    ]
    first_text = next((i for i, c in enumerate(columns) if c.kind not in (MONEY, RATE)), None)
    if first_text is not None:
        values[first_text] = TOTAL_LABEL
    return values


# --- HTTP ---------------------------------------------------------------------------------------


def export_response(
    fmt: str,
    columns: Sequence[Column],
    rows: Iterable[Row],
    *,
    filename: str,
    title: str,
    rates: Mapping[str, RateOf] | None = None,
) -> Any:
    """The file as a download: CSV streamed line by line, spreadsheets from their file."""
    from django.http import FileResponse, StreamingHttpResponse

    disposition = f'attachment; filename="{filename}.{fmt}"'
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(columns, rows), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = disposition
        return response
    from core.exports_ods import ods_file

    build = xlsx_file if fmt == "xlsx" else ods_file
    summed = any(c.kind == MONEY and c.summed for c in columns)
    totals = Totals(columns, rates) if summed else None  # no money, no totals row
    handle = build(columns, rows, title=title, totals=totals)
    response = FileResponse(handle, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = disposition
    return response


def error_rows(data: Any) -> list[dict[str, str]]:
    """An API error body (field -> messages) as rows a spreadsheet can show."""
    if not isinstance(data, Mapping):
        return [{"champ": "", "message": str(data)}]
    return [
        {"champ": str(k), "message": " ".join(map(str, v if isinstance(v, list) else [v]))}
        for k, v in data.items()
    ]


ERROR_COLUMNS = [Column("champ", "Champ"), Column("message", "Message")]
