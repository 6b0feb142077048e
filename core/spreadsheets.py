"""Spreadsheet cells that stay data: a text starting like a formula is neutralised."""

from __future__ import annotations

from typing import Any

# What spreadsheet programs read as the start of a formula or a command (OWASP « CSV injection »).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise_cell(value: Any) -> Any:
    """A text that a spreadsheet would run gets a leading apostrophe; anything else is unchanged
    (numbers, dates and empty cells keep their type)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
