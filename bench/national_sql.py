"""The same totals as plain SQL, timed in the same run as the HTTP load: from the raw rows (what the
API did before the totals tables) and from the convention totals table (the floor to aim at)."""

from __future__ import annotations

import statistics
import time

RAW_BY_CONVENTION_YEAR_FUNDER = """
SELECT x.convention_id, fl.year, fl.funder_id, SUM(fl.amount),
       SUM(fl.amount) FILTER (WHERE fl.funder_id = c.funder_id)
FROM financing_fundingline fl JOIN actions_action a ON a.id = fl.action_id
JOIN axes_axis x ON x.id = a.axis_id JOIN conventions_convention c ON c.id = x.convention_id
GROUP BY 1, 2, 3
"""
RAW_GRAND_TOTAL = "SELECT SUM(amount) FROM financing_fundingline"
RAW_SPENT = """
SELECT SUM(s.amount) FROM actions_spending s JOIN actions_progressreport r ON r.id = s.report_id
WHERE r.status = 'approved'
"""
SUMMARY_BY_CONVENTION_YEAR_FUNDER = """
SELECT convention_id, year, funder_key, SUM(planned), SUM(spent), SUM(paid)
FROM financing_conventiontotal GROUP BY 1, 2, 3
"""
QUERIES = {
    "SQL brut : lignes par convention × année × financeur": RAW_BY_CONVENTION_YEAR_FUNDER,
    "SQL brut : total général des lignes": RAW_GRAND_TOTAL,
    "SQL brut : dépenses approuvées": RAW_SPENT,
    "SQL sur la table de totaux : convention × année × financeur": SUMMARY_BY_CONVENTION_YEAR_FUNDER,
}


def print_raw_sql(url: str, runs: int = 7) -> None:
    import psycopg

    print("\n| requête SQL (psycopg, même base, même passage) | p50 ms | max ms |")
    print("|---|---:|---:|")
    with psycopg.connect(url) as connection:
        for label, sql in QUERIES.items():
            timings = []
            for _ in range(runs):
                began = time.perf_counter()
                connection.execute(sql).fetchall()
                timings.append((time.perf_counter() - began) * 1000)
            print(
                f"| {label} | {statistics.median(timings):.1f} | {max(timings):.1f} |", flush=True
            )
