"""Money: one place that rounds, one place that formats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
NBSP = "\u00a0"


def round_money(value: Decimal | int) -> Decimal:
    """Half-up to the cent: the only rounding the product does."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def rate_percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole as a percentage, half-up to 2 decimals; None when whole is zero."""
    if part is None or not whole:
        return None
    return round_money(Decimal(part) * 100 / Decimal(whole))


def _group_thousands(digits: str, sep: str) -> str:
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sep.join(groups)


def format_decimal_fr(value: Decimal | int | None, *, sep: str = NBSP) -> str:
    """1103953.5 -> '1 103 953,50' (French grouping and decimal comma)."""
    if value is None:
        return "—"
    amount = round_money(value)
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(amount):.2f}".split(".")
    return f"{sign}{_group_thousands(units, sep)},{cents}"


def format_euros(value: Decimal | int | None, *, sep: str = NBSP) -> str:
    """1103953 -> '1 103 953,00 €'."""
    if value is None:
        return "—"
    return f"{format_decimal_fr(value, sep=sep)}{sep}€"


def format_rate(value: Decimal | None, *, sep: str = NBSP) -> str:
    """Decimal('53.37') -> '53,37 %'."""
    if value is None:
        return "—"
    return f"{format_decimal_fr(value, sep=sep)}{sep}%"
