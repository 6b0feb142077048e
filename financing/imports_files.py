"""A spreadsheet read into plain cells, within bounds checked before any parser opens it.

XLSX (openpyxl) and ODS (odfpy) both become `Sheet`s: the cells that hold a value, keyed by
(row, column) from 1, and the merged ranges. The archive is inspected first (size, entry count,
inflated sizes, compression ratio), so a zip bomb is refused having read only its directory."""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError

from core.uploads import REFUSED_BOMB, REFUSED_MACROS

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 100
MAX_INFLATED_BYTES = 30 * 1024 * 1024  # a plan of 1 000 lines inflates to a few megabytes
MAX_RATIO = 100
MAX_ROWS = 5000
MAX_COLUMNS = 200

XLSX, ODS = "xlsx", "ods"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

REFUSED_SIZE = (
    "Le fichier dépasse 5 Mo : un plan de financement tient en quelques dizaines de kilo-octets. "
    "Vérifiez que c'est bien le modèle téléchargé pour cette convention."
)
REFUSED_TYPE = (
    "Ce fichier n'est ni un classeur XLSX ni un classeur ODS : téléchargez le modèle de la "
    "convention, remplissez-le et enregistrez-le au format .xlsx ou .ods."
)
REFUSED_UNREADABLE = (
    "Ce classeur ne peut pas être lu (fichier endommagé ?) : ouvrez-le dans votre tableur et "
    "enregistrez-le de nouveau au format .xlsx ou .ods."
)
REFUSED_EMPTY = "Le fichier est vide."


def refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


@dataclass
class Sheet:
    name: str
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)

    def value(self, row: int, column: int) -> Any:
        return self.cells.get((row, column))

    @property
    def last_row(self) -> int:
        return max((row for row, _ in self.cells), default=0)


def cell_name(row: int, column: int) -> str:
    """(3, 5) → « E3 », as spreadsheets name cells."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def workbook_read(upload: IO[bytes], *, size: int | None = None) -> dict[str, Sheet]:
    """The sheets of an XLSX or ODS file, by name; a French ValidationError on `file` otherwise."""
    upload.seek(0, io.SEEK_END)
    length = upload.tell() if size is None else size
    upload.seek(0)
    if length > MAX_IMPORT_BYTES:
        raise refuse(REFUSED_SIZE)
    if length == 0:
        raise refuse(REFUSED_EMPTY)
    data = upload.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise refuse(REFUSED_SIZE)
    kind = _archive_kind(data)
    try:
        return _read_xlsx(data) if kind == XLSX else _read_ods(data)
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure is a damaged file to the user
        raise refuse(REFUSED_UNREADABLE) from error


def _archive_kind(data: bytes) -> str:
    if data[:4] != b"PK\x03\x04":
        raise refuse(REFUSED_TYPE)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_members(members)
            names = {member.filename for member in members}
            if "mimetype" in names:
                if any(name.startswith(("Basic/", "Scripts/")) for name in names):
                    raise refuse(REFUSED_MACROS)
                with archive.open("mimetype") as member:
                    if member.read(200).strip() == ODS_MIMETYPE:
                        return ODS
                raise refuse(REFUSED_TYPE)
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise refuse(REFUSED_MACROS)
            if "xl/workbook.xml" in names:
                return XLSX
    except zipfile.BadZipFile as error:
        raise refuse(REFUSED_UNREADABLE) from error
    raise refuse(REFUSED_TYPE)


def _check_members(members: list[zipfile.ZipInfo]) -> None:
    """Before anything is inflated: the central directory's counts and sizes. A member that lies
    about its size is caught by the parser's bounded reads (zipfile stops at the declared size)."""
    if len(members) > MAX_ENTRIES:
        raise refuse(REFUSED_BOMB)
    inflated = sum(member.file_size for member in members)
    dense = any(
        member.file_size > 1024 * 1024
        and member.file_size / max(member.compress_size, 1) > MAX_RATIO
        for member in members
    )
    if inflated > MAX_INFLATED_BYTES or dense:
        raise refuse(REFUSED_BOMB)


def _read_xlsx(data: bytes) -> dict[str, Sheet]:
    from openpyxl import load_workbook

    # data_only: a formula gives the value the spreadsheet last computed, as people see it.
    workbook = load_workbook(io.BytesIO(data), data_only=True)
    sheets = {}
    for worksheet in workbook.worksheets:
        if worksheet.max_row > MAX_ROWS or worksheet.max_column > MAX_COLUMNS:
            raise refuse(_too_large(worksheet.title))
        sheet = Sheet(worksheet.title, merged=[str(r) for r in worksheet.merged_cells.ranges])
        for (row, column), cell in worksheet._cells.items():
            if cell.value is not None and cell.value != "":
                sheet.cells[(row, column)] = cell.value
        sheets[sheet.name] = sheet
    return sheets


def _too_large(name: str) -> str:
    return (
        f"La feuille « {name} » dépasse {MAX_ROWS} lignes ou {MAX_COLUMNS} colonnes : "
        "ce n'est pas un plan de financement."
    )


def _read_ods(data: bytes) -> dict[str, Sheet]:
    from odf.namespaces import TABLENS
    from odf.opendocument import load
    from odf.table import Table

    document = load(io.BytesIO(data))
    sheets = {}
    for table in document.spreadsheet.getElementsByType(Table):
        sheet = Sheet(str(table.getAttrNS(TABLENS, "name")))
        _ods_table(table, sheet)
        sheets[sheet.name] = sheet
    return sheets


def _ods_table(table: Any, sheet: Sheet) -> None:
    """Repeated rows and cells are counted, not expanded (a file ends on a million empty rows)."""
    from odf.namespaces import TABLENS

    row_number = 0
    for row in _children(table, "table-row", inside=("table-rows", "table-header-rows")):
        repeat = int(row.getAttrNS(TABLENS, "number-rows-repeated") or 1)
        column = 0
        for cell in _children(row, "table-cell", "covered-table-cell"):
            span = cell.getAttrNS(TABLENS, "number-columns-repeated")
            count = int(span or 1)
            value = _ods_value(cell) if cell.tagName == "table:table-cell" else None
            merged_across = int(cell.getAttrNS(TABLENS, "number-columns-spanned") or 1)
            merged_down = int(cell.getAttrNS(TABLENS, "number-rows-spanned") or 1)
            if merged_across > 1 or merged_down > 1:
                first = cell_name(row_number + 1, column + 1)
                last = cell_name(row_number + merged_down, column + merged_across)
                sheet.merged.append(f"{first}:{last}")
            if value is not None:
                if row_number + repeat > MAX_ROWS or column + count > MAX_COLUMNS:
                    raise refuse(_too_large(sheet.name))
                for r in range(row_number + 1, row_number + repeat + 1):
                    for c in range(column + 1, column + count + 1):
                        sheet.cells[(r, c)] = value
            column += count
        row_number += repeat


def _children(element: Any, *tags: str, inside: tuple[str, ...] = ()) -> list[Any]:
    found = []
    for child in element.childNodes:
        local = getattr(child, "tagName", "").partition(":")[2]
        if local in tags:
            found.append(child)
        elif local in inside:
            found += _children(child, *tags)
    return found


def _ods_value(cell: Any) -> Any:
    from odf.namespaces import OFFICENS

    kind = cell.getAttrNS(OFFICENS, "value-type")
    if kind in ("float", "currency", "percentage"):
        return Decimal(cell.getAttrNS(OFFICENS, "value"))
    if kind == "date":
        return datetime.date.fromisoformat(cell.getAttrNS(OFFICENS, "date-value")[:10])
    if kind == "boolean":
        return cell.getAttrNS(OFFICENS, "boolean-value") == "true"
    text = "\n".join(str(p) for p in _children(cell, "p"))
    return text or None
