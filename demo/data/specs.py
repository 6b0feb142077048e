"""The shapes of the demo data: a convention, its axes and actions, and what happened after signature."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class ActionSpec:
    code: str
    title: str
    means: str
    lead: str
    cnsa: Decimal
    own: Decimal
    indicators: list[tuple[str, str, Decimal]] = field(default_factory=list)
    description: str = ""


@dataclass
class HistorySpec:
    """What happened after signature: payments, approved yearly reports, final report, balance."""

    payments: list[tuple[str, Decimal, datetime.date]]
    reported_years: range | None  # None: every year of the convention
    spent_share: Decimal  # spending reported, as a share of each action's planned cost
    report_author: str
    final_report_on: datetime.date | None = None
    settled_on: datetime.date | None = None  # balance paid, then the convention is closed


@dataclass
class ConventionSpec:
    reference: str
    title: str
    beneficiary: str
    start: datetime.date
    end: datetime.date
    signed_on: datetime.date
    axes: list[tuple[str, str, list[ActionSpec]]]
    illustrative: bool
    objet: str
    history: HistorySpec
