"""Lists as ODS files (odfpy): French headers, amounts in the euro format, dates as dates, a totals
row; the same typed values as the XLSX files of core.exports."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import IO, Any

from core.exports import (
    DATE,
    DATETIME,
    MONEY,
    RATE,
    TEXT,
    Column,
    Row,
    Totals,
    total_values,
    typed_value,
)


def ods_file(
    columns: Sequence[Column], rows: Iterable[Row], *, title: str, totals: Totals | None
) -> IO[bytes]:
    """odfpy builds the document in memory: the list is bounded by the API's own limits."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table

    document = OpenDocumentSpreadsheet()
    styles = _ods_styles(document)
    table = Table(name=title[:31])
    table.addElement(_ods_row([c.label for c in columns], [TEXT] * len(columns), styles))
    kinds = [c.kind for c in columns]
    for row in totals.track(rows) if totals else rows:
        table.addElement(
            _ods_row([typed_value(c, row.get(c.code)) for c in columns], kinds, styles)
        )
    if totals is not None:
        table.addElement(_ods_row(total_values(columns, totals.row()), kinds, styles))
    document.spreadsheet.addElement(table)
    handle = io.BytesIO()
    document.write(handle)
    handle.seek(0)
    return handle


def _ods_styles(document: Any) -> dict[str, Any]:
    from odf.number import (
        CurrencyStyle,
        CurrencySymbol,
        DateStyle,
        Day,
        Hours,
        Minutes,
        Month,
        Number,
        PercentageStyle,
        Text,
        Year,
    )
    from odf.style import Style

    euro = CurrencyStyle(name="euro")
    euro.addElement(Number(decimalplaces="2", minintegerdigits="1", grouping="true"))
    euro.addElement(Text(text="\u00a0"))
    euro.addElement(CurrencySymbol(language="fr", country="FR", text="€"))
    rate = PercentageStyle(name="rate")
    rate.addElement(Number(decimalplaces="2", minintegerdigits="1"))
    rate.addElement(Text(text="\u00a0%"))
    day = DateStyle(name="day")
    for part in (Day(style="long"), Text(text="/"), Month(style="long"), Text(text="/")):
        day.addElement(part)
    day.addElement(Year(style="long"))
    moment = DateStyle(name="moment")
    for part in (Day(style="long"), Text(text="/"), Month(style="long"), Text(text="/")):
        moment.addElement(part)
    for part in (Year(style="long"), Text(text=" "), Hours(style="long"), Text(text=":")):
        moment.addElement(part)
    moment.addElement(Minutes(style="long"))
    styles = {}
    for kind, data_style in ((MONEY, euro), (RATE, rate), (DATE, day), (DATETIME, moment)):
        document.automaticstyles.addElement(data_style)
        cell = Style(name=f"cell-{kind}", family="table-cell", datastylename=data_style)
        document.automaticstyles.addElement(cell)
        styles[kind] = cell
    return styles


def _ods_row(values: Sequence[Any], kinds: Sequence[str], styles: dict[str, Any]) -> Any:
    from odf.table import TableCell, TableRow
    from odf.text import P

    row = TableRow()
    for value, kind in zip(values, kinds, strict=True):
        if value is None:
            row.addElement(TableCell())
        elif isinstance(value, str):
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        elif kind == MONEY:
            cell = TableCell(
                valuetype="currency", currency="EUR", value=str(value), stylename=styles[MONEY]
            )
            row.addElement(cell)
        elif kind == RATE:
            # ODS percentages are fractions: 53.37 % is stored as 0.5337.
            row.addElement(
                TableCell(valuetype="percentage", value=str(value / 100), stylename=styles[RATE])
            )
        elif kind in (DATE, DATETIME):
            row.addElement(
                TableCell(valuetype="date", datevalue=value.isoformat(), stylename=styles[kind])
            )
        else:
            row.addElement(TableCell(valuetype="float", value=str(value)))
    return row
