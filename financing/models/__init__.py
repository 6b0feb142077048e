"""Funding lines, payments and open-data publications (money), and the totals tables kept from
them by the database (totals)."""

from financing.models.money import (
    FundingLine,
    FundingLineQuerySet,
    Payment,
    PaymentQuerySet,
    Publication,
)
from financing.models.totals import (
    NOT_SPLIT,
    ActionSummary,
    ActionTotal,
    AxisFunderTotal,
    AxisSummary,
    AxisTotal,
    ConventionTotal,
    DepartementSummary,
    DepartementTotal,
)

__all__ = [
    "NOT_SPLIT",
    "ActionSummary",
    "ActionTotal",
    "AxisFunderTotal",
    "AxisSummary",
    "AxisTotal",
    "ConventionTotal",
    "DepartementSummary",
    "DepartementTotal",
    "FundingLine",
    "FundingLineQuerySet",
    "Payment",
    "PaymentQuerySet",
    "Publication",
]
