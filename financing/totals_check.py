"""Rebuild the totals tables from the raw rows, and compare them: `manage.py rebuild_totals`.

The raw rows are the one definition of what each total means: funding lines (planned), spending of
approved progress reports (spent, year of the report's period), CNSA payments made, net of reclaims
(paid, year of payment, under the convention's funder); the CNSA share of planned is what the
convention's funder funds, an action's département is its lead organisation's, else its
beneficiary's. The triggers of totals_upkeep keep the tables
equal to it; `totals_differences` proves it, cheaply: one grouped query per table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction

from financing.totals_deltas import ACTION_JOINS, DEPARTEMENT_OF_A, year_of
from financing.totals_upkeep import GRAINS, Grain

TOLERANCE = Decimal("0.005")  # SQLite sums in binary floating point; PostgreSQL is exact
RAW_TABLES = ("financing_fundingline", "actions_spending", "actions_progressreport")
# Where a total is counted: a move in one of them moves totals (see totals_deltas).
PLACES = ("actions_action", "axes_axis", "conventions_convention", "conventions_organisation")
PAYMENTS = "financing_payment"


def raw_rows(vendor: str) -> str:
    return (
        "SELECT fl.action_id AS action_id, a.axis_id AS axis_id, x.convention_id AS convention_id, "
        "fl.funder_id AS funder_key, fl.year AS year, fl.amount AS planned, "
        "CASE WHEN fl.funder_id = c.funder_id THEN fl.amount ELSE 0 END AS cnsa_planned, "
        f"0 AS spent, 0 AS paid, {DEPARTEMENT_OF_A} AS departement "
        f"FROM financing_fundingline fl JOIN actions_action a ON a.id = fl.action_id {ACTION_JOINS} "
        "UNION ALL "
        "SELECT r.action_id, a.axis_id, x.convention_id, COALESCE(s.funder_id, 0), "
        f"{year_of(vendor, 'r.period_start')}, 0, 0, s.amount, 0, {DEPARTEMENT_OF_A} "
        "FROM actions_spending s JOIN actions_progressreport r ON r.id = s.report_id "
        f"JOIN actions_action a ON a.id = r.action_id {ACTION_JOINS} "
        "WHERE r.status = 'approved' "
        "UNION ALL "
        f"SELECT NULL, NULL, p.convention_id, c.funder_id, {year_of(vendor, 'p.paid_on')}, 0, 0, 0, "
        "CASE WHEN p.kind = 'reclaim' THEN -p.amount ELSE p.amount END, NULL "
        f"FROM {PAYMENTS} p JOIN conventions_convention c ON c.id = p.convention_id "
        "WHERE p.status = 'paid'"
    )


def _raw_for(grain: Grain, vendor: str) -> str:
    return f"SELECT * FROM ({raw_rows(vendor)}) AS raw WHERE {grain.keys[0]} IS NOT NULL"


@dataclass(frozen=True)
class Difference:
    table: str
    key: dict[str, object]
    gaps: dict[str, Decimal]  # summary minus raw rows, per measure

    def __str__(self) -> str:
        keys = ", ".join(f"{k}={v}" for k, v in self.key.items())
        gaps = ", ".join(f"{m} {v:+}" for m, v in self.gaps.items() if v)
        return f"{self.table} ({keys}) : écart {gaps}"


def totals_differences() -> list[Difference]:
    """Every (grain, key) where the summary differs from the raw rows, by how much."""
    differences: list[Difference] = []
    with connection.cursor() as cursor:
        for grain in GRAINS.values():
            keys, measures = ", ".join(grain.keys), grain.measures
            summary = f"SELECT {keys}, {', '.join(measures)} FROM {grain.table}"
            raw = f"SELECT {keys}, {', '.join(f'-{m}' for m in measures)} FROM ({_raw_for(grain, connection.vendor)}) AS r"
            gaps = " OR ".join(f"ABS(SUM({m})) >= {TOLERANCE}" for m in measures)
            cursor.execute(
                f"SELECT {keys}, {', '.join(f'SUM({m})' for m in measures)} "
                f"FROM ({summary} UNION ALL {raw}) AS d GROUP BY {keys} HAVING {gaps} "
                f"ORDER BY {keys}"
            )
            for row in cursor.fetchall():
                n = len(grain.keys)
                differences.append(
                    Difference(
                        grain.table,
                        dict(zip(grain.keys, row[:n], strict=True)),
                        {
                            m: Decimal(str(v)).quantize(Decimal("0.01"))
                            for m, v in zip(measures, row[n:], strict=True)
                        },
                    )
                )
    return differences


@transaction.atomic
def totals_rebuild(grains: Iterable[str] = tuple(GRAINS)) -> dict[str, int]:
    """Empty the totals tables (of these grains) and fill them from the raw rows; writers wait
    meanwhile."""
    vendor = connection.vendor
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            # Readers go on; a write waits until the rebuild commits, so none is lost in between.
            cursor.execute(
                f"LOCK TABLE {', '.join((*RAW_TABLES, PAYMENTS, *PLACES))} IN SHARE MODE"
            )
        for grain in (GRAINS[name] for name in grains):
            keys, measures = ", ".join(grain.keys), ", ".join(grain.measures)
            sums = ", ".join(f"SUM({m})" for m in grain.measures)
            cursor.execute(f"DELETE FROM {grain.table}")
            cursor.execute(
                f"INSERT INTO {grain.table} ({keys}, {measures}) SELECT {keys}, {sums} "
                f"FROM ({_raw_for(grain, vendor)}) AS r GROUP BY {keys}"
            )
            counts[grain.table] = cursor.rowcount
    return counts
