"""Benchmark of GET /api/v1/totals: generated funding lines at several sizes, every grouping timed
through the real endpoint (authentication, scoping, aggregation, JSON), with its query count.

    make bench-totals            (or: DEBUG=1 .venv/bin/python bench/totals.py --sizes 1000,10000,100000)

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

GROUPINGS = ["", "convention", "year", "funder", "convention,year", "axis,funder", "departement"]
ACTIONS_PER_CONVENTION = 50
YEARS = range(2019, 2023)


class Rollback(Exception):
    pass


def _populate(lines: int) -> object:
    """Conventions of 50 actions, two funders a year: `lines` funding lines in all."""
    from django.contrib.auth.models import User

    from actions.models import Action
    from axes.models import Axis
    from conventions.models import Convention, Membership, Organisation
    from financing.models import FundingLine

    cnsa = Organisation.objects.create(name="Bench CNSA", kind="funder")
    officer = User.objects.create(username="bench.officer")
    Membership.objects.create(user=officer, organisation=cnsa, role="officer")
    per_convention = ACTIONS_PER_CONVENTION * len(YEARS) * 2
    for c in range(math.ceil(lines / per_convention)):
        porteur = Organisation.objects.create(
            name=f"Bench porteur {c}", kind="departement", departement_code=f"{c % 95 + 1:02d}"
        )
        convention = Convention.objects.create(
            reference=f"BENCH-{c}",
            title="Bench",
            funder=cnsa,
            beneficiary=porteur,
            start_date="2019-01-01",
            end_date="2022-12-31",
            total_cost=Decimal("1000000.00"),
            cnsa_amount=Decimal("600000.00"),
            status="signed",
        )
        axis = Axis.objects.create(convention=convention, number=1, title="Axe")
        actions = Action.objects.bulk_create(
            Action(
                axis=axis,
                code=f"{a}",
                title="Action",
                lead_organisation=porteur,
                start_date="2019-01-01",
                end_date="2022-12-31",
            )
            for a in range(ACTIONS_PER_CONVENTION)
        )
        FundingLine.objects.bulk_create(
            FundingLine(action=action, funder=funder, year=year, amount=Decimal("1234.56"))
            for action in actions
            for year in YEARS
            for funder in (cnsa, porteur)
        )
    return officer


def _time(client, url: str, runs: int) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    durations = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            durations.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return statistics.median(durations), len(queries), len(rows)


def run(sizes: list[int], runs: int) -> None:
    import django

    django.setup()
    from django.db import connection, transaction
    from rest_framework.test import APIClient

    from financing.models import FundingLine

    print(f"Totaux (médiane de {runs} appels ; base : {connection.vendor})")
    print(f"{'lignes':>8}  {'group_by':<18} {'durée':>9} {'requêtes':>9} {'lignes rendues':>15}")
    for size in sizes:
        try:
            with transaction.atomic():
                officer = _populate(size)
                client = APIClient(HTTP_HOST="localhost")
                client.force_authenticate(officer)
                count = FundingLine.objects.count()
                for grouping in GROUPINGS:
                    url = "/api/v1/totals/" + (f"?group_by={grouping}" if grouping else "")
                    seconds, queries, rows = _time(client, url, runs)
                    label = grouping or "(total)"
                    print(
                        f"{count:>8}  {label:<18} {seconds * 1000:>7.1f}ms {queries:>9} {rows:>15}"
                    )
                raise Rollback
        except Rollback:
            pass


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    run([int(s) for s in args.sizes.split(",")], args.runs)
