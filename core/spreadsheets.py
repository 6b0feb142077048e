"""Cells written to CSV or spreadsheet files that a spreadsheet could take for a formula."""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def neutralise_cell(value: Any) -> Any:
    """Text starting like a formula gets a leading apostrophe (OWASP's advice); numbers,
    negative amounts included, stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


def neutralise_row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: neutralise_cell(value) for key, value in row.items()}
