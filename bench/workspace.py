"""Benchmark of the officers' pages at national scale: the conventions list and the portfolio over
300 conventions and 500 000 funding lines, timed through the real views (session, scoping,
aggregation, template), with their query counts.

    make bench-workspace   (or: DEBUG=1 .venv/bin/python bench/workspace.py --conventions 300 --lines 500000)

Everything is created inside a transaction that is rolled back: the database is left as found.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

YEARS = range(2019, 2023)
FUNDERS = 6  # CNSA, the porteur and four co-funders
PAGES = ["/conventions/", "/conventions/?sort=-verse&year=2020", "/portefeuille/"]


class Rollback(Exception):
    pass


def _populate(conventions: int, lines: int) -> object:
    from django.contrib.auth.models import User
    from django.db import connection

    from actions.models import Action, Indicator, ProgressReport, Spending
    from axes.models import Axis
    from conventions.models import Convention, Membership, Organisation
    from financing.models import FundingLine, Payment

    cnsa = Organisation.objects.create(name="Bench CNSA", kind="funder")
    cofunders = [
        Organisation.objects.create(name=f"Bench cofinanceur {n}", kind="cofunder")
        for n in range(FUNDERS - 2)
    ]
    officer = User.objects.create(username="bench.officer", first_name="Claire", last_name="B")
    Membership.objects.create(user=officer, organisation=cnsa, role="officer")
    actions_each = math.ceil(lines / conventions / len(YEARS) / FUNDERS)
    for c in range(conventions):
        porteur = Organisation.objects.create(
            name=f"Bench porteur {c}", kind="departement", departement_code=f"{c % 95 + 1:02d}"
        )
        convention = Convention.objects.create(
            reference=f"BENCH-{c:04d}",
            title=f"Convention de modernisation {c}",
            funder=cnsa,
            beneficiary=porteur,
            start_date="2019-01-01",
            end_date="2022-12-31",
            total_cost=Decimal("1000000.00"),
            cnsa_amount=Decimal("500000.00"),
            status="signed",
        )
        axis = Axis.objects.create(convention=convention, number=1, title="Axe")
        actions = Action.objects.bulk_create(
            Action(
                axis=axis,
                code=f"1.{a}",
                title="Action",
                lead_organisation=porteur,
                start_date="2019-01-01",
                end_date="2022-12-31",
            )
            for a in range(actions_each)
        )
        FundingLine.objects.bulk_create(
            (
                FundingLine(action=action, funder=funder, year=year, amount=Decimal("1234.56"))
                for action in actions
                for year in YEARS
                for funder in (cnsa, porteur, *cofunders)
            ),
            batch_size=5000,
        )
        Indicator.objects.bulk_create(
            Indicator(action=action, label="Jours", unit="jours", target=Decimal("10"))
            for action in actions[:5]
        )
        reports = ProgressReport.objects.bulk_create(
            ProgressReport(
                action=action,
                period_start="2019-01-01",
                period_end="2019-12-31",
                status="approved",
            )
            for action in actions[:5]
        )
        Spending.objects.bulk_create(Spending(report=r, amount=Decimal("900.00")) for r in reports)
        Payment.objects.create(
            convention=convention,
            kind="advance",
            amount=Decimal("150000.00"),
            status="paid",
            paid_on="2019-03-01",
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return officer


def _time(client, url: str, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    durations = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            durations.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
    if os.environ.get("BENCH_QUERIES") == "1":  # the slowest queries of the last call
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:5]:
            print(f"    {float(query['time']) * 1000:7.1f}ms  {query['sql'][:150]}")
    return statistics.median(durations), len(queries)


def run(conventions: int, lines: int, runs: int) -> None:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client

    from financing.models import FundingLine

    try:
        with transaction.atomic():
            started = time.perf_counter()
            officer = _populate(conventions, lines)
            print(
                f"{conventions} conventions, {FundingLine.objects.count()} lignes de financement "
                f"créées en {time.perf_counter() - started:.0f} s ; base : {connection.vendor}"
            )
            client = Client(HTTP_HOST="localhost")
            client.force_login(officer)
            print(f"{'page':<40} {'durée (médiane de ' + str(runs) + ')':>22} {'requêtes':>9}")
            for url in PAGES:
                client.get(url)  # warm-up: the template loader, the plans
                seconds, queries = _time(client, url, runs)
                print(f"{url:<40} {seconds * 1000:>20.1f}ms {queries:>9}")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conventions", type=int, default=300)
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    run(args.conventions, args.lines, args.runs)
