"""Moved to `core.money`; this alias keeps older imports working."""

from core.money import (  # noqa: F401
    CENT,
    NBSP,
    ZERO,
    format_decimal_fr,
    format_euros,
    format_rate,
    rate_percent,
    round_money,
)
